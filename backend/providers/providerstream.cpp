#include "providers/providerstream.h"

#include "contract/errorcodes.h"
#include "providers/errorclassifier.h"
#include "providers/providerlog.h"
#include "providers/providertypes.h"
#include "providers/streamdecoder.h"
#include "upstream/httpexchange.h"

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

using Kind = ProviderOutcome::Kind;
using Cause = ProviderOutcome::Cause;

// A non-2xx body is only read for its error message.
constexpr qsizetype maxErrorBodyBytes = 64 * 1024;
// Malformed-event policy: skip a bad event like the official SDKs' line
// readers do (one garbled chunk should not cost the user the answer), but a
// stream that keeps sending garbage is broken.
constexpr int maxMalformedEvents = 8;

} // namespace

ProviderStream::ProviderStream(std::unique_ptr<StreamDecoder> decoder,
                               const DeploymentEndpoint &endpoint, QObject *parent)
    : QObject(parent)
    , m_decoder(std::move(decoder))
    , m_apiKey(endpoint.apiKey)
    , m_name(endpoint.name)
    , m_firstTokenTimeoutMs(endpoint.firstTokenTimeoutMs)
    , m_idleTimeoutMs(endpoint.idleTimeoutMs)
{
    m_connectTimer.setSingleShot(true);
    m_connectTimer.setInterval(std::max(1, endpoint.connectTimeoutMs));
    m_tokenTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, &ProviderStream::onConnectTimeout);
    connect(&m_tokenTimer, &QTimer::timeout, this, &ProviderStream::onTokenTimeout);
    m_parser.setEventHandler([this](SseEvent &event) { handleEvent(event); });
}

ProviderStream::~ProviderStream()
{
    releaseExchange(false);
}

void ProviderStream::start(ConnectionPool *pool, HttpRequest request)
{
    m_clock.start();
    m_exchange = new HttpExchange(pool, std::move(request));
    // The connect timeout covers DNS, TCP, TLS and writing the request.
    connect(m_exchange, &HttpExchange::requestSent, &m_connectTimer, &QTimer::stop);
    connect(m_exchange, &HttpExchange::headReceived, this, &ProviderStream::onHead);
    connect(m_exchange, &HttpExchange::bodyReceived, this, &ProviderStream::onBody);
    connect(m_exchange, &HttpExchange::finished, this, &ProviderStream::onExchangeFinished);
    m_connectTimer.start();
    m_tokenTimer.start(std::max(1, m_firstTokenTimeoutMs));
    m_exchange->start();
}

void ProviderStream::failBeforeStart(ProviderOutcome outcome)
{
    m_clock.start();
    // Queued, so the caller can connect to finished() after stream() returns.
    QTimer::singleShot(0, this, [this, outcome = std::move(outcome)] { finishWith(outcome); });
}

void ProviderStream::abort()
{
    if (m_finished)
        return;
    ProviderOutcome outcome;
    outcome.kind = Kind::Aborted;
    finishWith(std::move(outcome));
}

void ProviderStream::onHead(const HttpResponseHead &head)
{
    if (m_finished)
        return;
    m_connectTimer.stop();
    m_httpStatus = head.status;
    if (m_httpStatus < 200 || m_httpStatus > 299) {
        m_httpError = true;
        m_retryAfter = head.header("retry-after");
        m_retryAfterMs = head.header("retry-after-ms");
        return;
    }
    if (head.header("content-type").toLower().startsWith("application/json")) {
        // The server ignored `stream: true`; retrying gets the same answer.
        ProviderOutcome outcome;
        outcome.kind = Kind::Fatal;
        outcome.cause = Cause::InvalidRequest;
        outcome.error = ApiError { QString(errc::UpstreamError),
                                   u"provider answered without streaming"_s, std::nullopt };
        finishWith(std::move(outcome));
        return;
    }
    m_started = true;
    Q_EMIT started();
}

void ProviderStream::onBody(const QByteArray &chunk)
{
    if (m_finished)
        return;
    if (m_httpError) {
        m_errorBody += chunk.left(maxErrorBodyBytes - m_errorBody.size());
        return;
    }
    // The idle deadline moves with every chunk, but the timer is not
    // restarted per token (at 1,000 streams that was 20,000 timer restarts a
    // second): it fires when the old deadline passes and re-arms itself for
    // what is left (onTokenTimeout).
    if (m_deltaCount > 0)
        m_lastBodyMs = m_clock.elapsed();
    const Status status = m_parser.feed(chunk);
    if (m_finished)
        return; // abort() from a delta handler
    if (m_pendingFailure) {
        finishWith(*std::exchange(m_pendingFailure, std::nullopt));
    } else if (m_terminated) {
        finishWith(ProviderOutcome {});
    } else if (!status.ok()) {
        finishWith(ErrorClassifier::transportFailure(Cause::MalformedStream, m_deltaCount,
                                                     status.error().message));
    }
}

