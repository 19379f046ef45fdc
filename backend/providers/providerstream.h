#pragma once

#include "domain/usage.h"
#include "providers/provideroutcome.h"
#include "sse/sseparser.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <memory>

namespace parlance {

class ConnectionPool;
struct DeploymentEndpoint;
class HttpExchange;
struct HttpError;
struct HttpRequest;
struct HttpResponseHead;
class StreamDecoder;

// One streamed generation from one upstream. Lives on the thread that made
// it (the thread of its client's ConnectionPool, whose socket it reads).
// Signals come in this order:
//   started()            at most once, when a 2xx status and headers arrived
//   delta(text)          zero or more, non-empty text, never after finished
//   usage(usage)         at most once, just before finished, when the
//                        provider reported final usage
//   finished(outcome)    exactly once, always from the event loop (never
//                        inside ProviderClient::stream() nor a signal of ours)
//                        except that abort() emits it before returning.
// The caller owns the object; deleting it cancels the request quietly.
class ProviderStream : public QObject
{
    Q_OBJECT

public:
    ProviderStream(std::unique_ptr<StreamDecoder> decoder, const DeploymentEndpoint &endpoint,
                   QObject *parent = nullptr);
    ~ProviderStream() override;

    // Stops the request (the user pressed stop). Emits finished(Aborted)
    // unless the stream already finished.
    void abort();

    [[nodiscard]] bool isFinished() const { return m_finished; }
    [[nodiscard]] bool hasStarted() const { return m_started; }
    // Valid once finished.
    [[nodiscard]] const ProviderOutcome &outcome() const { return m_outcome; }
    // All text delivered so far (what an Interrupted message keeps).
    [[nodiscard]] const QString &text() const { return m_text; }
    [[nodiscard]] qint64 deltaCount() const { return m_deltaCount; }
    // Milliseconds from start to the first delta; -1 before it.
    [[nodiscard]] qint64 timeToFirstTokenMs() const { return m_ttftMs; }

    // For ProviderClient: send the request, or end with an outcome decided
    // before anything was sent (an invalid request). Call one of them once.
    void start(ConnectionPool *pool, HttpRequest request);
    void failBeforeStart(ProviderOutcome outcome);

Q_SIGNALS:
    void started();
    void delta(const QString &text);
    void usage(const parlance::Usage &usage);
    void finished(const parlance::ProviderOutcome &outcome);

private:
    void onHead(const HttpResponseHead &head);
    void onBody(const QByteArray &chunk);
    void onExchangeFinished(const HttpError &error);
    void onConnectTimeout();
    void onTokenTimeout();
    void handleEvent(SseEvent &event);
    void finishWith(ProviderOutcome outcome);
    void releaseExchange(bool keepConnection);
    void armTokenTimer();

    std::unique_ptr<StreamDecoder> m_decoder;
    SseParser m_parser;
    HttpExchange *m_exchange = nullptr; // ours until released
    QByteArray m_retryAfter; // of a non-2xx answer
    QByteArray m_retryAfterMs;
    QTimer m_connectTimer;
    QTimer m_tokenTimer; // first-token deadline, then the idle timeout
    QElapsedTimer m_clock;
    qint64 m_lastBodyMs = 0; // m_clock time of the last chunk after the first delta
    QString m_apiKey; // Only to scrub it from provider messages.
    QString m_name;
    int m_firstTokenTimeoutMs = 0;
    int m_idleTimeoutMs = 0;

    QString m_text;
    QByteArray m_errorBody; // a non-2xx body, capped
    std::optional<Usage> m_usage;
    QString m_finishReason;
    ProviderOutcome m_outcome;
    std::optional<ProviderOutcome> m_pendingFailure; // decided inside the parser
    qint64 m_deltaCount = 0;
    qint64 m_ttftMs = -1;
    int m_httpStatus = 0;
    int m_malformed = 0;
    bool m_httpError = false;
    bool m_started = false;
    bool m_terminated = false;
    bool m_finished = false;
};

} // namespace parlance
