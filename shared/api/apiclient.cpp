#include "api/apiclient.h"

#include "api/apiclient_p.h"
#include "contract/apipaths.h"
#include "contract/errorcodes.h"

#include <QJsonDocument>
#include <QMetaObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#if QT_CONFIG(ssl)
#include <QSslError>
#endif

using namespace Qt::StringLiterals;

namespace parlance::client {

Q_LOGGING_CATEGORY(lcApi, "parlance.api", QtInfoMsg)

struct ApiClient::PendingCall
{
    QByteArray method;
    QUrl url;
    QByteArray body;
    bool hasBody = false;
    Auth auth = Auth::Bearer;
    QString tokenUsed; // the access token this attempt carried
    bool retried = false; // one retry after a refresh, never more
    JsonCallback done; // already guarded by the caller's context
};

namespace {

ApiError makeError(QLatin1StringView code, const QString &message)
{
    return ApiError { QString(code), message, std::nullopt };
}

// An HTTP error whose body is not our error JSON (a proxy's HTML page, an
// empty 502): a code from the status alone.
QLatin1StringView codeForStatus(int status)
{
    switch (status) {
    case 401:
        return errc::Unauthenticated;
    case 403:
        return errc::Forbidden;
    case 404:
        return errc::NotFound;
    case 408:
        return errc::RequestTimeout;
    case 413:
        return errc::PayloadTooLarge;
    case 429:
        return errc::RateLimited;
    default:
        return status >= 500 ? errc::Unavailable : errc::MalformedResponse;
    }
}

// Refresh answers that mean "this sign-in is over", as opposed to a failure
// in transit or an overloaded server, after which the token is still good.
bool refreshWasRefused(const ApiError &error)
{
    return error.code == errc::InvalidToken || error.code == errc::TokenReused
        || error.code == errc::TokenExpired || error.code == errc::AccountDisabled
        || error.code == errc::Unauthenticated || error.code == errc::InvalidCredentials
        || error.code == errc::Forbidden;
}

} // namespace

ApiClient::ApiClient(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
    // Redirects across origins would leak the bearer header; the API never
    // redirects, so follow none.
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

ApiClient::~ApiClient() = default;

void ApiClient::setBaseUrl(const QUrl &url)
{
    m_baseUrl = url;
}

void ApiClient::setSession(const QString &accessToken, const QString &refreshToken)
{
    const bool accessChanged = accessToken != m_accessToken;
    const bool refreshChanged = refreshToken != m_refreshToken;
    m_accessToken = accessToken;
    m_refreshToken = refreshToken;
    if (accessChanged)
        Q_EMIT accessTokenChanged();
    if (refreshChanged)
        Q_EMIT refreshTokenChanged(m_refreshToken);
}

void ApiClient::clearSession()
{
    setSession({}, {});
}

QUrl ApiClient::urlFor(const QString &path, const QUrlQuery &query) const
{
    QUrl url(path);
    if (url.isRelative()) {
        url = m_baseUrl;
        QString base = url.path();
        if (base.endsWith(u'/'))
            base.chop(1);
        url.setPath(base + path);
    }
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

QNetworkRequest ApiClient::authorizedRequest(const QUrl &url) const
{
    QNetworkRequest request(url);
    if (!m_accessToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_accessToken.toLatin1());
    request.setTransferTimeout(int(m_transferTimeout.count()));
    return request;
}

void ApiClient::call(QByteArrayView method, const QString &path, const QJsonObject &body,
                     const QUrlQuery &query, QObject *context, JsonCallback done, Auth auth)
{
    auto pending = std::make_shared<PendingCall>();
    pending->method = method.toByteArray();
    pending->url = urlFor(path, query);
    pending->hasBody = !body.isEmpty() || method == "POST" || method == "PATCH" || method == "PUT";
    if (pending->hasBody)
        pending->body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    pending->auth = auth;
    pending->done = guarded(context, std::move(done));
    send(pending);
}

void ApiClient::get(const QString &path, const QUrlQuery &query, QObject *context,
                    JsonCallback done)
{
    call("GET", path, {}, query, context, std::move(done));
}

void ApiClient::post(const QString &path, const QJsonObject &body, QObject *context,
                     JsonCallback done)
{
    call("POST", path, body, {}, context, std::move(done));
}

void ApiClient::patch(const QString &path, const QJsonObject &body, QObject *context,
                      JsonCallback done)
{
    call("PATCH", path, body, {}, context, std::move(done));
}

void ApiClient::deleteResource(const QString &path, QObject *context, JsonCallback done)
{
    call("DELETE", path, {}, {}, context, std::move(done));
}

void ApiClient::send(const std::shared_ptr<PendingCall> &call)
{
    // Restored sessions start with a refresh token only: refresh first
    // instead of collecting a 401.
    if (call->auth == Auth::Bearer && m_accessToken.isEmpty() && hasRefreshToken()
        && !call->retried) {
        call->retried = true;
        refreshSession(this, [this, call](Status status) {
            if (!status)
                return deliver(call, status.error());
            send(call);
        });
        return;
    }

    QNetworkRequest request =
        call->auth == Auth::Bearer ? authorizedRequest(call->url) : QNetworkRequest(call->url);
    request.setTransferTimeout(int(m_transferTimeout.count()));
    request.setRawHeader("Accept", "application/json");
    if (call->hasBody)
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    call->tokenUsed = call->auth == Auth::Bearer ? m_accessToken : QString();

    QNetworkReply *reply = m_network->sendCustomRequest(request, call->method, call->body);
    auto sslReason = std::make_shared<QString>();
#if QT_CONFIG(ssl)
    connect(reply, &QNetworkReply::sslErrors, reply, [sslReason](const QList<QSslError> &errors) {
        QStringList reasons;
        for (const QSslError &error : errors)
            reasons.append(error.errorString());
        *sslReason = reasons.join(u"; "_s);
    });
#endif
    connect(reply, &QNetworkReply::finished, this, [this, call, reply, sslReason] {
        reply->deleteLater();
        onFinished(call, reply, *sslReason);
    });
}

void ApiClient::onFinished(const std::shared_ptr<PendingCall> &call, QNetworkReply *reply,
                           const QString &sslReason)
{
    // An aborted reply (transfer timeout) is closed: nothing to read.
    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const std::optional<ApiError> error = replyError(reply, body, sslReason);
    qCDebug(lcApi) << call->method << call->url.path() << status << (error ? error->code : u"ok"_s);

    if (error && isTokenRejection(status, *error) && call->auth == Auth::Bearer && !call->retried
        && hasRefreshToken()) {
        call->retried = true;
        // Another call's refresh may already have replaced the token this
        // one carried: just send it again.
        if (!m_accessToken.isEmpty() && m_accessToken != call->tokenUsed && !m_refreshInFlight)
            return send(call);
        refreshSession(this, [this, call](Status refreshed) {
            if (!refreshed)
                return deliver(call, refreshed.error());
            send(call);
        });
        return;
    }
    if (error)
        return deliver(call, *error);
    if (body.trimmed().isEmpty())
        return deliver(call, QJsonObject());
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return deliver(
            call,
            makeError(errc::MalformedResponse,
                      u"The server's answer is not a JSON object (HTTP %1)."_s.arg(status)));
    }
    deliver(call, document.object());
}

void ApiClient::deliver(const std::shared_ptr<PendingCall> &call, Result<QJsonObject> result)
{
    call->done(std::move(result));
}

std::optional<ApiError> ApiClient::replyError(QNetworkReply *reply, const QByteArray &body,
                                              const QString &sslReason)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0) {
        const QString host = reply->url().host();
        switch (reply->error()) {
        case QNetworkReply::NoError:
            return makeError(errc::MalformedResponse, u"The server sent no HTTP answer."_s);
        case QNetworkReply::ConnectionRefusedError:
        case QNetworkReply::HostNotFoundError:
        case QNetworkReply::TemporaryNetworkFailureError:
        case QNetworkReply::NetworkSessionFailedError:
        case QNetworkReply::ProxyConnectionRefusedError:
        case QNetworkReply::ProxyNotFoundError:
            return makeError(errc::NetworkUnreachable,
                             u"Cannot reach %1: %2"_s.arg(host, reply->errorString()));
        case QNetworkReply::SslHandshakeFailedError:
            return makeError(errc::TlsError,
                             sslReason.isEmpty() ? reply->errorString() : sslReason);
        case QNetworkReply::TimeoutError:
        case QNetworkReply::OperationCanceledError:
            // Qt aborts a request whose transfer timeout expired with
            // OperationCanceledError; ApiClient itself never aborts one.
            return makeError(errc::Timeout, u"%1 did not answer in time."_s.arg(host));
        default:
            if (!sslReason.isEmpty())
                return makeError(errc::TlsError, sslReason);
            return makeError(errc::NetworkError, reply->errorString());
        }
    }
    if (status >= 200 && status < 300)
        return std::nullopt;

