// The transcript in a real Chromium: what the page shows for rendered
// markdown, that content cannot run script, that streaming ends where a whole
// render is, and what it looks like (screenshots).
#include "transcriptharness.h"
#include "transcripttestmodel.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QSignalSpy>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>
#include <QtWebEngineQuick/qtwebenginequickglobal.h>

Q_IMPORT_QML_PLUGIN(Parlance_ClientPlugin)
Q_IMPORT_QML_PLUGIN(Parlance_UiPlugin)

using namespace Qt::StringLiterals;

namespace {

const QString richMarkdown = uR"(Here is a table, some code and a formula.

| language | typing |
|----------|--------|
| C++      | static |
| Python   | dynamic |

```python
def area(r):
    return 3.14159 * r ** 2
```

$$
\int_0^1 x^2\,dx = \frac{1}{3}
$$

Inline math too: $e^{i\pi} + 1 = 0$, and [a link](https://example.org/docs).
)"_s;

const QString hostileMarkdown = uR"(<script>window.pwned = 'script';</script>

[click me](javascript:window.pwned='link')

<img src="x" onerror="window.pwned='img'">

<a href="javascript:window.pwned='raw-a'">raw anchor</a>
)"_s;

QString readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

double meanLightness(const QImage &image)
{
    qint64 sum = 0;
    qint64 n = 0;
    for (int y = 0; y < image.height(); y += 4) {
        for (int x = 0; x < image.width(); x += 4) {
            sum += QColor(image.pixel(x, y)).lightness();
            ++n;
        }
    }
    return n ? double(sum) / double(n) : 0.0;
}

} // namespace

// Receives the URLs TranscriptBridge hands to QDesktopServices, so clicking a
// link in the test opens nothing.
class UrlCatcher : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> urls;
public Q_SLOTS:
    void open(const QUrl &url) { urls.append(url); }
};

class TestTranscriptView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void typesetsMathHighlightsCodeAndRendersTables();
    void scriptInMarkdownDoesNotRun();
    void inlineScriptIsBlockedByContentSecurityPolicy();
    void streamedMessageEndsEqualToWholeRender();
    void statusBadgeAndErrorFollowTheModel();
    void removedRowsLeaveThePage();
    void linkClickOpensExternallyAndViewStays();
    void copyButtonPutsCodeOnClipboard();
    void fontSizeFollowsTheBridge();
    void siblingButtonsAskTheBridge();
    void followsTheBottomUnlessTheUserScrolledAway();
    void screenshotsInLightAndDarkTheme();

private:
    TranscriptTestModel m_model;
    std::unique_ptr<TranscriptHarness> m_harness;
    UrlCatcher m_urls;
};

void TestTranscriptView::initTestCase()
{
    QDesktopServices::setUrlHandler(u"https"_s, &m_urls, "open");
    QDesktopServices::setUrlHandler(u"http"_s, &m_urls, "open");
    m_model.append({ { u"u1"_s, u"user"_s, u"Show me a table, code and math."_s },
                     { u"a1"_s, u"assistant"_s, richMarkdown },
                     { u"x1"_s, u"assistant"_s, hostileMarkdown } });
    m_harness = std::make_unique<TranscriptHarness>();
    QString error;
    QVERIFY2(m_harness->load(&m_model, &error), qPrintable(error));
    QVERIFY(m_harness->waitForJs(u"parlanceTranscript.messageCount() === 3 && "
                                 "parlanceTranscript.contentHtml('a1').length > 0"_s));
}

void TestTranscriptView::cleanupTestCase()
{
    m_harness.reset();
    QDesktopServices::unsetUrlHandler(u"https"_s);
    QDesktopServices::unsetUrlHandler(u"http"_s);
}

void TestTranscriptView::typesetsMathHighlightsCodeAndRendersTables()
{
    QVERIFY(m_harness->waitForJs(u"document.querySelector('.katex-display') !== null"_s));
    QCOMPARE(
        m_harness->js(u"document.querySelectorAll('.katex-display .katex-html').length"_s).toInt(),
        1);
    QCOMPARE(m_harness->js(u"document.querySelectorAll('.math-inline .katex').length"_s).toInt(),
             1);
    // highlight.js ran on the fenced block and split it into tokens.
    QCOMPARE(m_harness->js(u"document.querySelectorAll('pre > code.hljs.language-python').length"_s)
                 .toInt(),
             1);
    QVERIFY(m_harness->js(u"document.querySelectorAll('pre code .hljs-keyword').length"_s).toInt()
            > 0);
    QCOMPARE(m_harness->js(u"document.querySelectorAll('pre > button.copy').length"_s).toInt(), 1);
    QCOMPARE(m_harness->js(u"document.querySelectorAll('table tr').length"_s).toInt(), 3);
    // KaTeX's fonts come from the resources (font-src 'self'): at least one loaded.
    QVERIFY(m_harness->waitForJs(u"document.fonts.status === 'loaded' && "
                                 u"[...document.fonts].some(f => f.family.startsWith('KaTeX') "
                                 "&& f.status === 'loaded')"_s));
}

