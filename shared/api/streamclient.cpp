#include "api/streamclient.h"

#include "api/apiclient.h"
#include "api/apiclient_p.h"
#include "contract/errorcodes.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#if QT_CONFIG(ssl)
#include <QSslError>
#endif

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parlance::client {

namespace {

QJsonObject dataObject(const SseEvent &event)
{
    return QJsonDocument::fromJson(event.data.toUtf8()).object();
}

} // namespace

StreamClient::StreamClient(ApiClient *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{
    m_backoff.setSingleShot(true);
    connect(&m_backoff, &QTimer::timeout, this, &StreamClient::connectNow);
    m_parser.setEventHandler([this](SseEvent &event) { onEvent(event); });
}

StreamClient::~StreamClient()
{
    dropReply();
}

void StreamClient::start(const QString &streamUrl, const QString &lastEventId)
{
    dropReply();
    m_backoff.stop();
    m_parser.reset();
    m_streamUrl = streamUrl;
    m_lastEventId = lastEventId;
    m_lastSeq = lastEventId.toLongLong();
    m_text.clear();
    m_attempt = 0;
    m_connections = 0;
    m_refreshedThisAttempt = false;
    setState(State::Connecting);
    connectNow();
}

void StreamClient::close()
{
    dropReply();
    m_backoff.stop();
    setState(State::Idle);
}

void StreamClient::connectNow()
{
    if (!m_api)
        return fail({ QString(errc::NetworkError), u"No API client."_s, std::nullopt });
    dropReply();
    m_parser.restart();
    m_errorBody.clear();
    m_sslReason.clear();
    m_gotEventThisConnection = false;

    QNetworkRequest request = m_api->authorizedRequest(m_api->urlFor(m_streamUrl));
    // Heartbeats keep bytes moving on a healthy stream, so silence this long
    // means the connection is dead even if TCP has not noticed.
    request.setTransferTimeout(m_settings.idleTimeoutMs);
    request.setRawHeader("Accept", "text/event-stream");
    request.setRawHeader("Cache-Control", "no-cache");
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    if (!m_lastEventId.isEmpty())
        request.setRawHeader("Last-Event-ID", m_lastEventId.toUtf8());
    ++m_connections;
    qCDebug(lcApi) << "stream connect" << m_connections << "after" << m_lastEventId;

    QNetworkReply *reply = m_api->network()->get(request);
    m_reply = reply;
    connect(reply, &QNetworkReply::readyRead, this, &StreamClient::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &StreamClient::onReplyFinished);
#if QT_CONFIG(ssl)
    connect(reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        QStringList reasons;
        for (const QSslError &error : errors)
            reasons.append(error.errorString());
        m_sslReason = reasons.join(u"; "_s);
    });
#endif
}

void StreamClient::onReadyRead()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200) {
        m_errorBody += reply->readAll();
        return;
    }
    const QByteArray chunk = reply->readAll();
    const Status parsed = m_parser.feed(chunk);
    if (m_state == State::Finished || m_state == State::Failed || m_state == State::Idle) {
        if (m_reply == reply)
            dropReply();
        return;
    }
    if (!parsed)
        fail(parsed.error());
}