void ProviderStream::onExchangeFinished(const HttpError &error)
{
    if (m_finished)
        return;
    if (m_httpError) {
        // Whatever part of the error body arrived explains the status.
        const UpstreamErrorInfo info = parseUpstreamError(m_errorBody);
        finishWith(ErrorClassifier::fromHttpStatus(
            m_httpStatus, info, parseRetryAfter(m_retryAfter, m_retryAfterMs), m_apiKey));
        return;
    }
    if (m_httpStatus != 0)
        (void)m_parser.finish(); // an event the body ended without a blank line after
    if (m_finished)
        return;
    if (m_pendingFailure) {
        finishWith(*std::exchange(m_pendingFailure, std::nullopt));
        return;
    }
    if (m_terminated) {
        finishWith(ProviderOutcome {});
        return;
    }
    // The body ended (cleanly or not) without the terminator, or no HTTP
    // answer came at all: the classifier says which.
    finishWith(ErrorClassifier::fromHttpFailure(error, m_httpStatus != 0, m_deltaCount, m_apiKey));
}

void ProviderStream::onConnectTimeout()
{
    finishWith(ErrorClassifier::transportFailure(Cause::ConnectTimeout, m_deltaCount, {}));
}

void ProviderStream::onTokenTimeout()
{
    if (m_deltaCount > 0) {
        const qint64 quietMs = m_clock.elapsed() - m_lastBodyMs;
        if (quietMs < m_idleTimeoutMs) {
            m_tokenTimer.start(int(std::max<qint64>(1, m_idleTimeoutMs - quietMs)));
            return;
        }
    }
    finishWith(ErrorClassifier::transportFailure(
        m_deltaCount > 0 ? Cause::IdleTimeout : Cause::FirstTokenTimeout, m_deltaCount, {}));
}

void ProviderStream::handleEvent(SseEvent &event)
{
    if (m_finished || m_terminated || m_pendingFailure)
        return;
    StreamStep step = m_decoder->decode(event);
    if (step.malformed) {
        if (++m_malformed == 1)
            qCWarning(lcProviders) << "deployment" << m_name << "sent an unparsable event; skipped";
        if (m_malformed > maxMalformedEvents)
            m_pendingFailure = ErrorClassifier::transportFailure(
                Cause::MalformedStream, m_deltaCount, u"too many unparsable events"_s);
        return;
    }
    if (step.error) {
        m_pendingFailure = ErrorClassifier::fromStreamError(*step.error, m_deltaCount, m_apiKey);
        return;
    }
    if (step.usage)
        m_usage = step.usage;
    if (!step.finishReason.isEmpty())
        m_finishReason = step.finishReason;
    if (!step.text.isEmpty()) {
        if (m_deltaCount++ == 0) {
            m_ttftMs = m_clock.elapsed();
            m_lastBodyMs = m_ttftMs;
            m_tokenTimer.start(std::max(1, m_idleTimeoutMs));
        }
        m_text += step.text;
        Q_EMIT delta(step.text);
        if (m_finished)
            return;
    }
    if (step.terminator)
        m_terminated = true;
}

void ProviderStream::finishWith(ProviderOutcome outcome)
{
    if (m_finished)
        return;
    m_finished = true;
    m_connectTimer.stop();
    m_tokenTimer.stop();
    releaseExchange(m_terminated);
    if (outcome.kind == Kind::Complete)
        outcome.finishReason = m_finishReason;
    if (outcome.httpStatus == 0)
        outcome.httpStatus = m_httpStatus;
    outcome.deltaCount = m_deltaCount;
    outcome.malformedEvents = m_malformed;
    m_outcome = outcome;
    qCDebug(lcProviders).noquote()
        << "deployment" << m_name << "stream" << ProviderOutcome::kindName(outcome.kind)
        << ProviderOutcome::causeName(outcome.cause) << "status" << outcome.httpStatus << "deltas"
        << m_deltaCount << "ms" << m_clock.elapsed();
    const QPointer<ProviderStream> self(this);
    if (m_usage)
        Q_EMIT usage(*m_usage);
    if (self)
        Q_EMIT finished(m_outcome);
}

void ProviderStream::releaseExchange(bool keepConnection)
{
    HttpExchange *exchange = std::exchange(m_exchange, nullptr);
    if (!exchange)
        return;
    disconnect(exchange, nullptr, this, nullptr);
    disconnect(exchange, nullptr, &m_connectTimer, nullptr);
    // Complete: the connection goes back to the pool, which reads the rest
    // of the body (the chunked end after the terminator) before reusing it.
    if (keepConnection)
        exchange->release();
    else
        exchange->abort();
    // Later: we may be inside one of its signals.
    exchange->deleteLater();
}

} // namespace parlance
