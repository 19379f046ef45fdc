#include "markdown/markdownrenderer.h"
#include "markdown/streamingmarkdownrenderer.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {
const QString dataDir = QStringLiteral(PARLANCE_TEST_DATA_DIR "/markdown/");

QString readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return QString::fromUtf8(file.readAll());
}

// Streams `text` in chunks of 1..maxChunk characters and checks, on every
// update, that earlier stable blocks are never touched. Returns the final HTML.
QString streamInChunks(const QString &text, quint32 seed, int maxChunk, QStringList *errors)
{
    QRandomGenerator random(seed);
    StreamingMarkdownRenderer renderer;
    QStringList view; // what a view holding the stable blocks would show
    const auto apply = [&](const StreamUpdate &update) {
        if (update.firstChangedBlock != view.size())
            errors->append(u"update starts at block %1, view has %2"_s.arg(update.firstChangedBlock)
                               .arg(view.size()));
        view.append(update.newStableBlocks);
        if (view != renderer.stableBlocks())
            errors->append(u"stable blocks changed"_s);
        if (update.tailHtml != renderer.tailHtml())
            errors->append(u"tail differs"_s);
    };
    qsizetype pos = 0;
    while (pos < text.size()) {
        const qsizetype n = qMin<qsizetype>(text.size() - pos, random.bounded(1, maxChunk + 1));
        apply(renderer.append(QStringView(text).sliced(pos, n)));
        pos += n;
    }
    const StreamUpdate last = renderer.finish();
    apply(last);
    if (!last.tailHtml.isEmpty())
        errors->append(u"tail after finish"_s);
    return view.join(QString());
}
} // namespace

class TestStreamingMarkdown : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void corpusStreamedInChunksEqualsWholeRendering_data();
    void corpusStreamedInChunksEqualsWholeRendering();
    void stableBlocksLeaveOnlyTheLastBlockOpen();
    void blockStaysOpenWhileTextCanStillJoinIt_data();
    void blockStaysOpenWhileTextCanStillJoinIt();
    void tailShowsPartialText();
    void referenceDefinedEarlierResolvesInLaterBlocks();
    void surrogatePairSplitAcrossAppends();
    void appendAfterFinishIsIgnoredUntilReset();
};

void TestStreamingMarkdown::corpusStreamedInChunksEqualsWholeRendering_data()
{
    QTest::addColumn<QString>("markdownFile");
    QTest::addColumn<int>("maxChunk");
    const QDir dir(dataDir + u"corpus"_s);
    for (const QString &file : dir.entryList({ u"*.md"_s }, QDir::Files, QDir::Name)) {
        QTest::addRow("%s, 1-char tokens", qPrintable(file)) << dir.filePath(file) << 1;
        QTest::addRow("%s, up to 8-char tokens", qPrintable(file)) << dir.filePath(file) << 8;
        QTest::addRow("%s, up to 40-char tokens", qPrintable(file)) << dir.filePath(file) << 40;
    }
}

void TestStreamingMarkdown::corpusStreamedInChunksEqualsWholeRendering()
{
    QFETCH(QString, markdownFile);
    QFETCH(int, maxChunk);
    const QString text = readFile(markdownFile);
    const QString whole = MarkdownRenderer::toHtml(text);
    for (quint32 seed = 1; seed <= 5; ++seed) {
        QStringList errors;
        const QString streamed = streamInChunks(text, seed, maxChunk, &errors);
        QCOMPARE(errors, QStringList());
        QCOMPARE(streamed, whole);
    }
}

void TestStreamingMarkdown::stableBlocksLeaveOnlyTheLastBlockOpen()
{
    StreamingMarkdownRenderer renderer;
    for (int i = 0; i < 200; ++i)
        renderer.append(u"Paragraph number %1 with *some* text.\n\n"_s.arg(i));
    renderer.append(u"Last one"_s);
    // A block is stable once a complete line has started the next one, so the
    // paragraph before the unfinished last line is still open as well; the 199
    // before it are never rendered again.
    QCOMPARE(renderer.stableBlocks().size(), 199);
    QCOMPARE(renderer.tailHtml(),
             u"<p>Paragraph number 199 with <em>some</em> text.</p>\n<p>Last one</p>\n"_s);
    QCOMPARE(renderer.tailSize(), qsizetype(48));
}

