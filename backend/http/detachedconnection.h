#pragma once

#include <QByteArray>
#include <QObject>

#include <memory>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
class QTcpSocket;
QT_END_NAMESPACE

namespace parlance::http {

struct HttpRuntime;

// A plain TCP connection taken over from Qt HttpServer once a long-lived
// response (an SSE stream) has written its head: from then on only body bytes
// go out and nothing more is read, so Qt's socket, its request parser and our
// ConnectionGuard are dead weight. Each QTcpSocket keeps a 16 KiB read and a
// 32 KiB write chunk for reuse (QRingBuffer), whose touched pages were most of
// an idle stream's memory (docs/benchmarks-streaming.md); here a stream costs
// this object, one read notifier and what is still queued.
//
// Writes go to the kernel at once; what it does not take is queued and sent
// when the socket is writable again (drained() then). Input is read and
// dropped, only to notice the peer closing (closed()). The connection still
// counts toward --max-connections until this object is destroyed.
// Lives on the socket's thread; destroyed with its parent or after closing.
class DetachedConnection : public QObject
{
    Q_OBJECT
public:
    // Takes over `socket`'s connection, or returns nullptr and leaves it
    // untouched: TLS (the session lives in QSslSocket), not connected, input
    // still unread, or the head not fully handed to the kernel. On success
    // `socket` is aborted (Qt HttpServer then deletes it) while the
    // connection stays open through this object's own descriptor.
    [[nodiscard]] static DetachedConnection *take(QTcpSocket *socket, HttpRuntime &runtime);

    ~DetachedConnection() override;

    [[nodiscard]] bool isOpen() const { return m_fd >= 0 && !m_closing; }
    // Bytes accepted by write() and not yet taken by the kernel.
    [[nodiscard]] qint64 pendingBytes() const { return m_pending.size() - m_sent; }

    void write(const QByteArray &bytes);
    // Sends what is queued, then closes (the end of a close-delimited body)
    // and deletes itself.
    void closeAfterFlush();

Q_SIGNALS:
    // The queue emptied after the kernel had refused part of it.
    void drained();
    // The peer went away (or the connection failed); deleted after this.
    void closed();

private:
    DetachedConnection(int fd, HttpRuntime &runtime, QObject *parent);

    void onReadable();
    void onWritable();
    bool sendPending(); // false: the connection failed
    void fail();
    void finish();

    int m_fd;
    HttpRuntime &m_runtime;
    std::unique_ptr<QSocketNotifier> m_readNotifier;
    std::unique_ptr<QSocketNotifier> m_writeNotifier; // only while something is queued
    QByteArray m_pending;
    qsizetype m_sent = 0; // of m_pending
    bool m_closing = false;
};

} // namespace parlance::http
