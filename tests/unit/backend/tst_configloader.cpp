// ConfigLoader: file < environment < flags, validation messages that name the
// source, secrets from *_FILE, and never echoing a secret.
#include "config/configloader.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

class TestConfigLoader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(content);
        return path;
    }

private Q_SLOTS:
    void defaults()
    {
        const auto config = ConfigLoader::load({}, QProcessEnvironment());
        QVERIFY(config.ok());
        QCOMPARE(config->listenHost, u"127.0.0.1"_s);
        QCOMPARE(config->listenPort, quint16(8080));
        QCOMPARE(config->databaseUrl,
                 u"sqlite:"_s + QDir(u"data"_s).absoluteFilePath(u"parlance.db"_s));
        QVERIFY(config->threads >= 1);
        QVERIFY(config->workers >= 2);
        QCOMPARE(config->maxBodyBytes, 1024 * 1024);
    }

    void flagBeatsEnvironmentBeatsFile()
    {
        const QString file =
            writeFile(u"c.json"_s, R"({"threads": 3, "workers": 3, "max_body_bytes": "64k"})");
        QProcessEnvironment env;
        env.insert(u"PARLANCE_WORKERS"_s, u"5"_s);
        env.insert(u"PARLANCE_MAX_BODY_BYTES"_s, u"128k"_s);
        const auto config = ConfigLoader::load(
            { u"--config"_s, file, u"--max-body-bytes=2M"_s, u"--listen"_s, u"[::1]:0"_s }, env);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
        QCOMPARE(config->threads, 3); // file only
        QCOMPARE(config->workers, 5); // env over file
        QCOMPARE(config->maxBodyBytes, 2 * 1024 * 1024); // flag over env
        QCOMPARE(config->listenHost, u"::1"_s);
        QCOMPARE(config->listenPort, quint16(0));
    }

    void streamHeartbeatAndRetention()
    {
        const auto defaults = ConfigLoader::load({}, QProcessEnvironment());
        QVERIFY(defaults.ok());
        QCOMPARE(defaults->streamHeartbeat, std::chrono::milliseconds(15'000));
        QCOMPARE(defaults->streamRetention, std::chrono::milliseconds(300'000));
        QProcessEnvironment env;
        env.insert(u"PARLANCE_STREAM_RETENTION"_s, u"2m"_s);
        const auto config = ConfigLoader::load({ u"--stream-heartbeat"_s, u"200ms"_s }, env);
        QVERIFY(config.ok());
        QCOMPARE(config->streamHeartbeat, std::chrono::milliseconds(200));
        QCOMPARE(config->streamRetention, std::chrono::milliseconds(120'000));
        // A heartbeat below 100 ms would only burn CPU: refused.
        QVERIFY(!ConfigLoader::load({ u"--stream-heartbeat"_s, u"10ms"_s }, env).ok());
    }

    void durations()
    {
        const auto config = ConfigLoader::load(
            { u"--request-timeout"_s, u"500ms"_s, u"--idle-timeout"_s, u"2m"_s }, {});
        QVERIFY(config.ok());
        QCOMPARE(config->requestTimeout.count(), 500);
        QCOMPARE(config->idleTimeout.count(), 120'000);
    }

    void secretFromFileVariable()
    {
        const QString file = writeFile(u"db"_s, "postgresql://app:pw@db:5432/parlance\n");
        QProcessEnvironment env;
        env.insert(u"PARLANCE_DATABASE_FILE"_s, file);
        env.insert(u"PARLANCE_JWT_KEY_FILE"_s, u"/run/secrets/jwt"_s);
        const auto config = ConfigLoader::load({}, env);
        QVERIFY(config.ok());
        QCOMPARE(config->databaseUrl, u"postgresql://app:pw@db:5432/parlance"_s);
        // The key file is read (and checked) by JwtKeyRing::secretFromSpec.
        QCOMPARE(config->jwtKey, u"file:/run/secrets/jwt"_s);
    }

    void previousJwtKeysAreIdFilePairs()
    {
        QProcessEnvironment env;
        env.insert(u"PARLANCE_JWT_PREVIOUS_KEYS"_s, u"k0=/etc/a.key, k1 = /etc/b.key"_s);
        const auto fromEnv = ConfigLoader::load({}, env);
        QVERIFY(fromEnv.ok());
        QCOMPARE(fromEnv->jwtPreviousKeys.size(), 2);
        QCOMPARE(fromEnv->jwtPreviousKeys[1].id, u"k1"_s);
        QCOMPARE(fromEnv->jwtPreviousKeys[1].file, u"/etc/b.key"_s);
        const auto fromFlag =
            ConfigLoader::load({ u"--jwt-previous-keys"_s, u"old=/run/old.key"_s }, env);
        QVERIFY(fromFlag.ok());
        QCOMPARE(fromFlag->jwtPreviousKeys.size(), 1);
        QCOMPARE(fromFlag->jwtPreviousKeys[0].id, u"old"_s);
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("envName");
        QTest::addColumn<QString>("envValue");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("bad number flag") << QStringList { u"--threads"_s, u"many"_s } << QString()
                                         << QString() << u"--threads: expected a whole number"_s;
        QTest::newRow("bad env names the variable")
            << QStringList() << u"PARLANCE_MAX_CONNECTIONS"_s << u"0"_s
            << u"environment PARLANCE_MAX_CONNECTIONS"_s;
        QTest::newRow("unknown flag") << QStringList { u"--nope"_s, u"1"_s } << QString()
                                      << QString() << u"Unknown option --nope"_s;
        QTest::newRow("missing value") << QStringList { u"--listen"_s } << QString() << QString()
                                       << u"--listen needs a value"_s;
        QTest::newRow("listen without port") << QStringList { u"--listen"_s, u"1.2.3.4"_s }
                                             << QString() << QString() << u"HOST:PORT"_s;
        QTest::newRow("listen on a name") << QStringList { u"--listen"_s, u"example.com:80"_s }
                                          << QString() << QString() << u"not an IP address"_s;
        QTest::newRow("tls cert without key")
            << QStringList { u"--tls-cert"_s, u"/etc/hostname"_s } << QString() << QString()
            << u"--tls-cert and --tls-key"_s;
        QTest::newRow("unknown database scheme")
            << QStringList { u"--database"_s, u"mysql://x"_s } << QString() << QString()
            << u"--database: expected sqlite:PATH"_s;
        QTest::newRow("secret flag refused") << QStringList { u"--jwt-key"_s, u"abc"_s }
                                             << QString() << QString() << u"use --jwt-key-file"_s;
        QTest::newRow("previous key without a file")
            << QStringList { u"--jwt-previous-keys"_s, u"k0"_s } << QString() << QString()
            << u"--jwt-previous-keys"_s;
        QTest::newRow("argon2 out of range") << QStringList { u"--argon2-iterations"_s, u"1000"_s }
                                             << QString() << QString() << u"--argon2-iterations"_s;
    }

    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, envName);
        QFETCH(QString, envValue);
        QFETCH(QString, messagePart);
        QProcessEnvironment env;
        if (!envName.isEmpty())
            env.insert(envName, envValue);
        const auto config = ConfigLoader::load(args, env);
        QVERIFY(!config.ok());
        QVERIFY2(config.error().message.contains(messagePart), qPrintable(config.error().message));
    }

    void unknownFileKeyIsAnError()
    {
        const QString file = writeFile(u"bad.json"_s, R"({"thredas": 2})");
        const auto config = ConfigLoader::load({ u"--config"_s, file }, {});
        QVERIFY(!config.ok());
        QVERIFY(config.error().message.contains(u"unknown setting"_s));
    }

    void secretValuesAreNotEchoed()
    {
        QProcessEnvironment env;
        env.insert(u"PARLANCE_DATABASE"_s, u"   "_s);
        const auto config = ConfigLoader::load({}, env);
        QVERIFY(!config.ok());
        QVERIFY(config.error().message.contains(u"(hidden)"_s));
    }

    void helpListsEveryOptionWithEnvAndDefault()
    {
        const QString help = ConfigLoader::helpText(u"parlanced"_s);
        for (const QString &needle :
             { u"--listen HOST:PORT"_s, u"PARLANCE_LISTEN"_s, u"default 127.0.0.1:8080"_s,
               u"--max-body-bytes"_s, u"--request-timeout"_s, u"--idle-timeout"_s,
               u"--max-connections"_s, u"--jwt-key-file"_s, u"PARLANCE_JWT_KEY_FILE"_s,
               u"--argon2-memory-kib"_s, u"--tls-cert"_s, u"--database"_s, u"--workers"_s })
            QVERIFY2(help.contains(needle), qPrintable(needle));
    }
};

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
