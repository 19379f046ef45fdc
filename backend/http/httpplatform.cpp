#include "http/httpplatform.h"

#include "common/epolleventdispatcher.h"
#include "contract/errorcodes.h"
#include "http/connectionguard.h"
#include "http/guardedtcpserver.h"
#include "http/httplog.h"
#include "http/httpruntime.h"
#include "http/httpserver.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QThread>
#include <QTimer>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace parlance::http {

namespace {
ApiError failure(const QString &message)
{
    return ApiError { QString(errc::InvalidField), message, {} };
}

// A listening socket with SO_REUSEPORT, so that every event-loop thread can
// own one on the same port. QTcpServer cannot set that option itself; it
// adopts the ready socket through setSocketDescriptor().
Result<int> openReusePortSocket(const QHostAddress &address, quint16 port)
{
    sockaddr_storage storage = {};
    socklen_t length = 0;
    const bool v6 = address.protocol() == QAbstractSocket::IPv6Protocol;
    if (v6) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&in6->sin6_addr, &bytes, sizeof(bytes));
        length = sizeof(sockaddr_in6);
    } else {
        auto *in4 = reinterpret_cast<sockaddr_in *>(&storage);
        in4->sin_family = AF_INET;
        in4->sin_port = htons(port);
        in4->sin_addr.s_addr = htonl(address.toIPv4Address());
        length = sizeof(sockaddr_in);
    }
    const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return failure(u"socket(): %1"_s.arg(QString::fromLocal8Bit(std::strerror(errno))));
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
    if (::bind(fd, reinterpret_cast<sockaddr *>(&storage), length) != 0
        || ::listen(fd, SOMAXCONN) != 0) {
        const QString reason = QString::fromLocal8Bit(std::strerror(errno));
        ::close(fd);
        return failure(
            u"Cannot listen on %1:%2: %3"_s.arg(address.toString()).arg(port).arg(reason));
    }
    return fd;
}

quint16 localPort(int fd)
{
    sockaddr_storage storage = {};
    socklen_t length = sizeof(storage);
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&storage), &length) != 0)
        return 0;
    if (storage.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in *>(&storage)->sin_port);
}

Result<QSslConfiguration> loadTls(const QString &certFile, const QString &keyFile)
{
    QFile cert(certFile);
    if (!cert.open(QIODevice::ReadOnly))
        return failure(u"Cannot read the TLS certificate \"%1\"."_s.arg(certFile));
    const QList<QSslCertificate> chain = QSslCertificate::fromData(cert.readAll(), QSsl::Pem);
    if (chain.isEmpty())
        return failure(u"\"%1\" holds no PEM certificate."_s.arg(certFile));
    QFile keyIn(keyFile);
    if (!keyIn.open(QIODevice::ReadOnly))
        return failure(u"Cannot read the TLS key \"%1\"."_s.arg(keyFile));
    const QByteArray pem = keyIn.readAll();
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        return failure(u"\"%1\" holds no unencrypted PEM RSA or EC key."_s.arg(keyFile));
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    return config;
}
} // namespace

HttpPlatform::HttpPlatform(HttpRuntime &runtime, Settings settings, QObject *parent)
    : QObject(parent)
    , m_runtime(runtime)
    , m_settings(std::move(settings))
{ }

HttpPlatform::~HttpPlatform()
{
    stopShards();
}

Status HttpPlatform::start()
{
    QHostAddress address;
    if (m_settings.host == u"localhost")
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(m_settings.host))
        return failure(u"\"%1\" is not an IP address."_s.arg(m_settings.host));

    std::optional<QSslConfiguration> tls;
    if (!m_settings.tlsCertFile.isEmpty()) {
        auto loaded = loadTls(m_settings.tlsCertFile, m_settings.tlsKeyFile);
        if (!loaded)
            return loaded.error();
        tls = *loaded;
    }

    // Open every socket first: the first one fixes the port when 0 was asked.
    QList<int> fds;
    quint16 port = m_settings.port;
    for (int i = 0; i < std::max(1, m_settings.threads); ++i) {
        Result<int> fd = openReusePortSocket(address, port);
        if (!fd) {
            for (const int open : std::as_const(fds))
                ::close(open);
            return fd.error();
        }
        fds.append(*fd);
        port = localPort(*fd);
    }
    m_port = port;

    for (qsizetype i = 0; i < fds.size(); ++i) {
        Shard shard;
        shard.thread = new QThread;
        shard.thread->setObjectName(u"http-%1"_s.arg(i));
        if (QAbstractEventDispatcher *dispatcher = EpollEventDispatcher::create())
            shard.thread->setEventDispatcher(dispatcher);
        shard.anchor = new QObject;
        shard.anchor->moveToThread(shard.thread);
        shard.thread->start();
        const int fd = fds[i];
        bool adopted = false;
        QMetaObject::invokeMethod(
            shard.anchor,
            [&] {
                shard.server = new HttpServer(m_runtime);
                QTcpServer *tcp = nullptr;
                if (tls) {
                    auto *ssl = new GuardedTcpServer<QSslServer>(m_runtime);
                    ssl->setSslConfiguration(*tls);
                    tcp = ssl;
                } else {
                    tcp = new GuardedTcpServer<QTcpServer>(m_runtime);
                }
                adopted = tcp->setSocketDescriptor(fd);
                shard.server->bind(tcp);
            },
            Qt::BlockingQueuedConnection);
        m_shards.append(shard);
        if (!adopted) {
            for (qsizetype j = i + 1; j < fds.size(); ++j)
                ::close(fds[j]);
            return failure(u"Cannot adopt the listening socket."_s);
        }
    }
    return Done {};
}

void HttpPlatform::shutdown(std::function<void()> done)
{
    m_runtime.draining.store(true);
    for (const Shard &shard : std::as_const(m_shards)) {
        QMetaObject::invokeMethod(
            shard.anchor,
            [server = shard.server] {
                for (QTcpServer *tcp : server->servers())
                    tcp->close();
                for (ConnectionGuard *guard : server->findChildren<ConnectionGuard *>())
                    guard->closeIfIdle();
            },
            Qt::BlockingQueuedConnection);
    }
    auto *poll = new QTimer(this);
    auto *clock = new QElapsedTimer;
    clock->start();
    poll->setInterval(20);
    connect(poll, &QTimer::timeout, this, [this, poll, clock, done = std::move(done)] {
        const int inFlight = m_runtime.inFlight.load();
        if (inFlight > 0 && clock->elapsed() < m_settings.shutdownTimeout.count())
            return;
        if (inFlight > 0)
            qCWarning(lcHttp) << "shutdown timeout:" << inFlight << "requests still in flight";
        poll->stop();
        poll->deleteLater();
        delete clock;
        stopShards();
        done();
    });
    poll->start();
}

void HttpPlatform::stopShards()
{
    for (Shard &shard : m_shards) {
        QMetaObject::invokeMethod(
            shard.anchor,
            [server = shard.server] {
                // Answers written just before may still sit in Qt's
                // buffers; deleting a socket drops them.
                for (QTcpSocket *socket : server->findChildren<QTcpSocket *>())
                    socket->flush();
                delete server;
            },
            Qt::BlockingQueuedConnection);
        shard.thread->quit();
        shard.thread->wait();
        delete shard.anchor;
        delete shard.thread;
    }
    m_shards.clear();
}

} // namespace parlance::http
