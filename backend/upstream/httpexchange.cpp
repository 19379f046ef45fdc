#include "upstream/httpexchange.h"

#include "upstream/connectionpool.h"
#include "upstream/httpconnection.h"
#include "upstream/upstreamlog.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace parlance {

HttpExchange::HttpExchange(ConnectionPool *pool, HttpRequest request, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_request(std::move(request))
{ }

HttpExchange::~HttpExchange()
{
    abort();
}

void HttpExchange::start()
{
    const Status valid = m_request.validate();
    if (!valid || !m_pool) {
        const QString message =
            !valid ? valid.error().message : u"no connection pool for the request"_s;
        QTimer::singleShot(0, this, [this, message] {
            if (m_done)
                return;
            m_done = true;
            Q_EMIT finished(HttpError { HttpError::Kind::InvalidRequest, message, true });
        });
        return;
    }
    sendOn(m_pool->acquire(*HttpOrigin::fromUrl(m_request.url)));
}

qint64 HttpExchange::responseBytes() const
{
    return m_connection ? m_connection->responseBytes() : 0;
}

void HttpExchange::sendOn(HttpConnection *connection)
{
    m_connection = connection;
    connect(connection, &HttpConnection::requestWritten, this, &HttpExchange::requestSent);
    connect(connection, &HttpConnection::headReceived, this, [this](const HttpResponseHead &head) {
        m_head = head;
        m_headArrived = true;
        Q_EMIT headReceived(head);
    });
    connect(connection, &HttpConnection::bodyReceived, this, &HttpExchange::bodyReceived);
    connect(connection, &HttpConnection::responseFinished, this, &HttpExchange::onResponseFinished);
    // The pool (its client) went away with our request in flight.
    connect(connection, &QObject::destroyed, this, [this] {
        QTimer::singleShot(0, this, [this] {
            if (m_done)
                return;
            m_done = true;
            Q_EMIT finished(HttpError { HttpError::Kind::Shutdown, u"client shut down"_s, false });
        });
    });
    connection->send(m_request);
}

void HttpExchange::onResponseFinished(const HttpError &error)
{
    if (m_done)
        return;
    HttpConnection *connection = m_connection.data();
    const bool stale = !error.ok() && error.beforeResponse && !m_retried && connection
        && connection->requestsSent() > 1
        && (error.kind == HttpError::Kind::ConnectionClosed
            || error.kind == HttpError::Kind::Network);
    if (stale && m_pool) {
        qCDebug(lcUpstream) << "reused connection to" << connection->origin().toString()
                            << "was closed by the server; retrying on a new one";
        m_retried = true;
        const HttpOrigin origin = connection->origin();
        detach();
        sendOn(m_pool->acquire(origin, false));
        return;
    }
    m_done = true;
    detach();
    Q_EMIT finished(error);
}

void HttpExchange::detach()
{
    HttpConnection *connection = m_connection.data();
    m_connection.clear();
    if (!connection)
        return;
    disconnect(connection, nullptr, this, nullptr);
    if (m_pool)
        m_pool->release(connection);
}

void HttpExchange::release()
{
    m_done = true;
    detach();
}

void HttpExchange::abort()
{
    m_done = true;
    if (HttpConnection *connection = m_connection.data()) {
        // Closing first makes release() discard it instead of keeping it.
        disconnect(connection, nullptr, this, nullptr);
        connection->close();
    }
    detach();
}

} // namespace parlance
