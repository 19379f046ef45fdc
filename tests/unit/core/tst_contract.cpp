#include "contract/apipaths.h"
#include "contract/errorcodes.h"
#include "domain/apierror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

// Every code the contract defines, with the status it must travel with. A new
// code that is not listed here fails allCodesAreListed... by count, so this
// table is kept complete.
struct CodeStatus
{
    QLatin1StringView code;
    int status;
};

const CodeStatus expectedStatuses[] = {
    { errc::MalformedJson, 400 },
    { errc::InvalidField, 400 },
    { errc::MissingField, 400 },
    { errc::NotFound, 404 },
    { errc::MethodNotAllowed, 405 },
    { errc::PayloadTooLarge, 413 },
    { errc::HeadersTooLarge, 431 },
    { errc::UnsupportedMediaType, 415 },
    { errc::RequestTimeout, 408 },
    { errc::Unauthenticated, 401 },
    { errc::InvalidCredentials, 401 },
    { errc::TokenExpired, 401 },
    { errc::InvalidToken, 401 },
    { errc::TokenReused, 401 },
    { errc::AccountDisabled, 403 },
    { errc::Forbidden, 403 },
    { errc::EmailTaken, 409 },
    { errc::WeakPassword, 400 },
    { errc::TooManyAttempts, 429 },
    { errc::Conflict, 409 },
    { errc::GenerationInProgress, 409 },
    { errc::UnknownModel, 400 },
    { errc::ContextTooLong, 422 },
    { errc::StreamExpired, 410 },
    { errc::ShareExpired, 410 },
    { errc::RateLimited, 429 },
    { errc::QuotaExceeded, 429 },
    { errc::Internal, 500 },
    { errc::Unavailable, 503 },
    { errc::Overloaded, 503 },
    { errc::UpstreamError, 502 },
    { errc::UpstreamTimeout, 504 },
    { errc::MalformedResponse, 502 },
    { errc::NetworkError, 503 },
    { errc::NetworkUnreachable, 503 },
    { errc::TlsError, 502 },
    { errc::Timeout, 504 },
};

QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

} // namespace

class TestContract : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void errorCodeMapsToHttpStatus_data();
    void errorCodeMapsToHttpStatus();
    void unknownCodeIsInternalServerError();
    void errorCodesAreUniqueSnakeCase();
    void apiErrorWritesEnvelope_data();
    void apiErrorWritesEnvelope();
    void apiErrorReadsEnvelopeOrInner_data();
    void apiErrorReadsEnvelopeOrInner();
    void apiErrorRoundTrips();
    void pathFillsPlaceholders_data();
    void pathFillsPlaceholders();
    void apiPathsShareThePrefix();
};

void TestContract::errorCodeMapsToHttpStatus_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("status");
    for (const CodeStatus &entry : expectedStatuses)
        QTest::newRow(entry.code.data()) << QString(entry.code) << entry.status;
}

void TestContract::errorCodeMapsToHttpStatus()
{
    QFETCH(QString, code);
    QFETCH(int, status);
    const QByteArray latin1 = code.toLatin1();
    QCOMPARE(errc::httpStatusFor(QLatin1StringView(latin1)), status);
}

void TestContract::unknownCodeIsInternalServerError()
{
    QCOMPARE(errc::httpStatusFor(QLatin1StringView("no_such_code")), 500);
    QCOMPARE(errc::httpStatusFor(QLatin1StringView("")), 500);
    // Codes are case-sensitive: a client must not get a 404 for "NOT_FOUND".
    QCOMPARE(errc::httpStatusFor(QLatin1StringView("NOT_FOUND")), 500);
}

void TestContract::errorCodesAreUniqueSnakeCase()
{
    const QRegularExpression snake(u"^[a-z]+(_[a-z]+)*$"_s);
    QSet<QString> seen;
    for (const CodeStatus &entry : expectedStatuses) {
        const QString code(entry.code);
        QVERIFY2(snake.match(code).hasMatch(), qPrintable(code));
        QVERIFY2(!seen.contains(code), qPrintable(code));
        seen.insert(code);
    }
    QCOMPARE(seen.size(), 37);
}

