#include "auth/argon2phc.h"
#include "auth/passwordhasher.h"
#include "contract/errorcodes.h"

#include <QRegularExpression>
#include <QTest>

#include <algorithm>
#include <argon2.h>
#include <optional>
#include <vector>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

// Small parameters keep the suite fast; the algorithm is the same.
constexpr Argon2Params Small { 64, 1, 1 };

PasswordHasher makeHasher(Argon2Params params = Small)
{
    auto hasher = PasswordHasher::create(params);
    if (!hasher)
        qFatal("cannot create hasher: %s", qPrintable(hasher.error().message));
    return std::move(hasher).value();
}

} // namespace

class TestPasswordHasher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hashThenVerifyMatches_data();
    void hashThenVerifyMatches();
    void wrongPasswordIsInvalidCredentials_data();
    void wrongPasswordIsInvalidCredentials();
    void equivalentUnicodeSpellingsMatch();
    void hashIsPhcStringWithConfiguredParameters();
    void saltIsFreshForEachHash();
    void libargon2VerifiesOurHashes();
    void weVerifyLibargon2Hashes();
    void overlongPasswordRefused();
    void unreadableStoredHashIsInternalError();
    void phcParsing_data();
    void phcParsing();
    void phcRoundTrips();
    void needsRehash_data();
    void needsRehash();
    void parameterValidation_data();
    void parameterValidation();
    void defaultsAreOwaspArgon2id();
};

void TestPasswordHasher::hashThenVerifyMatches_data()
{
    QTest::addColumn<QString>("password");
    QTest::newRow("ascii") << u"correct horse battery staple"_s;
    QTest::newRow("unicode") << u"пароль-密码-🔑-contraseña"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("1024 bytes") << QString(1024, u'x');
    QTest::newRow("embedded nul") << QString::fromUtf16(u"abc\0def", 7);
}

void TestPasswordHasher::hashThenVerifyMatches()
{
    QFETCH(QString, password);
    const PasswordHasher hasher = makeHasher();
    const auto encoded = hasher.hash(password);
    QVERIFY2(encoded.ok(), qPrintable(encoded.ok() ? QString() : encoded.error().message));
    QVERIFY(hasher.verify(password, *encoded).ok());
}

void TestPasswordHasher::wrongPasswordIsInvalidCredentials_data()
{
    QTest::addColumn<QString>("stored");
    QTest::addColumn<QString>("attempt");
    QTest::newRow("different") << u"correct horse battery staple"_s << u"Tr0ub4dor&3"_s;
    QTest::newRow("case differs") << u"Password-Example"_s << u"password-example"_s;
    QTest::newRow("prefix") << u"correct horse battery staple"_s << u"correct horse"_s;
    QTest::newRow("trailing space") << u"secret value"_s << u"secret value "_s;
    QTest::newRow("after nul") << QString::fromUtf16(u"abc\0def", 7)
                               << QString::fromUtf16(u"abc\0xyz", 7);
    QTest::newRow("overlong") << u"short"_s << QString(5000, u'x');
}

void TestPasswordHasher::wrongPasswordIsInvalidCredentials()
{
    QFETCH(QString, stored);
    QFETCH(QString, attempt);
    const PasswordHasher hasher = makeHasher();
    const auto encoded = hasher.hash(stored);
    QVERIFY(encoded.ok());
    const Status result = hasher.verify(attempt, *encoded);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QString(errc::InvalidCredentials));
}

void TestPasswordHasher::equivalentUnicodeSpellingsMatch()
{
    const PasswordHasher hasher = makeHasher();
    // "é" precomposed and as e + combining acute; fullwidth letters and ASCII.
    const auto encoded = hasher.hash(u"caf\u00e9 au lait"_s);
    QVERIFY(encoded.ok());
    QVERIFY(hasher.verify(u"cafe\u0301 au lait"_s, *encoded).ok());

    const auto wide = hasher.hash(u"\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44"_s);
    QVERIFY(wide.ok());
    QVERIFY(hasher.verify(u"password"_s, *wide).ok());
}

void TestPasswordHasher::hashIsPhcStringWithConfiguredParameters()
{
    const PasswordHasher hasher = makeHasher(Argon2Params { 128, 3, 2 });
    const auto encoded = hasher.hash(u"anything at all"_s);
    QVERIFY(encoded.ok());
    static const QRegularExpression phc(
        uR"(^\$argon2id\$v=19\$m=128,t=3,p=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$)"_s);
    QVERIFY2(phc.match(*encoded).hasMatch(), qPrintable(*encoded));
}

void TestPasswordHasher::saltIsFreshForEachHash()
{
    const PasswordHasher hasher = makeHasher();
    const auto first = hasher.hash(u"same password"_s);
    const auto second = hasher.hash(u"same password"_s);
    QVERIFY(first.ok() && second.ok());
    QVERIFY(*first != *second);
    QVERIFY(Argon2Phc::parse(*first)->salt != Argon2Phc::parse(*second)->salt);
}

