#include "streamseed.h"

#include "contract/apipaths.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace parlance::bench {

namespace {

// One request on a keep-alive connection, blocking; the status and JSON body.
int call(QTcpSocket &socket, const QByteArray &path, const QByteArray &token,
         const QJsonObject &body, QJsonObject *answer)
{
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    QByteArray request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!token.isEmpty())
        request += "Authorization: Bearer " + token + "\r\n";
    request += "Content-Type: application/json\r\nContent-Length: "
        + QByteArray::number(json.size()) + "\r\n\r\n" + json;
    socket.write(request);
    QByteArray in;
    qsizetype headEnd = -1;
    qint64 length = -1;
    while (socket.waitForReadyRead(30'000)) {
        in += socket.readAll();
        if (headEnd < 0) {
            headEnd = in.indexOf("\r\n\r\n");
            if (headEnd < 0)
                continue;
            const QByteArray head = in.left(headEnd).toLower();
            const qsizetype at = head.indexOf("content-length:");
            length = at < 0
                ? 0
                : head.mid(at + 15, head.indexOf('\r', at) - at - 15).trimmed().toLongLong();
        }
        if (in.size() >= headEnd + 4 + length)
            break;
    }
    if (headEnd < 0 || in.size() < headEnd + 4 + length)
        return 0;
    *answer = QJsonDocument::fromJson(in.mid(headEnd + 4, length)).object();
    return in.left(in.indexOf("\r\n")).split(' ').value(1).toInt();
}

} // namespace

QList<SeededConversation> seedConversations(quint16 port, int users, int conversations,
                                            QString *error)
{
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, port);
    if (!socket.waitForConnected(10'000)) {
        *error = u"cannot connect to parlanced for seeding"_s;
        return {};
    }
    QList<QByteArray> tokens;
    for (int u = 0; u < users; ++u) {
        QJsonObject answer;
        const int status = call(socket, QString(api::AuthRegister).toUtf8(), {},
                                { { u"email"_s, u"stream-bench-%1@example.com"_s.arg(u) },
                                  { u"password"_s, u"stream-bench-Password-1234"_s } },
                                &answer);
        const QByteArray token = answer.value(u"access_token"_s).toString().toLatin1();
        if (status != 201 || token.isEmpty()) {
            *error = u"register answered %1: %2"_s.arg(status).arg(
                QString::fromUtf8(QJsonDocument(answer).toJson(QJsonDocument::Compact)));
            return {};
        }
        tokens.append(token);
    }
    QList<SeededConversation> seeded;
    seeded.reserve(conversations);
    const QByteArray path = QString(api::Conversations).toUtf8();
    for (int c = 0; c < conversations; ++c) {
        const QByteArray &token = tokens[c % users];
        QJsonObject answer;
        const int status = call(
            socket, path, token,
            { { u"title"_s, u"Stream bench %1"_s.arg(c) }, { u"model"_s, u"demo"_s } }, &answer);
        const QString id = answer.value(u"id"_s).toString();
        if (status != 201 || id.isEmpty()) {
            *error = u"create conversation answered %1"_s.arg(status);
            return {};
        }
        seeded.append({ token, id });
    }
    return seeded;
}

} // namespace parlance::bench
