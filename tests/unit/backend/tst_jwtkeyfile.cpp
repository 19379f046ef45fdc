// The signing key kept in the data dir when none is configured: made once
// with mode 0600, read back unchanged, refused when too short.
#include "auth/jwtkeyfile.h"
#include "auth/jwtkeyring.h"
#include "contract/errorcodes.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

class TestJwtKeyFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstCallCreatesAPrivateKeyLaterCallsReadIt()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"jwt.key"_s);
        const auto first = JwtKeyFile::loadOrCreate(path);
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().message));
        QVERIFY(first->created);
        QCOMPARE(first->secret.size(), JwtKeyFile::GeneratedBytes);
        QCOMPARE(QFile::permissions(path),
                 QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().startsWith("base64:"));

        const auto second = JwtKeyFile::loadOrCreate(path);
        QVERIFY(second.ok());
        QVERIFY(!second->created);
        QCOMPARE(second->secret, first->secret);
        // The same bytes the configured-key path reads, so a generated file
        // can later be named in PARLANCE_JWT_KEY_FILE unchanged.
        QCOMPARE(JwtKeyRing::secretFromSpec(u"file:"_s + path).value(), first->secret);
    }

    void twoDirectoriesGetDifferentKeys()
    {
        QTemporaryDir a;
        QTemporaryDir b;
        const auto ka = JwtKeyFile::loadOrCreate(a.filePath(u"jwt.key"_s));
        const auto kb = JwtKeyFile::loadOrCreate(b.filePath(u"jwt.key"_s));
        QVERIFY(ka.ok() && kb.ok());
        QVERIFY(ka->secret != kb->secret);
    }

    void tooShortKeyIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"jwt.key"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("short\n");
        file.close();
        const auto loaded = JwtKeyFile::loadOrCreate(path);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, QString(errc::InvalidField));
        QVERIFY(loaded.error().message.contains(path));
        QVERIFY(!loaded.error().message.contains(u"short"_s));
    }

    void unwritableDirectoryIsAnError()
    {
        const auto loaded = JwtKeyFile::loadOrCreate(u"/nonexistent-dir-for-test/jwt.key"_s);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, QString(errc::Internal));
    }
};

QTEST_GUILESS_MAIN(TestJwtKeyFile)
#include "tst_jwtkeyfile.moc"