    ApiError error;
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    if (json.value(u"error"_s).isObject()) {
        error = ApiError::fromJson(json);
    } else {
        error = makeError(codeForStatus(status), u"The server answered HTTP %1."_s.arg(status));
    }
    if (!error.retryAfterSeconds && reply->hasRawHeader("Retry-After")) {
        bool ok = false;
        const int seconds = reply->rawHeader("Retry-After").trimmed().toInt(&ok);
        if (ok && seconds >= 0)
            error.retryAfterSeconds = seconds;
    }
    return error;
}

void ApiClient::refreshSession(QObject *context, StatusCallback done)
{
    auto callback = guarded(context, std::move(done));
    if (!hasRefreshToken()) {
        QMetaObject::invokeMethod(
            this, [callback] { callback(makeError(errc::Unauthenticated, u"Not signed in."_s)); },
            Qt::QueuedConnection);
        return;
    }
    m_refreshWaiters.append(std::move(callback));
    if (!m_refreshInFlight)
        startRefresh();
}

void ApiClient::startRefresh()
{
    m_refreshInFlight = true;
    ++m_refreshCount;
    const QString sentToken = m_refreshToken;
    call(
        "POST", QString(api::AuthRefresh), QJsonObject { { u"refresh_token"_s, sentToken } }, {},
        this,
        [this, sentToken](Result<QJsonObject> answer) {
            // Signed out (or in as someone else) while the refresh was on the
            // wire: its answer belongs to a session that no longer exists.
            if (m_refreshToken != sentToken) {
                return finishRefresh(
                    makeError(errc::Unauthenticated, u"The session ended during a refresh."_s));
            }
            if (!answer) {
                if (refreshWasRefused(answer.error())) {
                    qCInfo(lcApi) << "refresh refused:" << answer.error().code;
                    clearSession();
                    finishRefresh(answer.error());
                    Q_EMIT sessionExpired();
                    return;
                }
                return finishRefresh(answer.error());
            }
            auto session = asAnswer(AuthSession::fromJson(*answer));
            if (!session)
                return finishRefresh(session.error());
            adoptSession(*session);
            finishRefresh(Done {});
        },
        Auth::None);
}

void ApiClient::finishRefresh(Status status)
{
    m_refreshInFlight = false;
    const QList<StatusCallback> waiters = std::exchange(m_refreshWaiters, {});
    for (const StatusCallback &waiter : waiters)
        waiter(status);
}

void ApiClient::adoptSession(const AuthSession &session)
{
    setSession(session.accessToken, session.refreshToken);
}

} // namespace parlance::client
