// parlanced serving HTTPS from a certificate and key file: a client that
// trusts only that certificate verifies the peer (name and chain) and gets
// the same answers as over plain HTTP; a plain-HTTP client is not served.
#include "parlancedprocess.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using parlance::test::ParlancedProcess;

namespace {

struct Answer
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
};

Answer fetch(QNetworkAccessManager &manager, const QNetworkRequest &request)
{
    QNetworkReply *reply = manager.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20'000, &loop, &QEventLoop::quit);
    loop.exec();
    Answer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.error = reply->error();
    answer.body = reply->readAll();
    reply->deleteLater();
    return answer;
}

} // namespace

class TestHttpTls : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_certDir;
    QString m_cert;
    QString m_key;
    ParlancedProcess m_server;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_certDir.isValid());
        m_cert = m_certDir.filePath(u"server.crt"_s);
        m_key = m_certDir.filePath(u"server.key"_s);
        // A self-signed certificate for the loopback address, made by the
        // openssl tool the way an operator would make a test certificate.
        QProcess openssl;
        openssl.start(u"openssl"_s,
                      { u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-days"_s,
                        u"2"_s, u"-subj"_s, u"/CN=127.0.0.1"_s, u"-addext"_s,
                        u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s, m_key, u"-out"_s, m_cert });
        QVERIFY2(openssl.waitForFinished(60'000), "openssl did not finish");
        QVERIFY2(openssl.exitCode() == 0, openssl.readAllStandardError().constData());

        QVERIFY2(m_server.start({ u"--tls-cert"_s, m_cert, u"--tls-key"_s, m_key }),
                 qPrintable(m_server.errorText()));
    }

    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void verifiedHttpsClientIsServed()
    {
        QFile certFile(m_cert);
        QVERIFY(certFile.open(QIODevice::ReadOnly));
        const auto certs = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
        QCOMPARE(certs.size(), 1);

        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(certs); // trust only the server's own certificate
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);

        QUrl url = m_server.baseUrl();
        url.setScheme(u"https"_s);
        url.setPath(u"/healthz"_s);
        QNetworkRequest request(url);
        request.setSslConfiguration(tls);

        QNetworkAccessManager manager;
        const Answer answer = fetch(manager, request);
        QCOMPARE(answer.error, QNetworkReply::NoError);
        QCOMPARE(answer.status, 200);
        QCOMPARE(QJsonDocument::fromJson(answer.body).object().value(u"status"_s).toString(),
                 u"ok"_s);
    }

    void untrustedCertificateIsRefusedByClient()
    {
        // Without the certificate in its trust store a client must fail the
        // handshake: the server really presents the configured certificate.
        QUrl url = m_server.baseUrl();
        url.setScheme(u"https"_s);
        url.setPath(u"/healthz"_s);
        QNetworkAccessManager manager;
        const Answer answer = fetch(manager, QNetworkRequest(url));
        QCOMPARE(answer.error, QNetworkReply::SslHandshakeFailedError);
    }

    void plainHttpIsNotServed()
    {
        QUrl url = m_server.baseUrl();
        url.setPath(u"/healthz"_s);
        QNetworkAccessManager manager;
        const Answer answer = fetch(manager, QNetworkRequest(url));
        QVERIFY(answer.status != 200);
        QVERIFY(answer.error != QNetworkReply::NoError);
    }
};

QTEST_GUILESS_MAIN(TestHttpTls)
#include "tst_httptls.moc"