void TestTranscriptView::scriptInMarkdownDoesNotRun()
{
    QVERIFY(m_harness->waitForJs(u"parlanceTranscript.contentHtml('x1').includes('raw anchor')"_s));
    QCOMPARE(m_harness->js(u"typeof window.pwned"_s).toString(), u"undefined"_s);
    QCOMPARE(
        m_harness->js(u"document.querySelectorAll('#transcript script, #transcript img').length"_s)
            .toInt(),
        0);
    QCOMPARE(
        m_harness->js(u"document.querySelectorAll('#transcript [href^=\"javascript\"]').length"_s)
            .toInt(),
        0);
    QCOMPARE(m_harness->js(u"document.querySelectorAll('#transcript [onerror]').length"_s).toInt(),
             0);
    // The payload is shown as text.
    QVERIFY(m_harness->js(u"parlanceTranscript.contentHtml('x1')"_s)
                .toString()
                .contains(u"&lt;script&gt;"_s));
}

void TestTranscriptView::inlineScriptIsBlockedByContentSecurityPolicy()
{
    // Even if markup with a script got through, the page's CSP would not run it.
    m_harness->js(u"(function () { const s = document.createElement('script'); "
                  "s.textContent = 'window.cspBypassed = true'; document.body.append(s); })()"_s);
    QCOMPARE(m_harness->js(u"typeof window.cspBypassed"_s).toString(), u"undefined"_s);
}

void TestTranscriptView::streamedMessageEndsEqualToWholeRender()
{
    const QString text =
        readFile(QStringLiteral(PARLANCE_TEST_DATA_DIR "/markdown/corpus/chat-answer.md"));
    QVERIFY(!text.isEmpty());
    const int whole = m_model.rowCount();
    m_model.append({ u"whole"_s, u"assistant"_s, text });
    const int row = m_model.rowCount();
    m_model.append({ u"streamed"_s, u"assistant"_s, QString(), u"streaming"_s });

    // 200 deltas of varying size, the event loop running between some of them
    // so that the page sees many intermediate states.
    constexpr int deltas = 200;
    qsizetype pos = 0;
    for (int i = 0; i < deltas; ++i) {
        const qsizetype end = i == deltas - 1 ? text.size() : text.size() * (i + 1) / deltas;
        m_model.appendText(row, QStringView(text).sliced(pos, end - pos));
        pos = end;
        if (i % 3 == 0)
            TranscriptHarness::spin(2);
    }
    QVERIFY(
        m_harness->waitForJs(u"parlanceTranscript.contentHtml('streamed').includes('tested')"_s));
    QCOMPARE(m_harness->js(u"document.querySelector('#transcript article:last-child').className"_s)
                 .toString(),
             u"message role-assistant status-streaming"_s);
    m_model.setStatus(row, u"complete"_s);
    QVERIFY(m_harness->waitForJs(
        u"document.querySelector('#transcript article:last-child').className"
        " === 'message role-assistant status-complete' && parlanceTranscript.idle()"_s));
    TranscriptHarness::spin(100);

    const QString streamed =
        m_harness->js(u"parlanceTranscript.contentHtml('streamed')"_s).toString();
    const QString rendered = m_harness->js(u"parlanceTranscript.contentHtml('whole')"_s).toString();
    QVERIFY(streamed.contains(u"katex-display"_s));
    QVERIFY(streamed.contains(u"hljs"_s));
    QCOMPARE(streamed, rendered);
    QCOMPARE(m_harness->js(u"document.querySelector('[data-parlance-none]') === null"_s).toBool(),
             true);

    m_model.removeAt(row);
    m_model.removeAt(whole);
}