void TestPasswordHasher::libargon2VerifiesOurHashes()
{
    const PasswordHasher hasher = makeHasher();
    const QByteArray password = "interoperable";
    const auto encoded = hasher.hash(QString::fromUtf8(password));
    QVERIFY(encoded.ok());
    QCOMPARE(argon2id_verify(encoded->toLatin1().constData(), password.constData(),
                             static_cast<size_t>(password.size())),
             ARGON2_OK);
    QCOMPARE(argon2id_verify(encoded->toLatin1().constData(), "other", 5), ARGON2_VERIFY_MISMATCH);
}

void TestPasswordHasher::weVerifyLibargon2Hashes()
{
    const QByteArray password = "made elsewhere";
    const QByteArray salt = "0123456789abcdef";
    QByteArray encoded(256, '\0');
    QCOMPARE(argon2id_hash_encoded(Small.iterations, Small.memoryKiB, Small.parallelism,
                                   password.constData(), static_cast<size_t>(password.size()),
                                   salt.constData(), static_cast<size_t>(salt.size()), 32,
                                   encoded.data(), static_cast<size_t>(encoded.size())),
             ARGON2_OK);
    const QString phc = QString::fromLatin1(encoded.constData());
    const PasswordHasher hasher = makeHasher();
    QVERIFY(hasher.verify(QString::fromUtf8(password), phc).ok());
    QVERIFY(!hasher.verify(u"made elsewhere!"_s, phc).ok());
    QVERIFY(!hasher.needsRehash(phc));
    QCOMPARE(Argon2Phc::parse(phc)->toString(), phc);
}

void TestPasswordHasher::overlongPasswordRefused()
{
    const PasswordHasher hasher = makeHasher();
    const auto tooLong = hasher.hash(QString(1025, u'x'));
    QVERIFY(!tooLong.ok());
    QCOMPARE(tooLong.error().code, QString(errc::WeakPassword));
    // 342 three-byte characters: 342 UTF-16 units but 1026 UTF-8 bytes.
    const auto wideTooLong = hasher.hash(QString(342, QChar(0x20ac)));
    QVERIFY(!wideTooLong.ok());
    QCOMPARE(wideTooLong.error().code, QString(errc::WeakPassword));
}

void TestPasswordHasher::unreadableStoredHashIsInternalError()
{
    const PasswordHasher hasher = makeHasher();
    const Status result = hasher.verify(u"whatever"_s, u"$2b$10$notargon"_s);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QString(errc::Internal));
    QVERIFY(!result.error().message.contains(u"$2b$"_s));
}

void TestPasswordHasher::phcParsing_data()
{
    QTest::addColumn<QString>("encoded");
    QTest::addColumn<bool>("valid");
    // Salt "0123456789abcdef", hash 32 bytes of 'A' (0x41).
    const QString salt = u"MDEyMzQ1Njc4OWFiY2RlZg"_s;
    const QString hash = u"QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE"_s;
    const auto with = [&](const QString &head) -> QString {
        return head + u'$' + salt + u'$' + hash;
    };

    QTest::newRow("valid") << with(u"$argon2id$v=19$m=64,t=1,p=1"_s) << true;
    QTest::newRow("valid large") << with(u"$argon2id$v=19$m=1048576,t=64,p=16"_s) << true;
    QTest::newRow("argon2i") << with(u"$argon2i$v=19$m=64,t=1,p=1"_s) << false;
    QTest::newRow("argon2d") << with(u"$argon2d$v=19$m=64,t=1,p=1"_s) << false;
    QTest::newRow("no version") << u"$argon2id$m=64,t=1,p=1$"_s + salt + u'$' + hash << false;
    QTest::newRow("version 16") << with(u"$argon2id$v=16$m=64,t=1,p=1"_s) << false;
    QTest::newRow("params reordered") << with(u"$argon2id$v=19$t=1,m=64,p=1"_s) << false;
    QTest::newRow("param missing") << with(u"$argon2id$v=19$m=64,t=1"_s) << false;
    QTest::newRow("extra param") << with(u"$argon2id$v=19$m=64,t=1,p=1,k=2"_s) << false;
    QTest::newRow("leading zero") << with(u"$argon2id$v=19$m=064,t=1,p=1"_s) << false;
    QTest::newRow("sign") << with(u"$argon2id$v=19$m=+64,t=1,p=1"_s) << false;
    QTest::newRow("memory too large") << with(u"$argon2id$v=19$m=4294967295,t=1,p=1"_s) << false;
    QTest::newRow("memory overflow") << with(u"$argon2id$v=19$m=99999999999,t=1,p=1"_s) << false;
    QTest::newRow("memory below 8p") << with(u"$argon2id$v=19$m=15,t=1,p=2"_s) << false;
    QTest::newRow("zero time") << with(u"$argon2id$v=19$m=64,t=0,p=1"_s) << false;
    QTest::newRow("zero lanes") << with(u"$argon2id$v=19$m=64,t=1,p=0"_s) << false;
    QTest::newRow("too many lanes") << with(u"$argon2id$v=19$m=1024,t=1,p=17"_s) << false;
    QTest::newRow("salt too short") << u"$argon2id$v=19$m=64,t=1,p=1$MDEyMzQ1Ng$"_s + hash << false;
    QTest::newRow("hash too short")
        << u"$argon2id$v=19$m=64,t=1,p=1$"_s + salt + u"$QUFBQQ"_s << false;
    QTest::newRow("padded salt")
        << with(u"$argon2id$v=19$m=64,t=1,p=1"_s).replace(salt, salt + u"=="_s) << false;
    QTest::newRow("url alphabet") << u"$argon2id$v=19$m=64,t=1,p=1$"_s + salt + u"$"_s
            + QString(hash).replace(0, 1, u'_')
                                  << false;
    QTest::newRow("non-canonical bits")
        << u"$argon2id$v=19$m=64,t=1,p=1$"_s + salt + u"$"_s + hash.left(hash.size() - 1) + u'F'
        << false;
    QTest::newRow("trailing dollar") << with(u"$argon2id$v=19$m=64,t=1,p=1"_s) + u'$' << false;
    QTest::newRow("leading space") << u' ' + with(u"$argon2id$v=19$m=64,t=1,p=1"_s) << false;
    QTest::newRow("non-ascii") << with(u"$argon2id$v=19$m=64,t=1,p=1"_s) + u'é' << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("bcrypt") << u"$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"_s
                            << false;
}

