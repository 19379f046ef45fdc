#include "http/detachedconnection.h"

#include "http/httplog.h"
#include "http/httpruntime.h"

#include <QSocketNotifier>
#include <QSslSocket>
#include <QTcpSocket>

#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace parlance::http {

DetachedConnection *DetachedConnection::take(QTcpSocket *socket, HttpRuntime &runtime)
{
    if (!socket || qobject_cast<QSslSocket *>(socket)
        || socket->state() != QAbstractSocket::ConnectedState || socket->bytesAvailable() > 0)
        return nullptr;
    // The head is in Qt's write buffer; it must all reach the kernel first,
    // since what stays in that buffer dies with the socket.
    socket->flush();
    if (socket->bytesToWrite() > 0)
        return nullptr;
    const int fd = ::fcntl(int(socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
        return nullptr;
    // The duplicate shares the open file (and its O_NONBLOCK), so closing
    // Qt's descriptor below sends nothing: the connection lives on in ours.
    auto *connection = new DetachedConnection(fd, runtime, socket->parent());
    socket->abort();
    return connection;
}

DetachedConnection::DetachedConnection(int fd, HttpRuntime &runtime, QObject *parent)
    : QObject(parent)
    , m_fd(fd)
    , m_runtime(runtime)
    , m_readNotifier(std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read))
{
    m_runtime.connections.fetch_add(1, std::memory_order_relaxed);
    connect(m_readNotifier.get(), &QSocketNotifier::activated, this,
            &DetachedConnection::onReadable);
}

DetachedConnection::~DetachedConnection()
{
    // Notifiers go before the descriptor they watch.
    m_readNotifier.reset();
    m_writeNotifier.reset();
    if (m_fd >= 0)
        ::close(m_fd);
    m_runtime.connections.fetch_sub(1, std::memory_order_relaxed);
}

void DetachedConnection::write(const QByteArray &bytes)
{
    if (!isOpen() || bytes.isEmpty())
        return;
    m_pending.append(bytes);
    if (m_writeNotifier && m_writeNotifier->isEnabled())
        return; // the kernel is full; onWritable() sends it in order
    if (!sendPending())
        fail();
}

bool DetachedConnection::sendPending()
{
    while (m_sent < m_pending.size()) {
        const ssize_t n = ::send(m_fd, m_pending.constData() + m_sent,
                                 size_t(m_pending.size() - m_sent), MSG_NOSIGNAL);
        if (n > 0) {
            m_sent += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!m_writeNotifier) {
                m_writeNotifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Write);
                connect(m_writeNotifier.get(), &QSocketNotifier::activated, this,
                        &DetachedConnection::onWritable);
            }
            m_writeNotifier->setEnabled(true);
            return true;
        }
        return false; // EPIPE, ECONNRESET, ...
    }
    // All sent: keep no buffer for an idle stream.
    m_pending = QByteArray();
    m_sent = 0;
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    return true;
}

void DetachedConnection::onWritable()
{
    if (!sendPending()) {
        fail();
        return;
    }
    if (pendingBytes() > 0)
        return;
    if (m_closing)
        finish();
    else
        Q_EMIT drained();
}

void DetachedConnection::onReadable()
{
    // Nothing more is expected from an SSE client; read only to see it leave.
    char scratch[512];
    for (;;) {
        const ssize_t n = ::recv(m_fd, scratch, sizeof scratch, 0);
        if (n > 0)
            continue;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        fail(); // 0: the peer closed; or an error
        return;
    }
}

void DetachedConnection::closeAfterFlush()
{
    if (m_fd < 0 || m_closing)
        return;
    m_closing = true;
    if (pendingBytes() == 0)
        finish();
}

void DetachedConnection::fail()
{
    if (m_fd < 0)
        return;
    m_readNotifier->setEnabled(false);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    m_closing = true;
    // Queued: the failure is often found inside write(), called by the feed
    // that listens to closed().
    QMetaObject::invokeMethod(
        this,
        [this] {
            Q_EMIT closed();
            finish();
        },
        Qt::QueuedConnection);
}

void DetachedConnection::finish()
{
    if (m_fd < 0)
        return;
    m_readNotifier.reset();
    m_writeNotifier.reset();
    ::close(m_fd);
    m_fd = -1;
    deleteLater();
}

} // namespace parlance::http
