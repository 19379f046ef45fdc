#include "streamflow.h"

#include "contract/apipaths.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace parlance::bench {

namespace {

QByteArray request(const QByteArray &method, const QByteArray &path, quint16 port,
                   const QByteArray &token, const QByteArray &body = {})
{
    QByteArray out =
        method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n";
    if (!token.isEmpty())
        out += "Authorization: Bearer " + token + "\r\n";
    if (method == "POST")
        out += "Content-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n";
    else
        out += "Accept: text/event-stream\r\n";
    return out + "\r\n" + body;
}

// The first chunk only says role=assistant with empty content.
bool hasContent(const QByteArray &data)
{
    const qsizetype at = data.indexOf("\"content\":\"");
    return at >= 0 && at + 11 < data.size() && data[at + 11] != '"';
}

} // namespace

StreamFlow::StreamFlow(Spec spec, QObject *parent)
    : QObject(parent)
    , m_spec(std::move(spec))
{ }

void StreamFlow::start()
{
    StreamConnection::Handlers handlers;
    handlers.event = [this](const QByteArray &event, qint64 id, const QByteArray &data) {
        if (m_spec.target == Target::Simulator) {
            if (data == "[DONE]")
                return finish(true, {});
            if (hasContent(data))
                token(m_chunks++);
        } else if (event == "delta") {
            token(id - 2);
        } else if (event == "done") {
            m_ok = data.contains("\"complete\"");
            if (!m_ok)
                m_error = QString::fromUtf8(data);
        }
    };
    handlers.response = [this](int status, const QByteArray &body) {
        if (m_streaming) {
            // The end of a stream: the simulator's last chunk, or parlanced's
            // close after done (Connection: close).
            return finish(m_ok, m_error);
        }
        if (m_spec.target == Target::Simulator || m_spec.target == Target::Subscribe) {
            return finish(false,
                          u"HTTP %1: %2"_s.arg(status).arg(QString::fromUtf8(body.left(200))));
        }
        m_postStatus = status;
        if (status != 201)
            return finish(false,
                          u"POST %1: %2"_s.arg(status).arg(QString::fromUtf8(body.left(200))));
        const QJsonObject answer = QJsonDocument::fromJson(body).object();
        m_messageId = answer.value(u"assistant_message_id"_s).toString();
        if (m_spec.target == Target::PostOnly)
            return finish(true, {});
        m_streaming = true;
        const QByteArray url = answer.value(u"stream_url"_s).toString().toUtf8();
        m_sentNs = m_connection->sentAtNs(); // TTFT counts from the POST.
        m_connection->send(request("GET", url, m_spec.port, m_spec.token));
    };
    handlers.closed = [this](const QString &error) {
        finish(m_ok, error.isEmpty() ? (m_ok ? QString() : u"closed early"_s) : error);
    };
    m_connection = new StreamConnection(std::move(handlers), this);

    QByteArray body;
    QByteArray path;
    const QString text = QString::fromUtf8(m_spec.directive) + u" Tell me a story."_s;
    switch (m_spec.target) {
    case Target::Simulator:
        path = "/v1/chat/completions";
        body =
            QJsonDocument(
                QJsonObject { { u"model"_s, u"demo"_s },
                              { u"stream"_s, true },
                              { u"stream_options"_s, QJsonObject { { u"include_usage"_s, true } } },
                              { u"messages"_s,
                                QJsonArray { QJsonObject { { u"role"_s, u"user"_s },
                                                           { u"content"_s, text } } } } })
                .toJson(QJsonDocument::Compact);
        m_streaming = true;
        m_connection->open(m_spec.source, m_spec.port,
                           request("POST", path, m_spec.port, "demo", body));
        break;
    case Target::Gateway:
    case Target::PostOnly:
        path = api::path(api::ConversationMessages, m_spec.conversation).toUtf8();
        body = QJsonDocument(QJsonObject { { u"content"_s,
                                             QJsonArray { QJsonObject { { u"type"_s, u"text"_s },
                                                                        { u"text"_s, text } } } } })
                   .toJson(QJsonDocument::Compact);
        m_connection->open(m_spec.source, m_spec.port,
                           request("POST", path, m_spec.port, m_spec.token, body));
        break;
    case Target::Subscribe:
        m_streaming = true;
        m_connection->open(m_spec.source, m_spec.port,
                           request("GET", api::path(api::Stream, m_spec.messageId).toUtf8(),
                                   m_spec.port, m_spec.token));
        break;
    }
}

void StreamFlow::token(qint64 index)
{
    const qint64 now = nowNs();
    if (m_firstNs == 0) {
        m_firstNs = now;
        if (m_spec.target == Target::Subscribe)
            m_sentNs = m_connection->sentAtNs();
    }
    if (m_spec.target == Target::Simulator || m_spec.target == Target::Gateway) {
        if (m_sentNs == 0)
            m_sentNs = m_connection->sentAtNs();
    }
    if (onToken)
        onToken(this, index, now);
}

void StreamFlow::abort()
{
    if (m_connection)
        m_connection->close();
    finish(false, u"aborted"_s);
}

void StreamFlow::finish(bool ok, const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_ok = ok;
    m_error = error;
    if (m_connection)
        m_connection->close();
    if (onFinished)
        onFinished(this);
}

} // namespace parlance::bench
