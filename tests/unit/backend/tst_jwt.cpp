#include "auth/accesstokenservice.h"
#include "auth/jwtcodec.h"
#include "auth/jwtkeyring.h"
#include "contract/errorcodes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

const QByteArray KeyOne(32, 'k');
const QByteArray KeyTwo = QByteArray("a completely different 32+ byte secret");
constexpr qint64 T0 = 1700000000;

// Built here with Qt's own base64 and HMAC, independent of the code under test.
QByteArray segment(const QJsonObject &object)
{
    return QJsonDocument(object)
        .toJson(QJsonDocument::Compact)
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray mac(const QByteArray &input, const QByteArray &key,
               QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256)
{
    return QMessageAuthenticationCode::hash(input, key, algorithm)
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString forge(const QJsonObject &header, const QJsonObject &payload, const QByteArray &key = KeyOne,
              QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256)
{
    const QByteArray input = segment(header) + '.' + segment(payload);
    return QString::fromLatin1(input + '.' + mac(input, key, algorithm));
}

QString unsigned_(const QJsonObject &header, const QJsonObject &payload)
{
    return QString::fromLatin1(segment(header) + '.' + segment(payload) + '.');
}

QJsonObject header(const QString &alg = u"HS256"_s, const QString &kid = u"k1"_s)
{
    return QJsonObject { { u"alg"_s, alg }, { u"kid"_s, kid }, { u"typ"_s, u"JWT"_s } };
}

QJsonObject claims()
{
    return QJsonObject {
        { u"iss"_s, u"parlance"_s }, { u"sub"_s, u"user-1"_s }, { u"role"_s, u"user"_s },
        { u"typ"_s, u"access"_s },   { u"iat"_s, T0 },          { u"exp"_s, T0 + 900 },
        { u"jti"_s, u"jti-1"_s }
    };
}

QJsonObject with(QJsonObject object, const QString &key, const QJsonValue &value)
{
    if (value.isUndefined())
        object.remove(key);
    else
        object.insert(key, value);
    return object;
}

JwtKeyRing ring(JwtKey signing, QList<JwtKey> others = {})
{
    auto keys = JwtKeyRing::create(std::move(signing), std::move(others));
    if (!keys)
        qFatal("bad test key ring: %s", qPrintable(keys.error().message));
    return std::move(keys).value();
}

struct Fixture
{
    std::shared_ptr<QDateTime> now =
        std::make_shared<QDateTime>(QDateTime::fromSecsSinceEpoch(T0, Qt::UTC));
    WallClock clock() const
    {
        return [now = now] { return *now; };
    }
    AccessTokenService service(JwtKeyRing keys = ring({ u"k1"_s, KeyOne })) const
    {
        return AccessTokenService(std::move(keys), AccessTokenSettings {}, clock());
    }
};

QJsonObject decodeSegment(const QString &token, int index)
{
    const QByteArray part = token.toLatin1().split('.').value(index);
    return QJsonDocument::fromJson(QByteArray::fromBase64(part, QByteArray::Base64UrlEncoding))
        .object();
}

} // namespace

class TestJwt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void issuedTokenRoundTrips();
    void refusesToIssueWithoutSubjectOrRole();
    void headerCarriesAlgorithmAndKeyId();
    void tokenIdsAreUnique();
    void refused_data();
    void refused();
    void accepted_data();
    void accepted();
    void expiresAfterLifetimePlusLeeway();
    void rotatedKeyStillVerifiesOldTokens();
    void droppedKeyNoLongerVerifies();
    void keyRingRefusesBadKeys_data();
    void keyRingRefusesBadKeys();
    void secretFromSpec_data();
    void secretFromSpec();
    void secretFileErrorsDoNotLeakContent();
    void settingsValidation_data();
    void settingsValidation();
};