void StreamClient::onEvent(SseEvent &event)
{
    if (m_state == State::Finished || m_state == State::Failed || m_state == State::Idle)
        return;
    if (event.type == u"reconnect") {
        // Backpressure: the server closes next and resumes after our last id.
        qCDebug(lcApi) << "stream: server asked to reconnect";
        return;
    }
    bool numeric = false;
    const qint64 seq = event.id.toLongLong(&numeric);
    if (numeric && seq <= m_lastSeq)
        return; // already delivered on an earlier connection
    if (numeric)
        m_lastSeq = seq;
    if (!event.id.isEmpty())
        m_lastEventId = event.id;
    m_gotEventThisConnection = true;
    m_attempt = 0;
    m_refreshedThisAttempt = false;
    if (m_state != State::Streaming)
        setState(State::Streaming);

    const QJsonObject data = dataObject(event);
    if (event.type == u"delta") {
        const QString text = data.value(u"text"_s).toString();
        m_text += text;
        Q_EMIT deltaReceived(text);
    } else if (event.type == u"meta") {
        Q_EMIT metaReceived(data);
    } else if (event.type == u"usage") {
        if (auto usage = Usage::fromJson(data))
            Q_EMIT usageReceived(*usage);
        else
            qCWarning(lcApi) << "stream: unreadable usage event" << usage.error().message;
    } else if (event.type == u"error") {
        Q_EMIT errorReceived(ApiError::fromJson(data));
    } else if (event.type == u"done") {
        const auto status = Message::statusFromName(data.value(u"status"_s).toString());
        setState(State::Finished);
        Q_EMIT finished(status.value_or(Message::Status::Error));
    }
}

void StreamClient::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || sender() != reply)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200) {
        // Bytes that arrived with the end of the stream.
        const QByteArray rest = reply->readAll();
        if (!rest.isEmpty())
            (void)m_parser.feed(rest);
    }
    if (m_state == State::Finished || m_state == State::Failed || m_state == State::Idle) {
        dropReply();
        return;
    }
    if (status == 200 || status == 0) {
        // The parser drops an event cut in half; Last-Event-ID brings it back.
        (void)m_parser.finish();
        ApiError error = status == 0
            ? ApiClient::replyError(reply, {}, m_sslReason)
                  .value_or(ApiError { QString(errc::NetworkError), {}, {} })
            : ApiError { QString(errc::NetworkError), u"The stream ended before the answer did."_s,
                         std::nullopt };
        return connectionLost(error);
    }

    m_errorBody += reply->readAll();
    const ApiError error = ApiClient::replyError(reply, m_errorBody, m_sslReason)
                               .value_or(ApiError { QString(errc::MalformedResponse),
                                                    u"Unexpected answer."_s, std::nullopt });
    dropReply();
    if (isTokenRejection(status, error) && !m_refreshedThisAttempt && m_api
        && m_api->hasRefreshToken()) {
        m_refreshedThisAttempt = true;
        m_api->refreshSession(this, [this](Status refreshed) {
            if (!refreshed)
                return fail(refreshed.error());
            if (m_state == State::Connecting || m_state == State::Reconnecting
                || m_state == State::Streaming)
                connectNow();
        });
        return;
    }
    if (status == 429 || status >= 500)
        return connectionLost(error, error.retryAfterSeconds.value_or(0) * 1000);
    fail(error); // 410 stream_expired, 404, 403, a refused refresh...
}

void StreamClient::connectionLost(const ApiError &error, int retryAfterMs)
{
    dropReply();
    ++m_attempt;
    if (m_attempt > m_settings.maxAttempts)
        return fail(error);
    const int exponent = std::min(m_attempt - 1, 20);
    const int delay = std::max(retryAfterMs,
                               int(std::min<qint64>(qint64(m_settings.initialBackoffMs) << exponent,
                                                    m_settings.maxBackoffMs)));
    qCDebug(lcApi) << "stream lost:" << error.code << "reconnect" << m_attempt << "in" << delay;
    setState(State::Reconnecting);
    Q_EMIT reconnecting(m_attempt, delay);
    m_backoff.start(delay);
}

void StreamClient::fail(const ApiError &error)
{
    dropReply();
    m_backoff.stop();
    qCDebug(lcApi) << "stream failed:" << error.code;
    setState(State::Failed);
    if (error.code == errc::StreamExpired)
        Q_EMIT expired();
    Q_EMIT failed(error);
}

void StreamClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void StreamClient::dropReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    disconnect(reply, nullptr, this, nullptr);
    reply->abort();
    reply->deleteLater();
}

} // namespace parlance::client
