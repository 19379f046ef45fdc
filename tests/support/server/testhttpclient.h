#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QString>
#include <QUrl>

#include <utility>

QT_BEGIN_NAMESPACE
class QNetworkReply;
QT_END_NAMESPACE

namespace parlance::test {

// A synchronous-in-test HTTP client: each call runs a local event loop until
// the answer arrives (or 30 s pass), so a test reads top to bottom.
class TestHttpClient
{
public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    struct Reply
    {
        int status = 0; // 0: no HTTP answer (see error)
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QJsonObject json; // the body when it is a JSON object
        QString error; // transport error, empty when an HTTP answer arrived

        [[nodiscard]] QByteArray header(QByteArrayView name) const;
        // json["error"]["code"], for error-shape checks.
        [[nodiscard]] QString errorCode() const;
    };

    explicit TestHttpClient(QUrl baseUrl);

    // Sent as "Authorization: Bearer <token>" unless a request sets its own.
    void setBearerToken(const QByteArray &token) { m_token = token; }

    Reply request(const QByteArray &method, const QString &path, const QJsonObject &json,
                  const Headers &headers = {});
    Reply request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                  const Headers &headers = {});
    Reply get(const QString &path, const Headers &headers = {})
    {
        return request("GET", path, QByteArray(), headers);
    }

    // Starts a request and returns at once; finish it with wait().
    QNetworkReply *send(const QByteArray &method, const QString &path, const QByteArray &body = {},
                        const Headers &headers = {});
    static Reply wait(QNetworkReply *reply, int timeoutMs = 30'000);

private:
    QUrl m_base;
    QByteArray m_token;
    QNetworkAccessManager m_manager;
};

} // namespace parlance::test