void TestJwt::issuedTokenRoundTrips()
{
    Fixture fixture;
    const AccessTokenService service = fixture.service();
    const auto issued = service.issue(u"user-42"_s, u"admin"_s);
    QVERIFY(issued.ok());
    const auto claims = service.verify(issued->token);
    QVERIFY2(claims.ok(), qPrintable(claims.ok() ? QString() : claims.error().message));
    QCOMPARE(claims->userId, u"user-42"_s);
    QCOMPARE(claims->role, u"admin"_s);
    QCOMPARE(claims->issuer, u"parlance"_s);
    QCOMPARE(claims->tokenId, issued->claims.tokenId);
    QCOMPARE(claims->issuedAt.toSecsSinceEpoch(), T0);
    QCOMPARE(claims->expiresAt.toSecsSinceEpoch(), T0 + 15 * 60);
    QCOMPARE(claims->issuedAt, issued->claims.issuedAt);
    QCOMPARE(claims->expiresAt, issued->claims.expiresAt);
}

void TestJwt::refusesToIssueWithoutSubjectOrRole()
{
    Fixture fixture;
    const AccessTokenService service = fixture.service();
    QCOMPARE(service.issue(QString(), u"user"_s).error().code, QString(errc::Internal));
    QCOMPARE(service.issue(u"u"_s, QString()).error().code, QString(errc::Internal));
    QCOMPARE(service.issue(QString(129, u'u'), u"user"_s).error().code, QString(errc::Internal));
}

void TestJwt::headerCarriesAlgorithmAndKeyId()
{
    Fixture fixture;
    const auto issued = fixture.service().issue(u"u"_s, u"user"_s);
    QVERIFY(issued.ok());
    QVERIFY(!issued->token.contains(u'='));
    QCOMPARE(decodeSegment(issued->token, 0), header());
    const QJsonObject payload = decodeSegment(issued->token, 1);
    QCOMPARE(payload.value(u"typ"_s).toString(), u"access"_s);
    QCOMPARE(payload.value(u"exp"_s).toInteger(), T0 + 900);
    QCOMPARE(
        payload.keys(),
        (QStringList { u"exp"_s, u"iat"_s, u"iss"_s, u"jti"_s, u"role"_s, u"sub"_s, u"typ"_s }));
    // Signed exactly as the standard says: HMAC-SHA256 over "header.payload".
    const QStringList parts = issued->token.split(u'.');
    QCOMPARE(parts.last().toLatin1(), mac((parts[0] + u'.' + parts[1]).toLatin1(), KeyOne));
}

void TestJwt::tokenIdsAreUnique()
{
    Fixture fixture;
    const AccessTokenService service = fixture.service();
    QSet<QString> ids;
    for (int i = 0; i < 100; ++i)
        ids.insert(service.issue(u"u"_s, u"user"_s)->claims.tokenId);
    QCOMPARE(ids.size(), 100);
}