void TestContract::apiErrorWritesEnvelope_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("retryAfter"); // -1: none
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("plain")
        << u"not_found"_s << u"No such conversation."_s << -1
        << QByteArray(R"({"error":{"code":"not_found","message":"No such conversation."}})");
    QTest::newRow("with retry_after")
        << u"quota_exceeded"_s << u"Daily limit reached."_s << 30
        << QByteArray(
               R"({"error":{"code":"quota_exceeded","message":"Daily limit reached.","retry_after":30}})");
    QTest::newRow("retry_after zero is kept")
        << u"overloaded"_s << u"Busy."_s << 0
        << QByteArray(R"({"error":{"code":"overloaded","message":"Busy.","retry_after":0}})");
}

void TestContract::apiErrorWritesEnvelope()
{
    QFETCH(QString, code);
    QFETCH(QString, message);
    QFETCH(int, retryAfter);
    QFETCH(QByteArray, expected);

    ApiError error { code, message, std::nullopt };
    if (retryAfter >= 0)
        error.retryAfterSeconds = retryAfter;
    QCOMPARE(QJsonDocument(error.toEnvelope()).toJson(QJsonDocument::Compact), expected);
    QCOMPARE(error.toEnvelope().value(u"error"_s).toObject(), error.toJson());
}

void TestContract::apiErrorReadsEnvelopeOrInner_data()
{
    QTest::addColumn<QJsonObject>("json");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("retryAfter"); // -1: none

    QTest::newRow("envelope") << parse(
        R"({"error":{"code":"rate_limited","message":"Slow down.","retry_after":12}})")
                              << u"rate_limited"_s << u"Slow down."_s << 12;
    QTest::newRow("inner object") << parse(R"({"code":"forbidden","message":"No."})")
                                  << u"forbidden"_s << u"No."_s << -1;
    QTest::newRow("unknown fields ignored")
        << parse(R"({"error":{"code":"conflict","message":"m","details":[1,2]},"trace":"x"})")
        << u"conflict"_s << u"m"_s << -1;
    QTest::newRow("negative retry_after ignored")
        << parse(R"({"error":{"code":"overloaded","message":"m","retry_after":-5}})")
        << u"overloaded"_s << u"m"_s << -1;
    QTest::newRow("string retry_after ignored")
        << parse(R"({"error":{"code":"overloaded","message":"m","retry_after":"5"}})")
        << u"overloaded"_s << u"m"_s << -1;
    QTest::newRow("no code is malformed") << parse(R"({"error":{"message":"m"}})")
                                          << QString(errc::MalformedResponse) << QString() << -1;
    QTest::newRow("empty code is malformed") << parse(R"({"error":{"code":"","message":"m"}})")
                                             << QString(errc::MalformedResponse) << QString() << -1;
    QTest::newRow("numeric code is malformed")
        << parse(R"({"error":{"code":404}})") << QString(errc::MalformedResponse) << QString()
        << -1;
    QTest::newRow("error is a string")
        << parse(R"({"error":"boom"})") << QString(errc::MalformedResponse) << QString() << -1;
    QTest::newRow("empty object") << QJsonObject() << QString(errc::MalformedResponse) << QString()
                                  << -1;
}

void TestContract::apiErrorReadsEnvelopeOrInner()
{
    QFETCH(QJsonObject, json);
    QFETCH(QString, code);
    QFETCH(QString, message);
    QFETCH(int, retryAfter);

    const ApiError error = ApiError::fromJson(json);
    QCOMPARE(error.code, code);
    if (code == QString(errc::MalformedResponse))
        QVERIFY(!error.message.isEmpty()); // says what went wrong
    else
        QCOMPARE(error.message, message);
    QCOMPARE(error.retryAfterSeconds.value_or(-1), retryAfter);
}

void TestContract::apiErrorRoundTrips()
{
    const ApiError error { u"context_too_long"_s, u"Ünïcödé \"quoted\" message"_s, 7 };
    QCOMPARE(ApiError::fromJson(error.toEnvelope()), error);
    QCOMPARE(ApiError::fromJson(error.toJson()), error);
    const QJsonObject reparsed =
        QJsonDocument::fromJson(QJsonDocument(error.toEnvelope()).toJson()).object();
    QCOMPARE(ApiError::fromJson(reparsed), error);
}

