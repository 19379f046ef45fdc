// Figures for markdown rendering:
//  (1) throughput of MarkdownRenderer on a ~2 MB chat-style document against
//      libcmark-gfm called directly with the same extensions (the raw cost
//      of the library: our preprocessing, math, sanitising and conversions are
//      the difference) and against the `cmark-gfm` command-line tool (process
//      start measured on an empty file and subtracted);
//  (2) the cost of one StreamingMarkdownRenderer::append of a ~4-character
//      token at message lengths of 1, 10 and 100 KB, next to re-rendering the
//      whole message per token (what a naive view does).
// Times are CPU time (of this thread, or of the child process for the CLI):
// the machine is shared, and wall time mostly measures the neighbours.
// Medians of several runs; asserts nothing. Run the release build.

#include "markdown/markdownrenderer.h"
#include "markdown/streamingmarkdownrenderer.h"

#include <QCoreApplication>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryFile>

#include <algorithm>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <cstdio>
#include <functional>
#include <sys/resource.h>
#include <time.h>
#include <vector>

using namespace parlance;
using namespace Qt::StringLiterals;

namespace {

volatile qsizetype sink = 0;

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double threadCpuSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

double childrenCpuSeconds()
{
    rusage usage {};
    getrusage(RUSAGE_CHILDREN, &usage);
    const auto seconds = [](const timeval &tv) {
        return double(tv.tv_sec) + double(tv.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// CPU seconds per call of `body`, median of `runs` after one warm-up.
double timeIt(int runs, const std::function<void()> &body,
              const std::function<double()> &clock = threadCpuSeconds)
{
    body();
    std::vector<double> seconds;
    for (int i = 0; i < runs; ++i) {
        const double start = clock();
        body();
        seconds.push_back(clock() - start);
    }
    return median(seconds);
}

// A chat answer: prose with emphasis, inline and display math, lists, a table,
// code, a quote, links. Repeated with varying numbers up to `bytes`.
QByteArray chatDocument(qsizetype bytes)
{
    QByteArray doc;
    for (int i = 0; doc.size() < bytes; ++i) {
        const QByteArray n = QByteArray::number(i);
        doc += "## Part " + n + "\n\nHere is **answer " + n
            + "** to your question. The cost is $5 and the formula is $E = mc^2$; with "
              "\\(a_"
            + n
            + " + b\\) we get *roughly* the ~~wrong~~ right value. See "
              "https://example.com/docs/"
            + n + " or [the guide](https://example.org/g?n=" + n + ").\n\n$$\n\\int_0^{" + n
            + "} x^2 \\, dx = \\frac{x^3}{3}\n$$\n\n"
              "1. First step with `code "
            + n
            + "`\n2. Second step\n   - nested point\n"
              "   - another one\n3. Third step\n\n"
              "| Name | Value | Note |\n|------|------:|------|\n| alpha | "
            + n
            + " | `a \\| b` |\n| beta | 2.5 | **bold** |\n\n"
              "```cpp\nint compute(int x) {\n    return x * "
            + n
            + "; // comment\n}\n```\n\n> A quote with a [link](https://example.net) and "
              "some _emphasis_.\n\n- [x] done\n- [ ] todo "
            + n + "\n\n";
    }
    return doc;
}

QByteArray rawCmark(const QByteArray &markdown)
{
    static const bool registered = [] {
        cmark_gfm_core_extensions_ensure_registered();
        return true;
    }();
    Q_UNUSED(registered);
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT);
    for (const char *name : { "table", "strikethrough", "autolink", "tasklist" })
        cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension(name));
    cmark_parser_feed(parser, markdown.constData(), size_t(markdown.size()));
    cmark_node *root = cmark_parser_finish(parser);
    char *html =
        cmark_render_html(root, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser));
    QByteArray out(html);
    cmark_get_default_mem_allocator()->free(html);
    cmark_node_free(root);
    cmark_parser_free(parser);
    return out;
}

// Seconds for one run of the CLI on `path`, median of `runs`.
double cliSeconds(const QString &program, const QString &path, int runs)
{
    return timeIt(
        runs,
        [&] {
            QProcess process;
            process.setStandardOutputFile(QProcess::nullDevice());
            process.start(program,
                          { u"--extension"_s, u"table"_s, u"--extension"_s, u"strikethrough"_s,
                            u"--extension"_s, u"autolink"_s, u"--extension"_s, u"tasklist"_s,
                            path });
            process.waitForFinished(-1);
        },
        childrenCpuSeconds);
}

void throughput()
{
    const QByteArray doc = chatDocument(2 * 1024 * 1024);
    const QString docString = QString::fromUtf8(doc);
    const double mb = double(doc.size()) / 1e6;
    const int runs = 7;
    std::printf("(1) Throughput on a %.2f MB chat-style document, median of %d runs\n", mb, runs);

    const double raw = timeIt(runs, [&] { sink = sink + rawCmark(doc).size(); });
    const double ours =
        timeIt(runs, [&] { sink = sink + MarkdownRenderer::toHtmlUtf8(doc).size(); });
    const double oursString =
        timeIt(runs, [&] { sink = sink + MarkdownRenderer::toHtml(docString).size(); });
    std::printf("  %-52s %8.1f MB/s  %7.1f ms\n", "libcmark-gfm in-process (raw baseline)",
                mb / raw, raw * 1e3);
    std::printf("  %-52s %8.1f MB/s  %7.1f ms  %.2fx raw\n", "MarkdownRenderer::toHtmlUtf8",
                mb / ours, ours * 1e3, ours / raw);
    std::printf("  %-52s %8.1f MB/s  %7.1f ms  %.2fx raw\n",
                "MarkdownRenderer::toHtml (QString in/out)", mb / oursString, oursString * 1e3,
                oursString / raw);

    const QString cli = QStandardPaths::findExecutable(u"cmark-gfm"_s);
    if (cli.isEmpty()) {
        std::printf("  cmark-gfm CLI not found: skipped\n");
        return;
    }
    QTemporaryFile input;
    QTemporaryFile empty;
    if (!input.open() || !empty.open())
        qFatal("cannot write temporary files");
    input.write(doc);
    input.flush();
    const double start = cliSeconds(cli, empty.fileName(), runs);
    const double total = cliSeconds(cli, input.fileName(), runs);
    const double work = std::max(total - start, 1e-9);
    std::printf("  %-52s %8.1f MB/s  %7.1f ms  (process start %.1f ms CPU subtracted)\n",
                "cmark-gfm CLI", mb / work, work * 1e3, start * 1e3);
    std::printf("  %-52s %8.2fx\n", "ours / CLI time", ours / work);
}

void streaming()
{
    std::printf("\n(2) StreamingMarkdownRenderer::append of 4-character tokens\n");
    std::printf("  %-10s %22s %22s %14s\n", "message", "append, median us", "whole re-render us",
                "tail bytes");
    const QString doc = QString::fromUtf8(chatDocument(120 * 1024));
    for (const qsizetype length :
         { qsizetype(1024), qsizetype(10 * 1024), qsizetype(100 * 1024) }) {
        std::vector<double> appendMedians;
        std::vector<double> wholeMedians;
        qsizetype tail = 0;
        for (int run = 0; run < 5; ++run) {
            StreamingMarkdownRenderer renderer;
            // Untimed up to the length, then 200 timed tokens.
            qsizetype pos = 0;
            for (; pos + 4 <= length; pos += 4)
                renderer.append(QStringView(doc).sliced(pos, 4));
            std::vector<double> appends;
            std::vector<double> wholes;
            for (int i = 0; i < 200; ++i, pos += 4) {
                double start = threadCpuSeconds();
                const StreamUpdate update = renderer.append(QStringView(doc).sliced(pos, 4));
                appends.push_back((threadCpuSeconds() - start) * 1e6);
                sink = sink + update.tailHtml.size();
                if (i % 20 == 0) {
                    start = threadCpuSeconds();
                    sink = sink + MarkdownRenderer::toHtml(QStringView(doc).first(pos + 4)).size();
                    wholes.push_back((threadCpuSeconds() - start) * 1e6);
                }
                tail = std::max(tail, renderer.tailSize());
            }
            appendMedians.push_back(median(appends));
            wholeMedians.push_back(median(wholes));
        }
        std::printf("  %7lld KB %22.1f %22.1f %14lld\n", qlonglong(length / 1024),
                    median(appendMedians), median(wholeMedians), qlonglong(tail));
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    throughput();
    streaming();
    return 0;
}