void TestJwt::refused_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("reason"); // a phrase the message must contain

    const QString invalid = QString(errc::InvalidToken);
    Fixture fixture;
    const QString good = fixture.service().issue(u"user-1"_s, u"user"_s)->token;
    const QStringList parts = good.split(u'.');

    QTest::newRow("tampered payload") << parts[0] + u'.'
            + QString::fromLatin1(segment(with(claims(), u"role"_s, u"admin"_s))) + u'.'
            + parts[2] << invalid << u"signature does not match"_s;
    QString flipped = parts[2];
    flipped[0] = flipped[0] == u'A' ? u'B' : u'A';
    QTest::newRow("tampered signature")
        << parts[0] + u'.' + parts[1] + u'.' + flipped << invalid << u"signature does not match"_s;
    QTest::newRow("tampered header kid")
        << QString::fromLatin1(segment(with(header(), u"kid"_s, u"k2"_s))) + u'.' + parts[1] + u'.'
            + parts[2]
        << invalid << u"unknown key"_s;
    QTest::newRow("signed with another key, same kid")
        << forge(header(), claims(), KeyTwo) << invalid << u"signature does not match"_s;

    QTest::newRow("alg none unsigned")
        << unsigned_(QJsonObject { { u"alg"_s, u"none"_s } }, claims()) << invalid
        << u"algorithm"_s;
    QTest::newRow("alg none with kid")
        << unsigned_(header(u"none"_s), claims()) << invalid << u"algorithm"_s;
    QTest::newRow("alg none signed")
        << forge(header(u"none"_s), claims()) << invalid << u"algorithm"_s;
    QTest::newRow("alg None") << unsigned_(header(u"None"_s), claims()) << invalid
                              << u"algorithm"_s;
    QTest::newRow("alg HS512") << forge(header(u"HS512"_s), claims(), KeyOne,
                                        QCryptographicHash::Sha512)
                               << invalid << u"algorithm"_s;
    QTest::newRow("alg HS384") << forge(header(u"HS384"_s), claims(), KeyOne,
                                        QCryptographicHash::Sha384)
                               << invalid << u"algorithm"_s;
    QTest::newRow("alg RS256") << forge(header(u"RS256"_s), claims()) << invalid << u"algorithm"_s;
    QTest::newRow("alg ES256") << forge(header(u"ES256"_s), claims()) << invalid << u"algorithm"_s;
    QTest::newRow("alg lower case")
        << forge(header(u"hs256"_s), claims()) << invalid << u"algorithm"_s;
    QTest::newRow("alg missing") << forge(with(header(), u"alg"_s, QJsonValue::Undefined), claims())
                                 << invalid << u"algorithm"_s;
    QTest::newRow("alg as array") << forge(with(header(), u"alg"_s, QJsonArray { u"HS256"_s }),
                                           claims())
                                  << invalid << u"algorithm"_s;

    QTest::newRow("unknown kid") << forge(header(u"HS256"_s, u"k9"_s), claims()) << invalid
                                 << u"unknown key"_s;
    QTest::newRow("kid missing") << forge(with(header(), u"kid"_s, QJsonValue::Undefined), claims())
                                 << invalid << u"key id"_s;
    QTest::newRow("kid number") << forge(with(header(), u"kid"_s, 1), claims()) << invalid
                                << u"key id"_s;
    QTest::newRow("crit header") << forge(with(header(), u"crit"_s, QJsonArray { u"exp"_s }),
                                          claims())
                                 << invalid << u"critical"_s;
    QTest::newRow("typ header at+jwt")
        << forge(with(header(), u"typ"_s, u"at+jwt"_s), claims()) << invalid << u"type"_s;

    QTest::newRow("empty") << QString() << invalid << u"empty"_s;
    QTest::newRow("one segment") << parts[0] << invalid << u"three segments"_s;
    QTest::newRow("two segments") << parts[0] + u'.' + parts[1] << invalid << u"three segments"_s;
    QTest::newRow("four segments") << good + u'.' + parts[2] << invalid << u"three segments"_s;
    QTest::newRow("dots only") << u".."_s << invalid << u"header"_s;
    QTest::newRow("padded header")
        << parts[0] + u"=."_s + parts[1] + u'.' + parts[2] << invalid << u"header"_s;
    QTest::newRow("padded signature") << good + u'=' << invalid << u"signature is malformed"_s;
    QTest::newRow("short signature") << parts[0] + u'.' + parts[1] + u'.' + parts[2].left(22)
                                     << invalid << u"signature is malformed"_s;
    QTest::newRow("standard base64 alphabet")
        << parts[0] + u'.' + parts[1] + u'.' + QString(parts[2]).replace(0, 1, u'+') << invalid
        << u"signature is malformed"_s;
    QTest::newRow("leading space") << u' ' + good << invalid << u"header"_s;
    QTest::newRow("header not json")
        << u"bm90IGpzb24."_s + parts[1] + u'.' + parts[2] << invalid << u"header"_s;
    QTest::newRow("header json array")
        << QString::fromLatin1(
               QByteArray("[\"HS256\"]")
                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))
            + u'.' + parts[1] + u'.' + parts[2]
        << invalid << u"header"_s;
    {
        const QByteArray input = segment(header()) + ".bm90IGpzb24";
        QTest::newRow("payload not json (signed)")
            << QString::fromLatin1(input + '.' + mac(input, KeyOne)) << invalid << u"payload"_s;
    }
    QTest::newRow("non-ascii") << good + u'é' << invalid << u"compact"_s;
    QTest::newRow("too long") << QString(9000, u'a') << invalid << u"too long"_s;

    const QString expired = QString(errc::TokenExpired);
    QTest::newRow("expired beyond leeway")
        << forge(header(), with(with(claims(), u"exp"_s, T0 - 31), u"iat"_s, T0 - 931)) << expired
        << u"expired"_s;
    QTest::newRow("expired exactly at leeway")
        << forge(header(), with(with(claims(), u"exp"_s, T0 - 30), u"iat"_s, T0 - 930)) << expired
        << u"expired"_s;
    QTest::newRow("not yet valid")
        << forge(header(), with(claims(), u"nbf"_s, T0 + 31)) << invalid << u"not valid yet"_s;
    QTest::newRow("issued in the future")
        << forge(header(), with(with(claims(), u"iat"_s, T0 + 31), u"exp"_s, T0 + 931)) << invalid
        << u"not valid yet"_s;
    QTest::newRow("nbf as string")
        << forge(header(), with(claims(), u"nbf"_s, u"soon"_s)) << invalid << u"validity period"_s;
    QTest::newRow("exp missing") << forge(header(), with(claims(), u"exp"_s, QJsonValue::Undefined))
                                 << invalid << u"validity period"_s;
    QTest::newRow("exp as string") << forge(header(), with(claims(), u"exp"_s, u"1700000900"_s))
                                   << invalid << u"validity period"_s;
    QTest::newRow("exp fractional")
        << forge(header(), with(claims(), u"exp"_s, T0 + 900.5)) << invalid << u"validity period"_s;
    QTest::newRow("exp before iat")
        << forge(header(), with(claims(), u"exp"_s, T0 - 1)) << invalid << u"validity period"_s;
    QTest::newRow("iat missing") << forge(header(), with(claims(), u"iat"_s, QJsonValue::Undefined))
                                 << invalid << u"validity period"_s;
    QTest::newRow("other issuer") << forge(header(), with(claims(), u"iss"_s, u"evil"_s)) << invalid
                                  << u"issued by someone else"_s;
    QTest::newRow("refresh typ") << forge(header(), with(claims(), u"typ"_s, u"refresh"_s))
                                 << invalid << u"not an access token"_s;
    QTest::newRow("typ missing") << forge(header(), with(claims(), u"typ"_s, QJsonValue::Undefined))
                                 << invalid << u"not an access token"_s;
    QTest::newRow("sub missing") << forge(header(), with(claims(), u"sub"_s, QJsonValue::Undefined))
                                 << invalid << u"required claim"_s;
    QTest::newRow("sub empty") << forge(header(), with(claims(), u"sub"_s, QString())) << invalid
                               << u"required claim"_s;
    QTest::newRow("sub number") << forge(header(), with(claims(), u"sub"_s, 42)) << invalid
                                << u"required claim"_s;
    QTest::newRow("role missing") << forge(header(),
                                           with(claims(), u"role"_s, QJsonValue::Undefined))
                                  << invalid << u"required claim"_s;
    QTest::newRow("jti missing") << forge(header(), with(claims(), u"jti"_s, QJsonValue::Undefined))
                                 << invalid << u"required claim"_s;
}