void TestContract::pathFillsPlaceholders_data()
{
    QTest::addColumn<QString>("templ");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");

    const QString uuid = u"5f2d8c1e-9b7a-4e63-8d21-0c4b5a6f7e8d"_s;
    QTest::newRow("conversation") << QString(api::Conversation) << QStringList { uuid }
                                  << u"/api/v1/conversations/"_s + uuid;
    QTest::newRow("messages of a conversation")
        << QString(api::ConversationMessages) << QStringList { uuid }
        << u"/api/v1/conversations/"_s + uuid + u"/messages"_s;
    QTest::newRow("stream") << QString(api::Stream) << QStringList { u"m1"_s }
                            << u"/api/v1/stream/m1"_s;
    QTest::newRow("share page") << QString(api::SharedPage) << QStringList { u"q7Xk2pLm9RtZ"_s }
                                << u"/s/q7Xk2pLm9RtZ"_s;
    QTest::newRow("slash is escaped, not a new segment")
        << QString(api::Folder) << QStringList { u"a/../b"_s } << u"/api/v1/folders/a%2F..%2Fb"_s;
    QTest::newRow("space and query characters are escaped")
        << QString(api::Message) << QStringList { u"a b?c#d&e"_s }
        << u"/api/v1/messages/a%20b%3Fc%23d%26e"_s;
    QTest::newRow("unicode is UTF-8 percent-encoded")
        << QString(api::AdminUser) << QStringList { u"é"_s } << u"/api/v1/admin/users/%C3%A9"_s;
    QTest::newRow("two placeholders in order")
        << u"/api/v1/x/<arg>/y/<arg>"_s << QStringList { u"1"_s, u"2"_s } << u"/api/v1/x/1/y/2"_s;
    QTest::newRow("placeholder text in an argument is not refilled")
        << u"/api/v1/x/<arg>/y/<arg>"_s << QStringList { u"<arg>"_s, u"2"_s }
        << u"/api/v1/x/%3Carg%3E/y/2"_s;
}

void TestContract::pathFillsPlaceholders()
{
    QFETCH(QString, templ);
    QFETCH(QStringList, args);
    QFETCH(QString, expected);

    const QByteArray latin1 = templ.toLatin1();
    const QLatin1StringView view(latin1);
    const QString path =
        args.size() == 1 ? api::path(view, args.at(0)) : api::path(view, args.at(0), args.at(1));
    QCOMPARE(path, expected);
}

void TestContract::apiPathsShareThePrefix()
{
    const QLatin1StringView versioned[] = {
        api::OpenApi,
        api::AuthRegister,
        api::AuthLogin,
        api::AuthRefresh,
        api::AuthLogout,
        api::AuthMe,
        api::AuthPassword,
        api::Conversations,
        api::Conversation,
        api::ConversationRestore,
        api::ConversationMessages,
        api::ConversationShare,
        api::Folders,
        api::Folder,
        api::Tags,
        api::Message,
        api::MessageStop,
        api::MessageRegenerate,
        api::Stream,
        api::Models,
        api::FilesUpload,
        api::File,
        api::Search,
        api::UserUsage,
        api::AdminMetrics,
        api::AdminUsers,
        api::AdminUser,
        api::AdminProviders,
    };
    const QString prefix = QString(api::Prefix) + u'/';
    QSet<QString> seen;
    for (const QLatin1StringView path : versioned) {
        QVERIFY2(path.startsWith(prefix), path.data());
        QVERIFY2(!path.endsWith(u'/'), path.data());
        QVERIFY2(!seen.contains(QString(path)), path.data());
        seen.insert(QString(path));
    }
    // The seed design's table, verbatim.
    QCOMPARE(QString(api::AuthLogin), u"/api/v1/auth/login"_s);
    QCOMPARE(QString(api::UserUsage), u"/api/v1/user/usage"_s);
    QCOMPARE(QString(api::AdminMetrics), u"/api/v1/admin/dashboard/metrics"_s);
    QCOMPARE(QString(api::FilesUpload), u"/api/v1/files/upload"_s);
    // Probes live at the root, outside the versioned API.
    for (const QLatin1StringView path : { api::Healthz, api::Readyz, api::Metrics })
        QVERIFY(!path.startsWith(api::Prefix));
}

QTEST_GUILESS_MAIN(TestContract)
#include "tst_contract.moc"
