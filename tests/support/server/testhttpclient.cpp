#include "testhttpclient.h"

#include <QBuffer>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>

using namespace Qt::StringLiterals;

namespace parlance::test {

QByteArray TestHttpClient::Reply::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString TestHttpClient::Reply::errorCode() const
{
    return json.value(u"error"_s).toObject().value(u"code"_s).toString();
}

TestHttpClient::TestHttpClient(QUrl baseUrl)
    : m_base(std::move(baseUrl))
{ }

TestHttpClient::Reply TestHttpClient::request(const QByteArray &method, const QString &path,
                                              const QJsonObject &json, const Headers &headers)
{
    Headers all = headers;
    bool hasType = false;
    for (const auto &[key, value] : headers)
        hasType = hasType || key.compare("content-type", Qt::CaseInsensitive) == 0;
    if (!hasType)
        all.emplaceBack("Content-Type", "application/json");
    return request(method, path, QJsonDocument(json).toJson(QJsonDocument::Compact), all);
}

TestHttpClient::Reply TestHttpClient::request(const QByteArray &method, const QString &path,
                                              const QByteArray &body, const Headers &headers)
{
    return wait(send(method, path, body, headers));
}

QNetworkReply *TestHttpClient::send(const QByteArray &method, const QString &path,
                                    const QByteArray &body, const Headers &headers)
{
    QUrl url = m_base;
    const qsizetype q = path.indexOf(u'?');
    url.setPath(q < 0 ? path : path.left(q), QUrl::StrictMode);
    if (q >= 0)
        url.setQuery(path.mid(q + 1));
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    bool hasAuth = false;
    for (const auto &[key, value] : headers) {
        request.setRawHeader(key, value);
        hasAuth = hasAuth || key.compare("authorization", Qt::CaseInsensitive) == 0;
    }
    if (!hasAuth && !m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token);
    if (body.isEmpty() && (method == "GET" || method == "DELETE"))
        return m_manager.sendCustomRequest(request, method);
    return m_manager.sendCustomRequest(request, method, body);
}

TestHttpClient::Reply TestHttpClient::wait(QNetworkReply *reply, int timeoutMs)
{
    Reply out;
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(timeoutMs)) {
            reply->abort();
            out.error = u"timeout"_s;
            reply->deleteLater();
            return out;
        }
    }
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    for (const auto &pair : reply->rawHeaderPairs())
        out.headers.append({ pair.first, pair.second });
    out.body = reply->readAll();
    const QJsonDocument doc = QJsonDocument::fromJson(out.body);
    if (doc.isObject())
        out.json = doc.object();
    if (out.status == 0)
        out.error = reply->errorString();
    reply->deleteLater();
    return out;
}

} // namespace parlance::test
