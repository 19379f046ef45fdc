#include "markdown/markdownrenderer.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <thread>
#include <vector>

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

// Every tag the renderer may emit, and every attribute: anything else in the
// output came from the input.
const QSet<QString> allowedTags = {
    u"p"_s,   u"br"_s, u"em"_s, u"strong"_s,     u"del"_s,   u"code"_s,  u"pre"_s,   u"a"_s,
    u"img"_s, u"ul"_s, u"ol"_s, u"li"_s,         u"input"_s, u"table"_s, u"thead"_s, u"tbody"_s,
    u"tr"_s,  u"th"_s, u"td"_s, u"blockquote"_s, u"h1"_s,    u"h2"_s,    u"h3"_s,    u"h4"_s,
    u"h5"_s,  u"h6"_s, u"hr"_s, u"span"_s,       u"div"_s,
};
const QSet<QString> allowedAttributes = {
    u"href"_s, u"src"_s,     u"alt"_s,      u"title"_s, u"class"_s,
    u"type"_s, u"checked"_s, u"disabled"_s, u"align"_s, u"start"_s,
};

// Returns why `html` is unsafe, or an empty string.
QString unsafety(const QString &html)
{
    if (html.contains(u"<script"_s, Qt::CaseInsensitive))
        return u"contains <script"_s;
    static const QRegularExpression tag(u"<(/?)([a-zA-Z0-9]+)([^>]*)>"_s);
    static const QRegularExpression attribute(u"([a-zA-Z_:-]+)\\s*(?:=\\s*\"([^\"]*)\")?"_s);
    static const QRegularExpression badScheme(u"^\\s*(javascript|data|vbscript):"_s,
                                              QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression quoted(u"\"[^\"]*\""_s);
    static const QRegularExpression eventHandler(u"\\son\\w+\\s*="_s,
                                                 QRegularExpression::CaseInsensitiveOption);
    for (const auto &match : tag.globalMatch(html)) {
        if (!allowedTags.contains(match.captured(2).toLower()))
            return u"tag "_s + match.captured(0);
        if (QString(match.captured(3)).remove(quoted).contains(eventHandler))
            return u"event handler in "_s + match.captured(0);
        for (const auto &attr : attribute.globalMatch(match.captured(3))) {
            const QString name = attr.captured(1).toLower();
            if (name == u"/"_s)
                continue;
            if (!allowedAttributes.contains(name))
                return u"attribute "_s + attr.captured(0);
            if ((name == u"href"_s || name == u"src"_s)
                && badScheme.match(attr.captured(2)).hasMatch())
                return u"URL "_s + attr.captured(0);
        }
    }
    return {};
}
} // namespace

class TestMarkdownRenderer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void corpusRendersToExpectedHtml_data();
    void corpusRendersToExpectedHtml();
    void xssPayloadIsNeutralised_data();
    void xssPayloadIsNeutralised();
    void rendersAsDocumented_data();
    void rendersAsDocumented();
    void utf8VariantMatchesStringVariant();
    void inputControlBytesCannotForgeMathMarks();
    void renderingFromManyThreadsGivesTheSameHtml();
    void codeBlocksAreTheBlocksLiterals_data();
    void codeBlocksAreTheBlocksLiterals();
};

void TestMarkdownRenderer::corpusRendersToExpectedHtml_data()
{
    QTest::addColumn<QString>("markdownFile");
    const QDir dir(dataDir + u"corpus"_s);
    const QStringList files = dir.entryList({ u"*.md"_s }, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 10);
    for (const QString &file : files)
        QTest::newRow(qPrintable(file)) << dir.filePath(file);
}

// The expected files were reviewed by hand. PARLANCE_UPDATE_EXPECTED=1 rewrites
// them (then review the diff).
void TestMarkdownRenderer::corpusRendersToExpectedHtml()
{
    QFETCH(QString, markdownFile);
    const QString html = MarkdownRenderer::toHtml(readFile(markdownFile));
    QString expectedFile = markdownFile;
    expectedFile.replace(u".md"_s, u".html"_s);
    if (qEnvironmentVariableIsSet("PARLANCE_UPDATE_EXPECTED")) {
        QFile out(expectedFile);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(html.toUtf8());
    }
    QCOMPARE(html, readFile(expectedFile));
    QCOMPARE(unsafety(html), QString());
}

void TestMarkdownRenderer::xssPayloadIsNeutralised_data()
{
    QTest::addColumn<QString>("payload");
    const QDir dir(dataDir + u"xss"_s);
    int total = 0;
    for (const QString &file : dir.entryList({ u"*.txt"_s }, QDir::Files, QDir::Name)) {
        const QStringList payloads =
            readFile(dir.filePath(file)).split(u"\n====\n"_s, Qt::SkipEmptyParts);
        for (qsizetype i = 0; i < payloads.size(); ++i) {
            QTest::addRow("%s #%lld", qPrintable(file), qlonglong(i + 1)) << payloads[i];
            ++total;
        }
    }
    QVERIFY(total >= 60);
}