void TestTranscriptView::statusBadgeAndErrorFollowTheModel()
{
    const int row = m_model.rowCount();
    m_model.append({ u"e1"_s, u"assistant"_s, u"Partial answ"_s, u"streaming"_s });
    QVERIFY(m_harness->waitForJs(u"parlanceTranscript.contentHtml('e1') !== null && "
                                 "parlanceTranscript.contentHtml('e1').includes('Partial')"_s));
    m_model.setErrorMessage(row, u"The provider stopped responding."_s);
    m_model.setStatus(row, u"interrupted"_s);
    QVERIFY(m_harness->waitForJs(
        u"document.querySelector('#transcript article:last-child .badge-interrupted')"
        " !== null"_s));
    QCOMPARE(
        m_harness
            ->js(
                u"document.querySelector('#transcript article:last-child .error-text').textContent"_s)
            .toString(),
        u"The provider stopped responding."_s);
    QCOMPARE(
        m_harness
            ->js(u"document.querySelector('#transcript article:last-child .badge').textContent"_s)
            .toString(),
        u"Interrupted"_s);
    m_model.removeAt(row);
}

void TestTranscriptView::removedRowsLeaveThePage()
{
    const int before = m_model.rowCount();
    m_model.append({ { u"r1"_s, u"user"_s, u"one"_s }, { u"r2"_s, u"assistant"_s, u"two"_s } });
    QVERIFY(m_harness->waitForJs(u"parlanceTranscript.messageCount() === %1"_s.arg(before + 2)));
    m_model.removeAt(before);
    QVERIFY(m_harness->waitForJs(u"parlanceTranscript.messageCount() === %1"_s.arg(before + 1)));
    QCOMPARE(m_harness->js(u"parlanceTranscript.contentHtml('r1')"_s).isNull(), true);
    QVERIFY(m_harness->js(u"parlanceTranscript.contentHtml('r2')"_s).toString().contains(u"two"_s));
    m_model.removeAt(before);
    QVERIFY(m_harness->waitForJs(u"parlanceTranscript.messageCount() === %1"_s.arg(before)));
}

void TestTranscriptView::linkClickOpensExternallyAndViewStays()
{
    m_urls.urls.clear();
    const QUrl pageUrl = m_harness->view()->property("url").toUrl();
    m_harness->js(
        u"document.querySelector('#transcript a[href^=\"https://example.org\"]').click()"_s);
    QVERIFY(TranscriptHarness::waitUntil([&] { return !m_urls.urls.isEmpty(); }, 10000));
    QCOMPARE(m_urls.urls.constFirst(), QUrl(u"https://example.org/docs"_s));
    // A navigation the page did not prevent is refused by the view as well.
    m_harness->js(u"window.location.href = 'https://example.org/elsewhere'"_s);
    TranscriptHarness::spin(300);
    QCOMPARE(m_harness->view()->property("url").toUrl(), pageUrl);
    QCOMPARE(m_harness->js(u"typeof window.parlanceTranscript"_s).toString(), u"object"_s);
}

void TestTranscriptView::copyButtonPutsCodeOnClipboard()
{
    QSignalSpy copied(m_harness->bridge(), &TranscriptBridge::codeCopied);
    m_harness->js(u"document.querySelector('pre > button.copy').click()"_s);
    QTRY_VERIFY_WITH_TIMEOUT(copied.count() > 0, 10000);
    QCOMPARE(m_harness->js(u"document.querySelector('pre > button.copy').textContent"_s).toString(),
             u"Copied"_s);
    QCOMPARE(QGuiApplication::clipboard()->text(),
             u"def area(r):\n    return 3.14159 * r ** 2\n"_s);
}

void TestTranscriptView::fontSizeFollowsTheBridge()
{
    m_harness->bridge()->setFontSize(21);
    QVERIFY(
        m_harness->waitForJs(u"getComputedStyle(document.documentElement).fontSize === '21px'"_s));
    m_harness->bridge()->setFontSize(15);
    QVERIFY(
        m_harness->waitForJs(u"getComputedStyle(document.documentElement).fontSize === '15px'"_s));
}

void TestTranscriptView::siblingButtonsAskTheBridge()
{
    const int row = m_model.rowCount();
    TranscriptTestModel::Row answer { u"v2"_s, u"assistant"_s, u"Second version."_s };
    answer.siblingIndex = 1;
    answer.siblingCount = 3;
    m_model.append(answer);
    QVERIFY(m_harness->waitForJs(
        u"document.querySelector('#transcript article:last-child .siblings') !== null"_s));
    QCOMPARE(
        m_harness
            ->js(
                u"document.querySelector('#transcript article:last-child .siblings').textContent"_s)
            .toString(),
        u"‹2 / 3›"_s);
    QSignalSpy requested(m_harness->bridge(), &TranscriptBridge::siblingRequested);
    m_harness->js(u"document.querySelector('#transcript article:last-child "
                  u"button.sibling[data-direction=\"1\"]')"
                  ".click()"_s);
    QTRY_COMPARE_WITH_TIMEOUT(requested.count(), 1, 10000);
    QCOMPARE(requested.at(0).at(0).toString(), u"v2"_s);
    QCOMPARE(requested.at(0).at(1).toInt(), 1);
    m_model.removeAt(row);
}