void TestPasswordHasher::phcParsing()
{
    QFETCH(QString, encoded);
    QFETCH(bool, valid);
    const auto parsed = Argon2Phc::parse(encoded);
    QCOMPARE(parsed.ok(), valid);
    if (valid) {
        QCOMPARE(parsed->salt, QByteArray("0123456789abcdef"));
        QCOMPARE(parsed->hash, QByteArray(32, 'A'));
        QCOMPARE(parsed->toString(), encoded);
    } else {
        QCOMPARE(parsed.error().code, QString(errc::InvalidField));
    }
}

void TestPasswordHasher::phcRoundTrips()
{
    const Argon2Phc phc { Argon2Params { 19456, 2, 1 }, QByteArray(16, '\x07'),
                          QByteArray(32, '\xfe') };
    const auto parsed = Argon2Phc::parse(phc.toString());
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->params, phc.params);
    QCOMPARE(parsed->salt, phc.salt);
    QCOMPARE(parsed->hash, phc.hash);
}

void TestPasswordHasher::needsRehash_data()
{
    QTest::addColumn<QString>("encoded");
    QTest::addColumn<bool>("expected");
    const auto phc = [](Argon2Params params, int saltBytes, int hashBytes) {
        return Argon2Phc { params, QByteArray(saltBytes, 's'), QByteArray(hashBytes, 'h') }
            .toString();
    };
    QTest::newRow("current") << phc(Small, 16, 32) << false;
    QTest::newRow("memory changed") << phc(Argon2Params { 128, 1, 1 }, 16, 32) << true;
    QTest::newRow("iterations changed") << phc(Argon2Params { 64, 2, 1 }, 16, 32) << true;
    QTest::newRow("parallelism changed") << phc(Argon2Params { 64, 1, 2 }, 16, 32) << true;
    QTest::newRow("weaker memory") << phc(Argon2Params { 32, 1, 1 }, 16, 32) << true;
    QTest::newRow("short salt") << phc(Small, 8, 32) << true;
    QTest::newRow("long hash") << phc(Small, 16, 64) << true;
    QTest::newRow("unreadable") << u"$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA"_s << true;
}

void TestPasswordHasher::needsRehash()
{
    QFETCH(QString, encoded);
    QFETCH(bool, expected);
    QCOMPARE(makeHasher().needsRehash(encoded), expected);
}

void TestPasswordHasher::parameterValidation_data()
{
    QTest::addColumn<quint32>("memory");
    QTest::addColumn<quint32>("iterations");
    QTest::addColumn<quint32>("parallelism");
    QTest::addColumn<bool>("valid");
    QTest::newRow("defaults") << 19456u << 2u << 1u << true;
    QTest::newRow("minimum") << 8u << 1u << 1u << true;
    QTest::newRow("memory below 8 per lane") << 31u << 1u << 4u << false;
    QTest::newRow("memory above 1 GiB") << 1048577u << 1u << 1u << false;
    QTest::newRow("no iterations") << 64u << 0u << 1u << false;
    QTest::newRow("too many iterations") << 64u << 65u << 1u << false;
    QTest::newRow("no lanes") << 64u << 1u << 0u << false;
    QTest::newRow("too many lanes") << 1024u << 1u << 17u << false;
}

void TestPasswordHasher::parameterValidation()
{
    QFETCH(quint32, memory);
    QFETCH(quint32, iterations);
    QFETCH(quint32, parallelism);
    QFETCH(bool, valid);
    const Argon2Params params { memory, iterations, parallelism };
    QCOMPARE(params.validate().ok(), valid);
    QCOMPARE(PasswordHasher::create(params).ok(), valid);
}

void TestPasswordHasher::defaultsAreOwaspArgon2id()
{
    QCOMPARE(Argon2Params {}, (Argon2Params { 19456, 2, 1 }));
}

QTEST_GUILESS_MAIN(TestPasswordHasher)
#include "tst_passwordhasher.moc"
