// The whole desktop app against the real backend: parlanced and the provider
// simulator as processes, the app's own QML (Main.qml) in a real window under
// Xvfb, QtKeychain on a private Secret Service (run-with-keyring.sh). A user
// creates an account through the sign-in page, types a message with a table,
// a code block and a display formula into the composer, presses Enter, and
// the streamed answer (the simulator echoes) is checked in the page's DOM:
// KaTeX typeset the formula, highlight.js the code, the table is a table.
// The screenshot is kept as an artifact.
#include "api/apiclient.h"
#include "clientservices.h"
#include "controllers/chatcontroller.h"
#include "controllers/conversationscontroller.h"
#include "models/conversationlistmodel.h"
#include "session/session.h"
#include "streamtestserver.h"

#include <QDir>
#include <QJSEngine>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>
#include <QtWebEngineQuick/qtwebenginequickglobal.h>

using namespace Qt::StringLiterals;

namespace {

const QString Email = u"e2e@example.com"_s;

// Receives runJavaScript results (the callback is a JS function that calls it).
class JsSink : public QObject
{
    Q_OBJECT
public:
    Q_INVOKABLE void take(const QVariant &value)
    {
        result = value;
        ++serial;
    }
    QVariant result;
    int serial = 0;
};

QQuickItem *findItem(QObject *root, const QString &name)
{
    return root ? root->findChild<QQuickItem *>(name) : nullptr;
}

void click(QQuickWindow *window, QQuickItem *item)
{
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
}

void type(QQuickWindow *window, QQuickItem *item, const QString &text)
{
    item->forceActiveFocus();
    for (const QChar c : text)
        QTest::keyClick(window, c.toLatin1());
}

} // namespace

class TestEndToEnd : public QObject
{
    Q_OBJECT

private:
    StreamTestServer m_server;
    std::unique_ptr<ClientServices> m_services;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow *m_window = nullptr;
    JsSink m_sink;
    QJSValue m_callback;

    QVariant js(QObject *view, const QString &code)
    {
        const int serial = m_sink.serial;
        QMetaObject::invokeMethod(view, "runJavaScript", Q_ARG(QString, code),
                                  Q_ARG(QJSValue, m_callback));
        if (!QTest::qWaitFor([&] { return m_sink.serial != serial; }, 10'000))
            return {};
        return m_sink.result;
    }

    bool waitForJs(QObject *view, const QString &condition, int timeoutMs = 30'000)
    {
        return QTest::qWaitFor([&] { return js(view, condition).toBool(); }, timeoutMs);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.error));
        m_services = std::make_unique<ClientServices>(m_server.server.baseUrl().toString());
        m_engine = std::make_unique<QQmlApplicationEngine>();
        m_services->exposeTo(*m_engine);
        m_services->session()->restore();
        m_engine->addImportPath(u"qrc:/qt/qml"_s);
        m_engine->load(QUrl(u"qrc:/qt/qml/Parlance/Ui/Main.qml"_s));
        QCOMPARE(m_engine->rootObjects().size(), 1);
        m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().first());
        QVERIFY(m_window);
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
        m_callback =
            m_engine->evaluate(u"(function (sink) { return function (r) { sink.take(r); }; })"_s)
                .call({ m_engine->newQObject(&m_sink) });
        QJSEngine::setObjectOwnership(&m_sink, QJSEngine::CppOwnership);
    }

    void cleanupTestCase()
    {
        m_engine.reset();
        m_services.reset();
        m_server.stop();
    }