void TestJwt::refused()
{
    QFETCH(QString, token);
    QFETCH(QString, code);
    QFETCH(QString, reason);
    Fixture fixture;
    const auto result = fixture.service().verify(token);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, code);
    QVERIFY2(result.error().message.contains(reason), qPrintable(result.error().message));
}

void TestJwt::accepted_data()
{
    QTest::addColumn<QString>("token");
    QTest::newRow("forged like ours") << forge(header(), claims());
    QTest::newRow("expired within leeway")
        << forge(header(), with(with(claims(), u"exp"_s, T0 - 29), u"iat"_s, T0 - 929));
    QTest::newRow("nbf within leeway") << forge(header(), with(claims(), u"nbf"_s, T0 + 30));
    QTest::newRow("iat within leeway")
        << forge(header(), with(with(claims(), u"iat"_s, T0 + 30), u"exp"_s, T0 + 930));
    QTest::newRow("typ header in lower case")
        << forge(with(header(), u"typ"_s, u"jwt"_s), claims());
    QTest::newRow("no typ header")
        << forge(with(header(), u"typ"_s, QJsonValue::Undefined), claims());
    QTest::newRow("unknown header parameter")
        << forge(with(header(), u"x5u"_s, u"https://x"_s), claims());
    QTest::newRow("extra claims") << forge(header(), with(claims(), u"scope"_s, u"chat"_s));
}

void TestJwt::accepted()
{
    QFETCH(QString, token);
    Fixture fixture;
    const auto result = fixture.service().verify(token);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result->userId, u"user-1"_s);
    QCOMPARE(result->role, u"user"_s);
}

