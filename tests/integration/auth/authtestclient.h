#pragma once

// Shared by the auth integration suites: cheap Argon2 settings for test
// servers and small helpers around TestHttpClient for the /auth routes.
#include "contract/apipaths.h"
#include "parlancedprocess.h"
#include "testhttpclient.h"

#include <QJsonObject>
#include <QStringList>
#include <QTest>

namespace parlance::test {

// Argon2 at its minimum cost: the suites hash dozens of passwords, and the
// cost parameters are not what they test.
inline QStringList cheapAuthArgs()
{
    using namespace Qt::StringLiterals;
    return { u"--argon2-memory-kib"_s, u"64"_s, u"--argon2-iterations"_s, u"1"_s,
             u"--test-hooks"_s };
}

inline TestHttpClient::Headers bearer(const QString &token)
{
    return { { "Authorization", "Bearer " + token.toLatin1() } };
}

inline TestHttpClient::Reply postJson(TestHttpClient &http, QLatin1StringView path,
                                      const QJsonObject &body, const QString &token = {})
{
    return http.request("POST", QString(path), body,
                        token.isEmpty() ? TestHttpClient::Headers {} : bearer(token));
}

inline TestHttpClient::Reply registerAccount(TestHttpClient &http, const QString &email,
                                             const QString &password)
{
    using namespace Qt::StringLiterals;
    return postJson(http, api::AuthRegister,
                    { { u"email"_s, email }, { u"password"_s, password } });
}

inline TestHttpClient::Reply login(TestHttpClient &http, const QString &email,
                                   const QString &password)
{
    using namespace Qt::StringLiterals;
    return postJson(http, api::AuthLogin, { { u"email"_s, email }, { u"password"_s, password } });
}

inline TestHttpClient::Reply refresh(TestHttpClient &http, const QString &refreshToken)
{
    using namespace Qt::StringLiterals;
    return postJson(http, api::AuthRefresh, { { u"refresh_token"_s, refreshToken } });
}

inline TestHttpClient::Reply me(TestHttpClient &http, const QString &accessToken)
{
    return http.get(QString(api::AuthMe), bearer(accessToken));
}

inline QString accessOf(const TestHttpClient::Reply &reply)
{
    using namespace Qt::StringLiterals;
    return reply.json.value(u"access_token"_s).toString();
}

inline QString refreshOf(const TestHttpClient::Reply &reply)
{
    using namespace Qt::StringLiterals;
    return reply.json.value(u"refresh_token"_s).toString();
}

// An expected error code as text: errc constants, QStrings, or "" for success.
inline QString codeText(QLatin1StringView code)
{
    return QString(code);
}
inline QString codeText(const QString &code)
{
    return code;
}
inline QString codeText(const char *code)
{
    return QString::fromLatin1(code);
}

} // namespace parlance::test

// Status and error code in one check, printing the body when they differ.
#define PARLANCE_COMPARE_REPLY(reply, expectedStatus, expectedCode)                                \
    do {                                                                                           \
        const auto &parlance_reply_ = (reply);                                                     \
        QVERIFY2(parlance_reply_.status == (expectedStatus)                                        \
                     && parlance_reply_.errorCode() == parlance::test::codeText(expectedCode),     \
                 qPrintable(QString::number(parlance_reply_.status) + QLatin1Char(' ')             \
                            + QString::fromUtf8(parlance_reply_.body)));                           \
    } while (false)