void TestMarkdownRenderer::xssPayloadIsNeutralised()
{
    QFETCH(QString, payload);
    const QString html = MarkdownRenderer::toHtml(payload);
    QVERIFY2(unsafety(html).isEmpty(), qPrintable(unsafety(html) + u"\n"_s + html));
}

void TestMarkdownRenderer::rendersAsDocumented_data()
{
    QTest::addColumn<QString>("markdown");
    QTest::addColumn<QString>("html");

    QTest::newRow("inline math is an escaped span")
        << u"$a<b$"_s << u"<p><span class=\"math-inline\">a&lt;b</span></p>\n"_s;
    QTest::newRow("paren math is inline")
        << u"\\(x^2\\)"_s << u"<p><span class=\"math-inline\">x^2</span></p>\n"_s;
    QTest::newRow("display math alone is a div")
        << u"$$\nx_1 *y* x_2\n$$"_s << u"<div class=\"math-display\">x_1 *y* x_2</div>\n"_s;
    QTest::newRow("bracket display alone is a div")
        << u"\\[\\frac{a}{b}\\]"_s << u"<div class=\"math-display\">\\frac{a}{b}</div>\n"_s;
    QTest::newRow("display math inside a sentence is a span")
        << u"so $$x$$ holds"_s << u"<p>so <span class=\"math-display\">x</span> holds</p>\n"_s;
    QTest::newRow("display block keeps blank lines and list markers")
        << u"$$\na\n\n- b\n$$"_s << u"<div class=\"math-display\">a\n\n- b</div>\n"_s;
    QTest::newRow("backslashes survive in math")
        << u"$a \\\\ b \\{c\\}$"_s
        << u"<p><span class=\"math-inline\">a \\\\ b \\{c\\}</span></p>\n"_s;
    QTest::newRow("math in a table cell")
        << u"| a |\n|---|\n| $x^2$ \\(y\\) |"_s
        << u"<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>"
           u"<span class=\"math-inline\">x^2</span> <span class=\"math-inline\">y</span>"
           u"</td>\n</tr>\n</tbody>\n</table>\n"_s;
    QTest::newRow("a pipe ends a table cell before math closes")
        << u"| a |\n|---|\n| $x|y$ |"_s
        << u"<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>$x</td>\n</tr>\n</tbody>\n</table>\n"_s;
    QTest::newRow("prices stay prose") << u"$5 and $10"_s << u"<p>$5 and $10</p>\n"_s;
    QTest::newRow("closing dollar before a digit is not math") << u"$x$5"_s << u"<p>$x$5</p>\n"_s;
    QTest::newRow("escaped dollar stays a dollar") << u"\\$x\\$"_s << u"<p>$x$</p>\n"_s;
    QTest::newRow("unmatched paren escape is a paren") << u"\\(x"_s << u"<p>(x</p>\n"_s;
    QTest::newRow("math in a code span is code")
        << u"`$x$ \\(y\\)`"_s << u"<p><code>$x$ \\(y\\)</code></p>\n"_s;
    QTest::newRow("math in fenced code is code")
        << u"```tex\n$$\nx\n$$\n```"_s
        << u"<pre><code class=\"language-tex\">$$\nx\n$$\n</code></pre>\n"_s;
    QTest::newRow("code language from the first word")
        << u"```c++ {x}\ny\n```"_s << u"<pre><code class=\"language-c++\">y\n</code></pre>\n"_s;
    QTest::newRow("code language stops at a quote")
        << u"```\"><b>\nz\n```"_s << u"<pre><code>z\n</code></pre>\n"_s;
    QTest::newRow("code language is lower case")
        << u"```Python\nz\n```"_s << u"<pre><code class=\"language-python\">z\n</code></pre>\n"_s;
    QTest::newRow("code without language has no class")
        << u"```\nz\n```"_s << u"<pre><code>z\n</code></pre>\n"_s;
    QTest::newRow("raw inline html is text")
        << u"a <b>x</b>"_s << u"<p>a &lt;b&gt;x&lt;/b&gt;</p>\n"_s;
    QTest::newRow("raw html block is text with its lines")
        << u"<div>\n<i>x</i>\n</div>"_s
        << u"<p>&lt;div&gt;<br />\n&lt;i&gt;x&lt;/i&gt;<br />\n&lt;/div&gt;</p>\n"_s;
    QTest::newRow("javascript link keeps its text")
        << u"[go](javascript:alert(1))"_s << u"<p>go</p>\n"_s;
    QTest::newRow("data image becomes its alt text")
        << u"![pic](data:image/png;base64,AA==)"_s << u"<p>pic</p>\n"_s;
    QTest::newRow("https link stays")
        << u"[go](https://a.example/x)"_s << u"<p><a href=\"https://a.example/x\">go</a></p>\n"_s;
    QTest::newRow("escaped paren in a URL")
        << u"[go](https://a.example/\\(x\\))"_s
        << u"<p><a href=\"https://a.example/(x)\">go</a></p>\n"_s;
    QTest::newRow("task list")
        << u"- [x] a"_s
        << u"<ul>\n<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> a</li>\n</ul>\n"_s;
    QTest::newRow("strikethrough") << u"~~a~~"_s << u"<p><del>a</del></p>\n"_s;
    QTest::newRow("www autolink")
        << u"www.example.com"_s
        << u"<p><a href=\"http://www.example.com\">www.example.com</a></p>\n"_s;
}

