#include "upstream/connectionpool.h"

#include "upstream/httpconnection.h"
#include "upstream/upstreamlog.h"

#include <QHostAddress>

using namespace Qt::StringLiterals;

namespace parlance {

ConnectionPool::ConnectionPool(QObject *parent)
    : ConnectionPool(Options {}, parent)
{ }

ConnectionPool::ConnectionPool(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    m_sweepTimer.setInterval(std::max(100, std::min(m_options.idleTimeoutMs, 5000)));
    connect(&m_sweepTimer, &QTimer::timeout, this, &ConnectionPool::sweep);
}

ConnectionPool::~ConnectionPool()
{
    m_sweepTimer.stop();
    const QList<HttpConnection *> all = std::exchange(m_all, {});
    m_draining.clear();
    m_idle.clear();
    for (HttpConnection *connection : all) {
        disconnect(connection, nullptr, this, nullptr);
        // Quietly: an exchange still holding one learns from its
        // destruction (with us, as our child) and reports Shutdown from the
        // event loop, never from inside this destructor.
        connection->close();
    }
}

int ConnectionPool::idleCount() const
{
    int count = 0;
    for (const QList<Idle> &list : m_idle)
        count += int(list.size());
    return count;
}

HttpConnection *ConnectionPool::acquire(const HttpOrigin &origin, bool allowReuse)
{
    if (allowReuse) {
        auto it = m_idle.find(origin);
        while (it != m_idle.end() && !it->isEmpty()) {
            HttpConnection *connection = it->takeLast().connection;
            if (connection->isReusable())
                return connection;
            discard(connection);
            it = m_idle.find(origin);
        }
    }
    auto *connection =
        new HttpConnection(origin, m_options.tls, m_options.maxHeaderBytes, proxyFor(origin), this);
    ++m_opened;
    m_all.append(connection);
    connect(
        connection, &HttpConnection::responseFinished, this,
        [this, connection](const HttpError &error) { onResponseFinished(connection, error.ok()); });
    connect(connection, &HttpConnection::closed, this, [this, connection] {
        forgetIdle(connection);
        discard(connection);
    });
    qCDebug(lcUpstream) << "new connection to" << origin.toString() << "open" << m_all.size();
    return connection;
}

QNetworkProxy ConnectionPool::proxyFor(const HttpOrigin &origin)
{
    if (const auto it = m_proxies.constFind(origin); it != m_proxies.constEnd())
        return *it;
    QNetworkProxy chosen(QNetworkProxy::NoProxy);
    const QHostAddress address(origin.host);
    const bool loopback = origin.host == "localhost"_L1 || address.isLoopback();
    if (m_options.useSystemProxy && !loopback) {
        QUrl url;
        url.setScheme(origin.tls ? u"https"_s : u"http"_s);
        url.setHost(origin.host);
        url.setPort(origin.port);
        for (const QNetworkProxy &proxy :
             QNetworkProxyFactory::proxyForQuery(QNetworkProxyQuery(url))) {
            if (proxy.type() == QNetworkProxy::HttpProxy
                || proxy.type() == QNetworkProxy::Socks5Proxy) {
                chosen = proxy;
                break;
            }
            if (proxy.type() == QNetworkProxy::NoProxy)
                break;
        }
    }
    if (chosen.type() != QNetworkProxy::NoProxy)
        qCDebug(lcUpstream) << "connections to" << origin.toString() << "go through proxy"
                            << chosen.hostName() << chosen.port();
    m_proxies.insert(origin, chosen);
    return chosen;
}

void ConnectionPool::release(HttpConnection *connection)
{
    if (!connection || !m_all.contains(connection))
        return;
    if (connection->isReusable()) {
        keepIdle(connection);
    } else if (connection->isWorthDraining()) {
        connection->discardBody();
        m_draining.append(connection);
        QTimer::singleShot(m_options.drainTimeoutMs, connection,
                           [this, connection, request = connection->requestsSent()] {
                               // Only the drain of that request, not a later one.
                               if (connection->requestsSent() == request
                                   && m_draining.removeOne(connection))
                                   discard(connection);
                           });
    } else {
        discard(connection);
    }
}

void ConnectionPool::onResponseFinished(HttpConnection *connection, bool ok)
{
    // Only draining connections are ours to decide; a leased one goes back
    // through release().
    if (!m_draining.removeOne(connection))
        return;
    if (ok && connection->isReusable())
        keepIdle(connection);
    else
        discard(connection);
}

void ConnectionPool::keepIdle(HttpConnection *connection)
{
    QList<Idle> &list = m_idle[connection->origin()];
    if (list.size() >= m_options.maxIdlePerOrigin) {
        discard(connection);
        return;
    }
    list.append(Idle { connection, QDeadlineTimer(m_options.idleTimeoutMs) });
    if (!m_sweepTimer.isActive())
        m_sweepTimer.start();
}

void ConnectionPool::forgetIdle(HttpConnection *connection)
{
    auto it = m_idle.find(connection->origin());
    if (it == m_idle.end())
        return;
    it->removeIf([connection](const Idle &idle) { return idle.connection == connection; });
    if (it->isEmpty())
        m_idle.erase(it);
}

void ConnectionPool::discard(HttpConnection *connection)
{
    if (!m_all.removeOne(connection))
        return;
    m_draining.removeOne(connection);
    disconnect(connection, nullptr, this, nullptr);
    connection->close();
    // Later: we may be inside one of its signals.
    connection->deleteLater();
}

void ConnectionPool::sweep()
{
    QList<HttpConnection *> expired;
    for (auto it = m_idle.begin(); it != m_idle.end();) {
        it->removeIf([&expired](const Idle &idle) {
            if (!idle.expires.hasExpired())
                return false;
            expired.append(idle.connection);
            return true;
        });
        it = it->isEmpty() ? m_idle.erase(it) : std::next(it);
    }
    for (HttpConnection *connection : std::as_const(expired))
        discard(connection);
    if (m_idle.isEmpty())
        m_sweepTimer.stop();
}

} // namespace parlance
