// The WebSocket form of GET /api/v1/stream/<id> (see StreamApi). Qt HttpServer
// 6.4 completes the upgrade itself (its handshake even answers
// Access-Control-Allow-Origin: *) before any handler runs, so every check
// happens here, on the open socket, and a refusal is a close code:
//   1008 policy violation: Origin not allowed
//   4400 bad last_event_id / path, 4401 no or bad token, 4404 no such stream,
//   4410 stream expired (resume after the log is gone: reload the message).
#include "auth/accesstokenservice.h"
#include "common/workerpool.h"
#include "contract/errorcodes.h"
#include "conversations/conversationservice.h"
#include "streaming/streamapi.h"
#include "streaming/streaminglog.h"
#include "streaming/streamregistry.h"
#include "streaming/websocketfeed.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

constexpr int AuthTimeoutMs = 10'000;

enum CloseCode : int {
    BadRequest = 4400,
    Unauthenticated = 4401,
    NotFound = 4404,
    Expired = 4410,
    TryAgainLater = 1013, // RFC 6455 registry; Qt 6.4 has no name for it
};

// One upgraded socket until it has a feed (or is refused). Not a child of the
// socket: a database lookup posts back to it, so it must outlive the socket
// until that answer arrives; it deletes itself then.
class WebSocketSession : public QObject
{
public:
    WebSocketSession(QWebSocket *socket, StreamApi::Options options,
                     std::shared_ptr<const AccessTokenService> tokens, WorkerPool *workers)
        : m_socket(socket)
        , m_options(std::move(options))
        , m_tokens(std::move(tokens))
        , m_workers(workers)
    {
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    }

    void begin()
    {
        if (!originAllowed())
            return refuse(QWebSocketProtocol::CloseCodePolicyViolated, u"origin not allowed"_s);
        static const QRegularExpression path(u"^/api/v1/stream/([^/]+)(/ws)?/?$"_s);
        const QUrl url = m_socket->requestUrl();
        const auto match = path.match(url.path());
        if (!match.hasMatch())
            return refuse(NotFound, u"no such endpoint"_s);
        m_messageId = match.captured(1);
        const QUrlQuery query(url);
        const QString token = query.queryItemValue(u"access_token"_s, QUrl::FullyDecoded);
        m_lastEventText = query.queryItemValue(u"last_event_id"_s, QUrl::FullyDecoded);
        if (!token.isEmpty())
            return authenticate(token);
        // Browsers cannot set headers on a WebSocket: the first message may
        // carry the token instead of the URL (which ends up in logs).
        connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            disconnect(m_socket, &QWebSocket::textMessageReceived, this, nullptr);
            const QJsonObject first = QJsonDocument::fromJson(text.toUtf8()).object();
            const QJsonValue last = first.value(u"last_event_id"_s);
            if (last.isDouble())
                m_lastEventText = QString::number(qint64(last.toDouble()));
            else if (last.isString())
                m_lastEventText = last.toString();
            authenticate(first.value(u"access_token"_s).toString());
        });
        connect(m_socket, &QWebSocket::disconnected, this, &QObject::deleteLater);
        QTimer::singleShot(AuthTimeoutMs, this,
                           [this] { refuse(Unauthenticated, u"no access token"_s); });
    }

private:
    bool originAllowed() const
    {
        const QString origin = m_socket->origin();
        if (origin.isEmpty())
            return true; // not a browser; the token decides
        if (m_options.allowedOrigins.contains(origin))
            return true;
        const QUrl originUrl(origin);
        const QByteArray host = m_socket->request().rawHeader("Host");
        const QString authority = originUrl.port() > 0
            ? originUrl.host() + u':' + QString::number(originUrl.port())
            : originUrl.host();
        return !host.isEmpty()
            && QString::fromLatin1(host).compare(authority, Qt::CaseInsensitive) == 0;
    }

    void refuse(int code, const QString &reason)
    {
        if (m_socket)
            m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
        deleteLater();
    }

    void authenticate(const QString &token)
    {
        if (token.isEmpty() || !m_tokens)
            return refuse(Unauthenticated, u"no access token"_s);
        auto claims = m_tokens->verify(token);
        if (!claims)
            return refuse(Unauthenticated, claims.error().code);
        auto after = StreamApi::parseLastEventId(m_lastEventText);
        if (!after)
            return refuse(BadRequest, u"bad last_event_id"_s);
        const QString user = claims->userId;
        if (auto log = m_options.registry->find(m_messageId, user))
            return attach(std::move(log).value(), *after);
        const bool resuming = !m_lastEventText.trimmed().isEmpty();
        QPointer<WebSocketSession> self(this);
        // The session stays alive until the answer comes back (it is only
        // deleted by itself, on this thread, after that).
        disconnect(m_socket, &QWebSocket::disconnected, this, nullptr);
        const bool queued = m_workers
            && m_workers->submit(
                [this, svc = m_options.conversations, user, id = m_messageId, resuming] {
                    auto message = svc->getMessage(user, id);
                    QMetaObject::invokeMethod(
                        this,
                        [this, message = std::move(message), user, resuming]() {
                            if (!message || message->role != Message::Role::Assistant)
                                return refuse(NotFound, u"no such stream"_s);
                            if (resuming)
                                return refuse(Expired, QString(errc::StreamExpired));
                            attach(StreamApi::replayOf(*message, user), 0);
                        },
                        Qt::QueuedConnection);
                });
        if (!queued)
            refuse(TryAgainLater, u"overloaded"_s);
    }

    void attach(std::shared_ptr<StreamLog> log, qint64 after)
    {
        if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
            auto *feed = new WebSocketFeed(m_socket);
            feed->setHeartbeatInterval(m_options.heartbeatInterval);
            feed->start(std::move(log), after);
        }
        deleteLater();
    }

    QPointer<QWebSocket> m_socket;
    const StreamApi::Options m_options;
    const std::shared_ptr<const AccessTokenService> m_tokens;
    WorkerPool *m_workers;
    QString m_messageId;
    QString m_lastEventText;
};

} // namespace

std::function<void(QWebSocket *)>
StreamApi::webSocketHandler(std::shared_ptr<const AccessTokenService> tokens,
                            WorkerPool *workers) const
{
    return [options = m_options, tokens = std::move(tokens), workers](QWebSocket *socket) {
        auto *session = new WebSocketSession(socket, options, tokens, workers);
        session->begin();
    };
}

} // namespace parlance