void TestMarkdownRenderer::rendersAsDocumented()
{
    QFETCH(QString, markdown);
    QFETCH(QString, html);
    QCOMPARE(MarkdownRenderer::toHtml(markdown), html);
}

void TestMarkdownRenderer::utf8VariantMatchesStringVariant()
{
    const QString text = readFile(dataDir + u"corpus/chat-answer.md"_s) + u" ünïcödé ∑ 🎉"_s;
    QCOMPARE(QString::fromUtf8(MarkdownRenderer::toHtmlUtf8(text.toUtf8())),
             MarkdownRenderer::toHtml(text));
}

void TestMarkdownRenderer::inputControlBytesCannotForgeMathMarks()
{
    // The renderer uses bytes 1-5 internally; literal ones in the input must not
    // open math or smuggle anything.
    const QString html = MarkdownRenderer::toHtml(u"a \x01x\x02 \x05"
                                                  u"3c62\x05 b"_s);
    QVERIFY(!html.contains(u"math"_s));
    QVERIFY(!html.contains(u"<b"_s));
    QVERIFY(html.contains(QChar(0xFFFD)));

    // Nor numeric character references to them, which cmark decodes after
    // the preprocessor ran ("\]" is a mark too; "&#1;" became "(" once).
    const QString referenced =
        MarkdownRenderer::toHtml(u"\\]\n\nM &#1; &#x2; &#X0003; &#0; &#6;"_s);
    QVERIFY(!referenced.contains(u"math"_s));
    QVERIFY(!referenced.contains(u'('));
    QCOMPARE(referenced.count(QChar(0xFFFD)), 4);
    QVERIFY(referenced.contains(QChar(6)));
}

void TestMarkdownRenderer::renderingFromManyThreadsGivesTheSameHtml()
{
    QStringList inputs;
    for (const QString &file :
         QDir(dataDir + u"corpus"_s).entryList({ u"*.md"_s }, QDir::Files, QDir::Name))
        inputs.append(readFile(dataDir + u"corpus/"_s + file));
    QStringList expected;
    for (const QString &input : inputs)
        expected.append(MarkdownRenderer::toHtml(input));

    std::vector<std::thread> threads;
    std::vector<int> mismatches(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 50; ++round) {
                for (qsizetype i = 0; i < inputs.size(); ++i) {
                    if (MarkdownRenderer::toHtml(inputs[i]) != expected[i])
                        ++mismatches[size_t(t)];
                }
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(mismatches, std::vector<int>(4, 0));
}

void TestMarkdownRenderer::codeBlocksAreTheBlocksLiterals_data()
{
    QTest::addColumn<QString>("markdown");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("none") << u"just prose and `inline code`"_s << QStringList();
    QTest::newRow("one fenced") << u"```\na\nb\n```"_s << QStringList { u"a\nb"_s };
    QTest::newRow("in order") << u"```\na\n```\ntext\n```js\nb\n```\n"_s
                              << QStringList { u"a"_s, u"b"_s };
    QTest::newRow("a longer fence holds a shorter one")
        << u"````\n```\ninner\n```\n````"_s << QStringList { u"```\ninner\n```"_s };
    QTest::newRow("unclosed, while streaming") << u"```\npartial"_s << QStringList { u"partial"_s };
    QTest::newRow("tildes") << u"~~~\nt\n~~~"_s << QStringList { u"t"_s };
    QTest::newRow("indented") << u"text\n\n    indented\n"_s << QStringList { u"indented"_s };
    QTest::newRow("in a list item")
        << u"- item\n\n  ```\n  x = 1\n  ```\n"_s << QStringList { u"x = 1"_s };
    QTest::newRow("dollars stay as written")
        << u"```\n$x$ and $$y$$\n```"_s << QStringList { u"$x$ and $$y$$"_s };
}

void TestMarkdownRenderer::codeBlocksAreTheBlocksLiterals()
{
    QFETCH(QString, markdown);
    QFETCH(QStringList, expected);
    QCOMPARE(MarkdownRenderer::codeBlocks(markdown), expected);
}

QTEST_GUILESS_MAIN(TestMarkdownRenderer)
#include "tst_markdownrenderer.moc"