void TestTranscriptView::followsTheBottomUnlessTheUserScrolledAway()
{
    const QString atBottom =
        u"window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2"_s;
    const int row = m_model.rowCount();
    m_model.append({ u"long"_s, u"assistant"_s, QString(), u"streaming"_s });
    for (int i = 0; i < 60; ++i) {
        m_model.appendText(row, u"Line %1 of a long answer.\n\n"_s.arg(i));
        TranscriptHarness::spin(5);
    }
    QVERIFY(m_harness->waitForJs(u"parlanceTranscript.contentHtml('long').includes('Line 59')"_s));
    QVERIFY(m_harness->waitForJs(atBottom));

    // The user scrolls up: new text must not pull the view back down.
    m_harness->js(
        u"window.dispatchEvent(new WheelEvent('wheel', { deltaY: -500 })); window.scrollTo(0, 0)"_s);
    TranscriptHarness::spin(200);
    for (int i = 60; i < 80; ++i)
        m_model.appendText(row, u"Line %1 of a long answer.\n\n"_s.arg(i));
    QVERIFY(m_harness->waitForJs(u"parlanceTranscript.contentHtml('long').includes('Line 79')"_s));
    TranscriptHarness::spin(200);
    QCOMPARE(m_harness->js(u"window.scrollY"_s).toInt(), 0);

    // Back at the bottom, it follows again.
    // (Scrolled in steps like a user: blocks coming into view get their real
    // height, so the first jump may land short of the bottom.)
    QVERIFY(m_harness->waitForJs(u"window.scrollTo(0, document.documentElement.scrollHeight), "_s
                                 + atBottom));
    TranscriptHarness::spin(200);
    m_model.appendText(row, u"The end.\n"_s);
    QVERIFY(m_harness->waitForJs(u"parlanceTranscript.contentHtml('long').includes('The end')"_s));
    QVERIFY(m_harness->waitForJs(atBottom));
    m_model.setStatus(row, u"complete"_s);
    m_model.removeAt(row);
}

void TestTranscriptView::screenshotsInLightAndDarkTheme()
{
    QVERIFY(QDir().mkpath(QStringLiteral(PARLANCE_TEST_OUTPUT_DIR)));
    QVERIFY(
        m_harness->waitForJs(u"document.fonts.status === 'loaded' && parlanceTranscript.idle()"_s));
    m_harness->js(u"window.scrollTo(0, 0)"_s);
    TranscriptHarness::spin(300);

    const QImage light = m_harness->window()->grabWindow();
    QVERIFY(!light.isNull());
    const QString lightPath = QStringLiteral(PARLANCE_TEST_OUTPUT_DIR "/transcript-light.png");
    QVERIFY(light.save(lightPath));
    qInfo().noquote() << "screenshot:" << QDir::cleanPath(lightPath);

    m_harness->bridge()->setDarkTheme(true);
    QVERIFY(m_harness->waitForJs(u"document.documentElement.dataset.theme === 'dark'"_s));
    TranscriptHarness::spin(300);
    const QImage dark = m_harness->window()->grabWindow();
    const QString darkPath = QStringLiteral(PARLANCE_TEST_OUTPUT_DIR "/transcript-dark.png");
    QVERIFY(dark.save(darkPath));
    qInfo().noquote() << "screenshot:" << QDir::cleanPath(darkPath);
    QVERIFY2(meanLightness(dark) + 60 < meanLightness(light),
             qPrintable(u"light %1, dark %2"_s.arg(meanLightness(light)).arg(meanLightness(dark))));

    m_harness->bridge()->resetDarkTheme();
    QVERIFY(m_harness->waitForJs(u"document.documentElement.dataset.theme === 'light'"_s));
}

int main(int argc, char *argv[])
{
    // QtWebEngine needs its GL context shared before the application exists.
    QtWebEngineQuick::initialize();
    QGuiApplication app(argc, argv);
    TestTranscriptView test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_transcriptview.moc"
