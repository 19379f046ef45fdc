#include "providers/providerstream.h"

#include "contract/errorcodes.h"
#include "providers/errorclassifier.h"
#include "providers/providerlog.h"
#include "providers/providertypes.h"
#include "providers/streamdecoder.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

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
    releaseReply(true);
}

void ProviderStream::start(QNetworkAccessManager *manager, const QNetworkRequest &request,
                           const QByteArray &body)
{
    m_clock.start();
    m_reply = manager->post(request, body);
    connect(m_reply, &QNetworkReply::requestSent, this, &ProviderStream::onRequestSent);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &ProviderStream::onMetaDataChanged);
    connect(m_reply, &QNetworkReply::readyRead, this, &ProviderStream::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &ProviderStream::onReplyFinished);
    // The manager went away under us (its client was destroyed): end rather
    // than wait forever. releaseReply() disconnects first, so this fires only
    // for a reply we did not let go.
    connect(m_reply, &QObject::destroyed, this, [this] {
        m_reply.clear(); // half-destroyed: never touch it again
        finishWith(ErrorClassifier::transportFailure(Cause::Disconnected, m_deltaCount,
                                                     u"client shut down"_s));
    });
    m_connectTimer.start();
    m_tokenTimer.start(std::max(1, m_firstTokenTimeoutMs));
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

void ProviderStream::onRequestSent()
{
    m_connectTimer.stop();
}

void ProviderStream::onMetaDataChanged()
{
    if (m_headersChecked || m_finished || !m_reply)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return;
    m_headersChecked = true;
    m_connectTimer.stop();
    m_httpStatus = status.toInt();
    if (m_httpStatus < 200 || m_httpStatus > 299) {
        m_httpError = true;
        return;
    }
    const QByteArray type = m_reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    if (type.startsWith("application/json")) {
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

void ProviderStream::onReadyRead()
{
    if (!m_headersChecked)
        onMetaDataChanged();
    if (m_finished || !m_reply)
        return;
    m_connectTimer.stop();
    const QByteArray chunk = m_reply->readAll();
    if (m_httpError) {
        m_errorBody += chunk.left(maxErrorBodyBytes - m_errorBody.size());
        return;
    }
    if (m_deltaCount > 0)
        m_tokenTimer.start(std::max(1, m_idleTimeoutMs));
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

void ProviderStream::onReplyFinished()
{
    if (!m_headersChecked)
        onMetaDataChanged();
    if (m_finished || !m_reply)
        return;
    onReadyRead(); // whatever arrived with the end
    if (m_finished || !m_reply)
        return;
    if (m_httpError) {
        const UpstreamErrorInfo info = parseUpstreamError(m_errorBody);
        const std::optional<int> retryAfter = parseRetryAfter(m_reply->rawHeader("retry-after"),
                                                              m_reply->rawHeader("retry-after-ms"));
        finishWith(ErrorClassifier::fromHttpStatus(m_httpStatus, info, retryAfter, m_apiKey));
        return;
    }
    (void)m_parser.finish();
    const QNetworkReply::NetworkError error = m_reply->error();
    const QString detail = error == QNetworkReply::NoError
        ? QString()
        : sanitizeProviderMessage(m_reply->errorString(), m_apiKey);
    if (!m_headersChecked) {
        // No HTTP answer at all: refused, DNS, TLS, reset before the status.
        finishWith(ErrorClassifier::transportFailure(Cause::ConnectFailed, 0, detail));
        return;
    }
    // HACK: Qt 6.4 mostly reports a connection reset inside a chunked body as
    // NoError with the partial body, so only the missing terminator tells a
    // cut stream from a finished one; error() is just a detail here.
    finishWith(ErrorClassifier::transportFailure(Cause::Disconnected, m_deltaCount, detail));
}

void ProviderStream::onConnectTimeout()
{
    finishWith(ErrorClassifier::transportFailure(Cause::ConnectTimeout, m_deltaCount, {}));
}

void ProviderStream::onTokenTimeout()
{
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
    releaseReply(!m_terminated);
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

void ProviderStream::releaseReply(bool abortIt)
{
    QNetworkReply *reply = m_reply.data();
    m_reply.clear();
    if (!reply)
        return;
    disconnect(reply, nullptr, this, nullptr);
    if (!abortIt && !reply->isFinished()) {
        // Complete: let the last bytes arrive so the connection is reused.
        // A server that holds the connection open after its terminator
        // gets a few seconds, not forever.
        connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
        QTimer::singleShot(5000, reply, &QNetworkReply::abort);
        return;
    }
    if (!reply->isFinished())
        reply->abort();
    reply->deleteLater();
}

} // namespace parlance
