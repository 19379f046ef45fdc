#pragma once

#include "upstream/httprequest.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QList>
#include <QNetworkProxy>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>

namespace parlance {

class HttpConnection;

// Keep-alive connections per origin (scheme, host, port) for one thread.
// There is no limit on connections per host: a stream holds its connection
// for the whole answer, so a limit would queue users behind each other (the
// reason QNetworkAccessManager was dropped, docs/providers.md). What is
// capped is what sits idle: at most `maxIdlePerOrigin`, each closed after
// `idleTimeoutMs`.
//
// Destroying the pool ends every request in flight: its exchange finishes
// with HttpError::Shutdown from the event loop.
class ConnectionPool : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int maxIdlePerOrigin = 32;
        // Shorter than most servers' own keep-alive (nginx 75 s, Go 90 s);
        // a server that closes sooner is handled by the stale retry.
        int idleTimeoutMs = 60000;
        // A response whose caller lost interest (the SSE terminator came
        // before the end of the chunked body) is read to its end for reuse,
        // but not for longer than this.
        int drainTimeoutMs = 5000;
        qsizetype maxHeaderBytes = 64 * 1024;
        // System CAs, peer verification, TLS 1.2+ by default.
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        // Honour http_proxy / https_proxy / no_proxy as Qt reads them (what
        // QNetworkAccessManager did), except for loopback hosts, which are
        // always reached directly (as Go's and Python's clients do).
        bool useSystemProxy = true;
    };

    explicit ConnectionPool(QObject *parent = nullptr);
    explicit ConnectionPool(Options options, QObject *parent = nullptr);
    ~ConnectionPool() override;

    // An idle connection to `origin` when one is open and reusable (the
    // most recently used), else a new one that connects on its first send.
    // The caller holds it until release().
    [[nodiscard]] HttpConnection *acquire(const HttpOrigin &origin, bool allowReuse = true);
    // Takes a connection back: kept idle when its response was read to the
    // end and keep-alive allows it, drained first when only the rest of the
    // body is missing, closed otherwise (or when the idle cap is reached).
    void release(HttpConnection *connection);

    // Open connections: leased, draining and idle (for tests and metrics).
    [[nodiscard]] int connectionCount() const { return int(m_all.size()); }
    [[nodiscard]] int idleCount() const;
    // The proxy connections to `origin` use (NoProxy: direct), resolved once
    // per origin.
    [[nodiscard]] QNetworkProxy proxyFor(const HttpOrigin &origin);
    // Connections opened over the pool's life.
    [[nodiscard]] qint64 connectionsOpened() const { return m_opened; }

private:
    struct Idle
    {
        HttpConnection *connection;
        QDeadlineTimer expires;
    };
    void keepIdle(HttpConnection *connection);
    void discard(HttpConnection *connection);
    void forgetIdle(HttpConnection *connection);
    void onResponseFinished(HttpConnection *connection, bool ok);
    void sweep();

    Options m_options;
    QList<HttpConnection *> m_all;
    QList<HttpConnection *> m_draining;
    QHash<HttpOrigin, QList<Idle>> m_idle; // most recently used last
    QHash<HttpOrigin, QNetworkProxy> m_proxies;
    QTimer m_sweepTimer;
    qint64 m_opened = 0;
};

} // namespace parlance