void TestJwt::expiresAfterLifetimePlusLeeway()
{
    Fixture fixture;
    const AccessTokenService service = fixture.service();
    const QString token = service.issue(u"u"_s, u"user"_s)->token;
    *fixture.now = fixture.now->addSecs(15 * 60 + 29);
    QVERIFY(service.verify(token).ok());
    *fixture.now = fixture.now->addSecs(1);
    const auto late = service.verify(token);
    QVERIFY(!late.ok());
    QCOMPARE(late.error().code, QString(errc::TokenExpired));
}

void TestJwt::rotatedKeyStillVerifiesOldTokens()
{
    Fixture fixture;
    const AccessTokenService before = fixture.service(ring({ u"2024"_s, KeyOne }));
    const QString oldToken = before.issue(u"u"_s, u"user"_s)->token;

    // Rotation: the new key signs, the old one still verifies.
    const AccessTokenService after =
        fixture.service(ring({ u"2025"_s, KeyTwo }, { { u"2024"_s, KeyOne } }));
    QVERIFY(after.verify(oldToken).ok());
    const QString newToken = after.issue(u"u"_s, u"user"_s)->token;
    QCOMPARE(decodeSegment(newToken, 0).value(u"kid"_s).toString(), u"2025"_s);
    QVERIFY(after.verify(newToken).ok());
    // Nodes not yet updated reject the new key's tokens rather than guess.
    QCOMPARE(before.verify(newToken).error().code, QString(errc::InvalidToken));
}

void TestJwt::droppedKeyNoLongerVerifies()
{
    Fixture fixture;
    const QString oldToken =
        fixture.service(ring({ u"2024"_s, KeyOne })).issue(u"u"_s, u"user"_s)->token;
    const auto result = fixture.service(ring({ u"2025"_s, KeyTwo })).verify(oldToken);
    QVERIFY(!result.ok());
    QVERIFY(result.error().message.contains(u"unknown key"_s));
}

void TestJwt::keyRingRefusesBadKeys_data()
{
    QTest::addColumn<QString>("signingId");
    QTest::addColumn<QByteArray>("signingSecret");
    QTest::addColumn<QString>("otherId");
    QTest::addColumn<QByteArray>("otherSecret");
    QTest::addColumn<bool>("valid");
    QTest::newRow("good") << u"a"_s << KeyOne << u"b.2024-01_x"_s << KeyTwo << true;
    QTest::newRow("31 bytes") << u"a"_s << QByteArray(31, 'x') << u"b"_s << KeyTwo << false;
    QTest::newRow("old key too short") << u"a"_s << KeyOne << u"b"_s << QByteArray(8, 'x') << false;
    QTest::newRow("duplicate id") << u"a"_s << KeyOne << u"a"_s << KeyTwo << false;
    QTest::newRow("empty id") << QString() << KeyOne << u"b"_s << KeyTwo << false;
    QTest::newRow("id with space") << u"key one"_s << KeyOne << u"b"_s << KeyTwo << false;
    QTest::newRow("id with quote") << u"a\""_s << KeyOne << u"b"_s << KeyTwo << false;
    QTest::newRow("id too long") << QString(65, u'a') << KeyOne << u"b"_s << KeyTwo << false;
}

void TestJwt::keyRingRefusesBadKeys()
{
    QFETCH(QString, signingId);
    QFETCH(QByteArray, signingSecret);
    QFETCH(QString, otherId);
    QFETCH(QByteArray, otherSecret);
    QFETCH(bool, valid);
    const auto keys =
        JwtKeyRing::create({ signingId, signingSecret }, { { otherId, otherSecret } });
    QCOMPARE(keys.ok(), valid);
    if (valid) {
        QCOMPARE(keys->keyIds(), (QStringList { signingId, otherId }));
        QCOMPARE(keys->signingKey().id, signingId);
        QVERIFY(keys->secretFor(otherId));
        QCOMPARE(*keys->secretFor(otherId), otherSecret);
        QVERIFY(!keys->secretFor(u"nope"_s));
    } else {
        QCOMPARE(keys.error().code, QString(errc::InvalidField));
        QVERIFY(!keys.error().message.contains(QString::fromLatin1(signingSecret)));
    }
}

