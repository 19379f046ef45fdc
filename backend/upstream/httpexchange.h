#pragma once

#include "upstream/httperror.h"
#include "upstream/httprequest.h"
#include "upstream/httpresponseparser.h"

#include <QObject>
#include <QPointer>

namespace parlance {

class ConnectionPool;
class HttpConnection;

// One request and its streamed response over a pooled connection: what a
// QNetworkReply was, minus the thread. When a reused connection turns out to
// be closed by the server before any byte of the response arrived, the
// request goes once more on a fresh connection (the usual keep-alive race;
// the server never answered, so nothing was seen twice).
//
// Signals: requestSent(), headReceived(), bodyReceived()*, then finished()
// exactly once unless release() or abort() came first. finished() carries
// HttpError::Kind::None when the response was read to its end.
class HttpExchange : public QObject
{
    Q_OBJECT

public:
    HttpExchange(ConnectionPool *pool, HttpRequest request, QObject *parent = nullptr);
    ~HttpExchange() override; // aborts unless released

    // Sends the request. An unsendable request (bad URL, CR/LF in a header)
    // finishes with InvalidRequest from the event loop.
    void start();
    // The caller is done: the connection goes back to the pool (reused if
    // the response ends cleanly, even when its tail has yet to arrive). No
    // signal follows.
    void release();
    // Closes the connection now. No signal follows.
    void abort();

    [[nodiscard]] const HttpResponseHead &head() const { return m_head; }
    [[nodiscard]] bool headArrived() const { return m_headArrived; }
    // Raw response bytes read so far while the connection is held.
    [[nodiscard]] qint64 responseBytes() const;
    // The request went out on a fresh connection after a stale reused one.
    [[nodiscard]] bool retried() const { return m_retried; }

Q_SIGNALS:
    void requestSent();
    void headReceived(const parlance::HttpResponseHead &head);
    void bodyReceived(const QByteArray &data);
    void finished(const parlance::HttpError &error);

private:
    void sendOn(HttpConnection *connection);
    void detach();
    void onResponseFinished(const HttpError &error);

    QPointer<ConnectionPool> m_pool;
    QPointer<HttpConnection> m_connection;
    HttpRequest m_request;
    HttpResponseHead m_head;
    bool m_headArrived = false;
    bool m_retried = false;
    bool m_done = false;
};

} // namespace parlance
