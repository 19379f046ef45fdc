#pragma once

#include "common/result.h"
#include "domain/message.h"
#include "domain/usage.h"
#include "sse/sseparser.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <memory>

QT_BEGIN_NAMESPACE
class QNetworkReply;
QT_END_NAMESPACE

namespace parlance::client {

class ApiClient;

// Follows one answer's stream_url over SSE (docs/streaming.md "Delivery",
// docs/client-api.md). Events come out as signals in order, each exactly
// once: metaReceived*, deltaReceived*, usageReceived?, errorReceived?, then
// finished. When the connection drops before `done` (network error, the
// server closing, its `event: reconnect`), the client reconnects after a
// backoff with Last-Event-ID, and the server's log resumes right after the
// last event seen, so the deltas join to exactly the stored text. Events
// with an id not above the last one seen are ignored (no duplicates).
//
// Ends in Finished (after `done`) or Failed (failed() says why:
// `stream_expired` when the server no longer has the log and the caller
// should reload the message with GET, `not_found`, a refused refresh, or the
// last transport error after maxAttempts reconnects without progress).
//
// A 401 goes through ApiClient::refreshSession() and the connection is tried
// again with the new token. Not for the WebAssembly build, whose network
// stack only delivers complete bodies (it will use the WebSocket form).
class StreamClient : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)

public:
    enum class State {
        Idle, // not started
        Connecting, // first connection, no event yet
        Streaming, // events arriving
        Reconnecting, // connection lost before done; waiting or reconnecting
        Finished, // `done` received
        Failed, // gave up; see failed()
    };
    Q_ENUM(State)

    struct Settings
    {
        int initialBackoffMs = 250; // doubled per failed attempt...
        int maxBackoffMs = 5'000; // ...up to this
        int maxAttempts = 10; // reconnects in a row without receiving an event
        // No byte (heartbeats included, every 15 s by default) for this long
        // counts as a dropped connection.
        int idleTimeoutMs = 45'000;
    };

    explicit StreamClient(ApiClient *api, QObject *parent = nullptr);
    ~StreamClient() override;

    void setSettings(const Settings &settings) { m_settings = settings; }
    [[nodiscard]] Settings settings() const { return m_settings; }

    // Starts following `streamUrl` (a path like /api/v1/stream/<id>, or an
    // absolute URL). `lastEventId` resumes after that event (e.g. after an
    // app restart). Restarting a running client drops the old connection.
    void start(const QString &streamUrl, const QString &lastEventId = {});
    // Closes the connection (the answer keeps generating on the server; use
    // ApiClient::stopGeneration to stop it). Emits nothing more.
    void close();

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] QString streamUrl() const { return m_streamUrl; }
    // The id of the last event delivered: what a reconnect sends.
    [[nodiscard]] QString lastEventId() const { return m_lastEventId; }
    // The deltas so far, joined.
    [[nodiscard]] QString text() const { return m_text; }
    // Connections opened so far (1 without reconnects).
    [[nodiscard]] int connectionCount() const { return m_connections; }

Q_SIGNALS:
    void stateChanged(parlance::client::StreamClient::State state);
    // {"model", "deployment", "replay"?}: again after a failover.
    void metaReceived(const QJsonObject &meta);
    void deltaReceived(const QString &text);
    void usageReceived(const parlance::Usage &usage);
    // The generation failed (the message ends interrupted or error).
    void errorReceived(const parlance::ApiError &error);
    // `done`: the final status; the message is stored by now.
    void finished(parlance::Message::Status status);
    // About to reconnect after `delayMs` (attempt counts from 1).
    void reconnecting(int attempt, int delayMs);
    // Gave up (State::Failed). error.code is stream_expired when the caller
    // should reload the message instead (expired() fires just before).
    void failed(const parlance::ApiError &error);
    // 410 stream_expired: the server no longer has this answer's log; reload
    // the message with ApiClient::getMessage().
    void expired();

private:
    void connectNow();
    void onReadyRead();
    void onReplyFinished();
    void onEvent(SseEvent &event);
    void connectionLost(const ApiError &error, int retryAfterMs = 0);
    void fail(const ApiError &error);
    void setState(State state);
    void dropReply();

    QPointer<ApiClient> m_api;
    Settings m_settings;
    SseParser m_parser;
    QPointer<QNetworkReply> m_reply;
    QTimer m_backoff;
    QString m_streamUrl;
    QString m_lastEventId;
    qint64 m_lastSeq = 0;
    QString m_text;
    QByteArray m_errorBody; // a non-200 answer's body
    QString m_sslReason;
    State m_state = State::Idle;
    int m_attempt = 0; // failed attempts since the last event
    int m_connections = 0;
    bool m_refreshedThisAttempt = false;
    bool m_gotEventThisConnection = false;
};

} // namespace parlance::client