void TestJwt::secretFromSpec_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QByteArray>("fileContent"); // written to a file when "file:" is used
    QTest::addColumn<QByteArray>("expected"); // empty: an error is expected
    const QByteArray binary = QByteArray::fromHex("00ff10203040506070809aabbccddeeff00112233"
                                                  "445566778899aabbccddeeff");
    QTest::newRow("raw text") << u"this is a raw secret of 32+ bytes!"_s << QByteArray()
                              << QByteArray("this is a raw secret of 32+ bytes!");
    QTest::newRow("base64") << u"base64:"_s + QString::fromLatin1(binary.toBase64()) << QByteArray()
                            << binary;
    QTest::newRow("base64url unpadded") << u"base64:"_s
            + QString::fromLatin1(binary.toBase64(QByteArray::Base64UrlEncoding
                                                  | QByteArray::OmitTrailingEquals))
                                        << QByteArray() << binary;
    QTest::newRow("bad base64") << u"base64:not*base64"_s << QByteArray() << QByteArray();
    QTest::newRow("empty base64") << u"base64:"_s << QByteArray() << QByteArray();
    QTest::newRow("file raw with newline")
        << u"file:"_s << QByteArray("file secret\n") << QByteArray("file secret");
    QTest::newRow("file raw with crlf")
        << u"file:"_s << QByteArray("file secret\r\n") << QByteArray("file secret");
    QTest::newRow("file binary") << u"file:"_s << binary << binary;
    QTest::newRow("file holding base64") << u"file:"_s << "base64:" + binary.toBase64() + '\n'
                                         << binary;
    QTest::newRow("file too large") << u"file:"_s << QByteArray(70000, 'x') << QByteArray();
}

void TestJwt::secretFromSpec()
{
    QFETCH(QString, spec);
    QFETCH(QByteArray, fileContent);
    QFETCH(QByteArray, expected);
    QTemporaryDir dir;
    if (spec == u"file:") {
        QFile file(dir.filePath(u"key"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(fileContent);
        spec += file.fileName();
    }
    const auto secret = JwtKeyRing::secretFromSpec(spec);
    if (expected.isEmpty()) {
        QVERIFY(!secret.ok());
        QCOMPARE(secret.error().code, QString(errc::InvalidField));
    } else {
        QVERIFY2(secret.ok(), qPrintable(secret.ok() ? QString() : secret.error().message));
        QCOMPARE(*secret, expected);
    }
}

void TestJwt::secretFileErrorsDoNotLeakContent()
{
    QTemporaryDir dir;
    const auto missing = JwtKeyRing::secretFromSpec(u"file:"_s + dir.filePath(u"absent"_s));
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.contains(dir.filePath(u"absent"_s)));

    QFile file(dir.filePath(u"key"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("base64:SECRET*MATERIAL");
    file.close();
    const auto bad = JwtKeyRing::secretFromSpec(u"file:"_s + file.fileName());
    QVERIFY(!bad.ok());
    QVERIFY(!bad.error().message.contains(u"SECRET"_s));
}

void TestJwt::settingsValidation_data()
{
    QTest::addColumn<QString>("issuer");
    QTest::addColumn<int>("lifetime");
    QTest::addColumn<int>("leeway");
    QTest::addColumn<bool>("valid");
    QTest::newRow("defaults") << u"parlance"_s << 900 << 30 << true;
    QTest::newRow("no leeway") << u"parlance"_s << 900 << 0 << true;
    QTest::newRow("empty issuer") << QString() << 900 << 30 << false;
    QTest::newRow("zero lifetime") << u"parlance"_s << 0 << 30 << false;
    QTest::newRow("two days") << u"parlance"_s << 2 * 86400 << 30 << false;
    QTest::newRow("negative leeway") << u"parlance"_s << 900 << -1 << false;
    QTest::newRow("ten minutes leeway") << u"parlance"_s << 900 << 600 << false;
}

void TestJwt::settingsValidation()
{
    QFETCH(QString, issuer);
    QFETCH(int, lifetime);
    QFETCH(int, leeway);
    QFETCH(bool, valid);
    const AccessTokenSettings settings { issuer, std::chrono::seconds(lifetime),
                                         std::chrono::seconds(leeway) };
    QCOMPARE(settings.validate().ok(), valid);
}

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"