    void createsAnAccountOnTheSignInPage()
    {
        // No saved sign-in: the sign-in page, with the --server address filled in.
        QTRY_VERIFY_WITH_TIMEOUT(findItem(m_window, u"emailField"_s), 10'000);
        QCOMPARE(findItem(m_window, u"serverField"_s)->property("text").toString(),
                 m_server.server.baseUrl().toString());
        click(m_window, findItem(m_window, u"modeToggle"_s));
        type(m_window, findItem(m_window, u"emailField"_s), Email);
        type(m_window, findItem(m_window, u"passwordField"_s),
             QString::fromLatin1(StreamTestServer::Password));
        QSignalSpy saved(m_services->session(), &Session::secretSaved);
        click(m_window, findItem(m_window, u"submitButton"_s));
        QTRY_VERIFY_WITH_TIMEOUT(m_services->session()->isSignedIn(), 20'000);
        QCOMPARE(m_services->session()->email(), Email);
        // The refresh token went to the keychain.
        QVERIFY(saved.size() > 0 || saved.wait(10'000));
        QTRY_VERIFY_WITH_TIMEOUT(findItem(m_window, u"composerInput"_s), 10'000);
    }

    void streamsARichAnswerIntoTheTranscript()
    {
        QQuickItem *input = findItem(m_window, u"composerInput"_s);
        QVERIFY(input);
        // The simulator echoes the question, so the answer holds the same markdown.
        const QString question = u"Planets, code and a formula:\n\n"
                                 "| Planet | Moons |\n|---|---|\n| Earth | 1 |\n| Mars | 2 |\n\n"
                                 "```python\ndef area(r):\n    return 3.14159 * r * r\n```\n\n"
                                 "$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$\n"_s;
        input->forceActiveFocus();
        input->setProperty("text", question);
        QSignalSpy finished(m_services->chat(), &parlance::client::ChatController::answerFinished);
        QTest::keyClick(m_window, Qt::Key_Return);
        QVERIFY(finished.wait(30'000));
        QCOMPARE(finished.first().at(1).toString(), u"complete"_s);
        QCOMPARE(input->property("text").toString(), QString()); // the composer emptied
        QCOMPARE(m_services->chat()->messages()->rowCount(), 2);
        QCOMPARE(m_services->chat()->messages()->textAt(1), question.trimmed());
        // The sidebar lists the new chat, titled from its first line.
        QTRY_COMPARE(m_services->conversations()->source()->rowCount(), 1);
        QCOMPARE(m_services->chat()->title(), u"Planets, code and a formula:"_s);

        QQuickItem *view = findItem(m_window, u"transcript"_s);
        QVERIFY(view);
        // The answer's article: a table, highlighted code, and typeset math.
        const QString answer =
            u"document.querySelector('.message.role-assistant.status-complete')"_s;
        QVERIFY2(waitForJs(view, u"!!"_s + answer),
                 qPrintable(js(view, u"document.body.innerHTML.slice(0, 2000)"_s).toString()));
        QVERIFY(waitForJs(
            view, answer + u".querySelectorAll('.katex-display .katex-mathml').length === 1"_s));
        QVERIFY(waitForJs(view, answer + u".querySelectorAll('table tr').length === 3"_s));
        QVERIFY(waitForJs(
            view, answer + u".querySelectorAll('pre code.hljs .hljs-keyword').length >= 2"_s));
        QCOMPARE(js(view, answer + u".querySelector('table td').textContent"_s).toString(),
                 u"Earth"_s);
        QVERIFY(waitForJs(view, u"document.fonts.status === 'loaded'"_s));
        QTest::qWait(200); // let the compositor paint the settled page

        const QImage shot = m_window->grabWindow();
        QVERIFY(!shot.isNull());
        QDir().mkpath(QStringLiteral(PARLANCE_TEST_OUTPUT_DIR));
        const QString path = QStringLiteral(PARLANCE_TEST_OUTPUT_DIR "/endtoend-conversation.png");
        QVERIFY(shot.save(path));
        qInfo("screenshot: %s", qPrintable(path));
    }

    void signOutForgetsTheAccount()
    {
        QSignalSpy removed(m_services->session(), &Session::secretRemoved);
        m_services->session()->signOut();
        QTRY_VERIFY_WITH_TIMEOUT(!m_services->session()->isSignedIn(), 10'000);
        QVERIFY(removed.size() > 0 || removed.wait(10'000));
        QCOMPARE(m_services->chat()->messages()->rowCount(), 0);
        QCOMPARE(m_services->conversations()->source()->rowCount(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(findItem(m_window, u"emailField"_s), 10'000);
    }
};

int main(int argc, char *argv[])
{
    QtWebEngineQuick::initialize();
    QGuiApplication app(argc, argv);
    QGuiApplication::setOrganizationName(u"ParlanceTests"_s);
    QGuiApplication::setApplicationName(u"ParlanceEndToEnd"_s);
    TestEndToEnd test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_endtoend.moc"