void TestStreamingMarkdown::blockStaysOpenWhileTextCanStillJoinIt_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("stableBlocks");

    QTest::newRow("paragraph then complete line") << u"a\n\nb\n"_s << 1;
    // "1" may still become "1. b", an item of the list above.
    QTest::newRow("list then partial line") << u"1. a\n\n1"_s << 0;
    QTest::newRow("paragraph then blank only") << u"a\n\n"_s << 0;
    QTest::newRow("fence with blank lines") << u"```\ncode\n\nmore\n\nx\n"_s << 0;
    QTest::newRow("closed fence then paragraph") << u"```\ncode\n```\n\nx\n"_s << 1;
    QTest::newRow("loose list continues") << u"- a\n\n- b\n\n"_s << 0;
    QTest::newRow("list ends at unindented paragraph") << u"- a\n\n- b\n\nafter\n"_s << 1;
    QTest::newRow("indented line continues the item") << u"- a\n\n  more\n"_s << 0;
    QTest::newRow("open display math with blank line") << u"$$\nx\n\ny\n"_s << 0;
    QTest::newRow("closed display math") << u"$$\nx\n\ny\n$$\n\nz\n"_s << 1;
    QTest::newRow("line that may become a setext underline") << u"a\n-"_s << 0;
    QTest::newRow("table grows row by row") << u"| a |\n|---|\n| 1 |\n| 2 |\n"_s << 0;
    QTest::newRow("html comment spanning blank lines") << u"<!--\n\nx\n\n"_s << 0;
    QTest::newRow("heading then paragraph") << u"# H\ntext\n"_s << 1;
}

void TestStreamingMarkdown::blockStaysOpenWhileTextCanStillJoinIt()
{
    QFETCH(QString, text);
    QFETCH(int, stableBlocks);
    StreamingMarkdownRenderer renderer;
    renderer.append(text);
    QCOMPARE(renderer.stableBlocks().size(), stableBlocks);
    renderer.finish();
    QCOMPARE(renderer.stableBlocks().join(QString()), MarkdownRenderer::toHtml(text));
}

void TestStreamingMarkdown::tailShowsPartialText()
{
    StreamingMarkdownRenderer renderer;
    StreamUpdate update = renderer.append(u"Hello **wor"_s);
    QCOMPARE(update.firstChangedBlock, 0);
    QVERIFY(update.newStableBlocks.isEmpty());
    QCOMPARE(update.tailHtml, u"<p>Hello **wor</p>\n"_s);
    update = renderer.append(u"ld**\n\nNext"_s);
    QVERIFY(update.newStableBlocks.isEmpty()); // "Next" is not a complete line yet
    QCOMPARE(update.tailHtml, u"<p>Hello <strong>world</strong></p>\n<p>Next</p>\n"_s);
    update = renderer.append(u" line\n"_s);
    QCOMPARE(update.firstChangedBlock, 0);
    QCOMPARE(update.newStableBlocks, QStringList { u"<p>Hello <strong>world</strong></p>\n"_s });
    QCOMPARE(update.tailHtml, u"<p>Next line</p>\n"_s);
    update = renderer.finish();
    QCOMPARE(update.firstChangedBlock, 1);
    QCOMPARE(update.newStableBlocks, QStringList { u"<p>Next line</p>\n"_s });
    QVERIFY(update.tailHtml.isEmpty());
    QCOMPARE(renderer.html(), MarkdownRenderer::toHtml(u"Hello **world**\n\nNext line\n"_s));
}

void TestStreamingMarkdown::referenceDefinedEarlierResolvesInLaterBlocks()
{
    const QString text =
        u"[docs]: https://example.com/docs\n\nIntro.\n\nSee [the docs][docs].\n\nEnd"_s;
    StreamingMarkdownRenderer renderer;
    for (QChar c : text)
        renderer.append(QStringView(&c, 1));
    renderer.finish();
    QCOMPARE(renderer.html(), MarkdownRenderer::toHtml(text));
    QVERIFY(renderer.html().contains(u"<a href=\"https://example.com/docs\">the docs</a>"_s));
}

void TestStreamingMarkdown::surrogatePairSplitAcrossAppends()
{
    const QString emoji = u"🎉"_s;
    StreamingMarkdownRenderer renderer;
    renderer.append(QString(u"Party "_s + emoji.at(0)));
    QVERIFY(!renderer.tailHtml().contains(QChar(0xFFFD)));
    renderer.append(QStringView(emoji).sliced(1));
    renderer.finish();
    QCOMPARE(renderer.html(), u"<p>Party 🎉</p>\n"_s);
}

void TestStreamingMarkdown::appendAfterFinishIsIgnoredUntilReset()
{
    StreamingMarkdownRenderer renderer;
    renderer.append(u"a"_s);
    renderer.finish();
    QVERIFY(renderer.isFinished());
    const StreamUpdate ignored = renderer.append(u"b"_s);
    QVERIFY(ignored.newStableBlocks.isEmpty());
    QCOMPARE(renderer.html(), u"<p>a</p>\n"_s);
    renderer.reset();
    QVERIFY(!renderer.isFinished());
    renderer.append(u"c"_s);
    QCOMPARE(renderer.html(), u"<p>c</p>\n"_s);
}

QTEST_GUILESS_MAIN(TestStreamingMarkdown)
#include "tst_streamingmarkdown.moc"
