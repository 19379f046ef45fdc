// bench_transcript: what streaming into the transcript costs, C++ side and
// page side, in a real Chromium (QtWebEngine). Run under a display:
//   QTWEBENGINE_DISABLE_SANDBOX=1 xvfb-run -a -s "-screen 0 1280x900x24" bench_transcript
// Options: --repeats N (5), --tokens N (2000), --interval-ms N (2);
// --probe FILE.js [--probe-length N]: run each line of FILE in the page after
// 1,000 messages and a streaming one of N characters, print the values.
//
// For each transcript (the streaming message alone, or after 1,000 finished
// messages) and each length the message has when streaming starts (1 KB,
// 10 KB, 100 KB), streams --tokens tokens of chat-style markdown (4
// characters each, one every --interval-ms) and reports medians over the
// repeats of:
//  - C++ per token: TranscriptBridge following the model (dataChanged) plus
//    its pushes (streaming renderer, operations, handing them to the channel),
//    divided by the tokens;
//  - C++ per push;
//  - page per applied batch: performance.now() around applying one frame's
//    operations (parse, KaTeX, highlight.js, DOM, the one scroll), median and
//    p99;
//  - frame time from requestAnimationFrame deltas while streaming, p50/p99.
#include "transcriptharness.h"
#include "transcripttestmodel.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QGuiApplication>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>
#include <QtWebEngineQuick/qtwebenginequickglobal.h>

#include <algorithm>
#include <cstdio>

Q_IMPORT_QML_PLUGIN(Parlance_ClientPlugin)
Q_IMPORT_QML_PLUGIN(Parlance_UiPlugin)

using namespace Qt::StringLiterals;

namespace {

QString corpus(const QStringList &names)
{
    QString out;
    for (const QString &name : names) {
        QFile f(QStringLiteral(PARLANCE_TEST_DATA_DIR "/markdown/corpus/") + name);
        if (f.open(QIODevice::ReadOnly))
            out += QString::fromUtf8(f.readAll()) + u"\n\n"_s;
    }
    return out;
}

// Chat-style markdown of at least `bytes` characters made of whole documents,
// so that it never ends inside a fence or a display formula.
QString textOfLength(const QString &unit, qsizetype bytes)
{
    QString out;
    while (out.size() + unit.size() <= bytes)
        out += unit;
    while (out.size() < bytes)
        out += u"Plain words to reach the length of the message.\n\n"_s;
    return out;
}

double median(QList<double> v)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min<qsizetype>(v.size() - 1, qsizetype(p * double(v.size())))];
}

struct Run
{
    double cppUsPerToken = 0;
    double cppUsPerPush = 0;
    double pageMsPerBatch = 0;
    double pageMsPerBatchP99 = 0;
    double pageScrollMs = 0;
    double tokensPerBatch = 0;
    double frameP50 = 0;
    double frameP99 = 0;
};

struct Options
{
    int repeats = 5;
    int tokens = 2000;
    int intervalMs = 2;
    QString probeFile;
    qsizetype probeLength = 100 * 1024;
};

Run streamOnce(TranscriptHarness &harness, TranscriptTestModel &model, const QString &prefix,
               const QStringList &tokens, const Options &options, int serial)
{
    const QString id = u"bench-%1"_s.arg(serial);
    const int row = model.rowCount();
    model.append({ id, u"assistant"_s, prefix, u"streaming"_s });
    harness.bridge()->flush();
    harness.waitForJs(
        u"parlanceTranscript.contentHtml('%1') !== null && "
        "parlanceTranscript.contentHtml('%1').length > 0 && parlanceTranscript.idle()"_s.arg(id),
        60000);
    TranscriptHarness::spin(200);
    harness.js(u"parlanceTranscript.takeStats(); parlanceTranscript.startFrameTiming()"_s);
    harness.bridge()->resetStats();

    // One token every intervalMs, from a timer, so the event loop (and the
    // page's IPC) runs between tokens as in the application.
    QEventLoop loop;
    QTimer feed;
    feed.setTimerType(Qt::PreciseTimer);
    feed.setInterval(options.intervalMs);
    int next = 0;
    QObject::connect(&feed, &QTimer::timeout, &loop, [&] {
        model.appendText(row, tokens.at(next));
        if (++next == tokens.size())
            loop.quit();
    });
    feed.start();
    loop.exec();
    feed.stop();
    harness.bridge()->flush();
    const TranscriptBridge::Stats cpp = harness.bridge()->stats();
    // Let the last pushes reach the page and be applied.
    harness.waitForJs(u"parlanceTranscript.idle()"_s);
    TranscriptHarness::spin(100);
    const QVariantMap frames = harness.js(u"parlanceTranscript.stopFrameTiming()"_s).toMap();
    const QVariantMap page = harness.js(u"parlanceTranscript.takeStats()"_s).toMap();

    Run run;
    run.cppUsPerToken = double(cpp.modelNanos + cpp.pushNanos) / 1000.0 / double(tokens.size());
    run.cppUsPerPush = cpp.pushes ? double(cpp.pushNanos) / 1000.0 / double(cpp.pushes) : 0;
    QList<double> applyMs;
    for (const QVariant &v : page.value(u"applyMs"_s).toList())
        applyMs.append(v.toDouble());
    QList<double> scrollMs;
    for (const QVariant &v : page.value(u"scrollMs"_s).toList())
        scrollMs.append(v.toDouble());
    run.pageScrollMs = median(scrollMs);
    run.pageMsPerBatch = median(applyMs);
    run.pageMsPerBatchP99 = percentile(applyMs, 0.99);
    run.tokensPerBatch = applyMs.isEmpty() ? 0 : double(tokens.size()) / double(applyMs.size());
    run.frameP50 = frames.value(u"p50"_s).toDouble();
    run.frameP99 = frames.value(u"p99"_s).toDouble();

    model.setStatus(row, u"complete"_s);
    model.removeAt(row);
    harness.bridge()->flush();
    harness.waitForJs(
        u"parlanceTranscript.contentHtml('%1') === null && parlanceTranscript.idle()"_s.arg(id));
    return run;
}

} // namespace

int main(int argc, char *argv[])
{
    QtWebEngineQuick::initialize();
    QGuiApplication app(argc, argv);
    Options options;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == u"--repeats"_s)
            options.repeats = std::max(1, args[i + 1].toInt());
        else if (args[i] == u"--tokens"_s)
            options.tokens = std::max(10, args[i + 1].toInt());
        else if (args[i] == u"--interval-ms"_s)
            options.intervalMs = std::max(0, args[i + 1].toInt());
        else if (args[i] == u"--probe"_s)
            options.probeFile = args[i + 1];
        else if (args[i] == u"--probe-length"_s)
            options.probeLength = std::max(0, args[i + 1].toInt());
    }

    const QString documents =
        corpus({ u"chat-answer.md"_s, u"math-four-syntaxes.md"_s, u"code-with-language.md"_s,
                 u"nested-lists.md"_s, u"headings-quotes.md"_s, u"task-lists.md"_s,
                 u"strikethrough.md"_s });
    if (documents.isEmpty()) {
        std::fprintf(stderr, "bench_transcript: the markdown corpus was not found\n");
        return 1;
    }
    const QString tokenSource = textOfLength(documents, qsizetype(options.tokens) * 4 + 8);
    QStringList tokens;
    for (int i = 0; i < options.tokens; ++i)
        tokens.append(tokenSource.mid(qsizetype(i) * 4, 4));

    std::printf(
        "bench_transcript: %d tokens of 4 characters, one every %d ms, median of %d runs\n\n",
        options.tokens, options.intervalMs, options.repeats);
    std::printf(
        "| transcript | message at start | C++ µs/token | C++ µs/push | page ms/batch (p50) | "
        "page ms/batch (p99) | of which scroll ms (p50) | tokens/batch | frame p50 ms | frame p99 "
        "ms |\n");
    std::printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    std::fflush(stdout);

    int serial = 0;
    for (const int earlier : { 0, 1000 }) {
        if (!options.probeFile.isEmpty() && earlier == 0)
            continue;
        TranscriptTestModel model;
        QList<TranscriptTestModel::Row> rows;
        for (int i = 0; i < earlier; ++i) {
            const bool user = i % 2 == 0;
            rows.append(
                { u"m%1"_s.arg(i), user ? u"user"_s : u"assistant"_s,
                  user ? u"Question number %1: how does $x^%1$ grow?"_s.arg(i) : documents });
        }
        model.append(rows);
        TranscriptHarness harness;
        QString error;
        if (!harness.load(&model, &error, 1000, 760)) {
            std::fprintf(stderr, "bench_transcript: %s\n", qPrintable(error));
            return 1;
        }
        harness.waitForJs(
            u"parlanceTranscript.messageCount() === %1 && parlanceTranscript.idle()"_s.arg(earlier),
            120000);
        if (!options.probeFile.isEmpty() && earlier) {
            // --probe: one streaming message of --probe-length after the
            // 1,000, then each line of the file is run in the page and its
            // value printed (for timing experiments with performance.now()).
            QFile probe(options.probeFile);
            if (!probe.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "bench_transcript: cannot read %s\n",
                             qPrintable(options.probeFile));
                return 1;
            }
            model.append({ u"probe"_s, u"assistant"_s, textOfLength(documents, options.probeLength),
                           u"streaming"_s });
            harness.bridge()->flush();
            harness.waitForJs(
                u"parlanceTranscript.contentHtml('probe') !== null && parlanceTranscript.idle()"_s,
                60000);
            TranscriptHarness::spin(1000);
            for (const QByteArray &line : probe.readAll().split('\n')) {
                if (line.trimmed().isEmpty())
                    continue;
                std::printf("%s\n  => %s\n", line.constData(),
                            qPrintable(harness.js(QString::fromUtf8(line)).toString()));
                TranscriptHarness::spin(200);
            }
            return 0;
        }
        for (const qsizetype length : { 1024, 10 * 1024, 100 * 1024 }) {
            const QString prefix = textOfLength(documents, length);
            QList<double> perToken, perPush, batch, batchP99, scroll, tokensPerBatch, p50, p99;
            for (int r = 0; r < options.repeats; ++r) {
                const Run run = streamOnce(harness, model, prefix, tokens, options, ++serial);
                perToken.append(run.cppUsPerToken);
                perPush.append(run.cppUsPerPush);
                batch.append(run.pageMsPerBatch);
                batchP99.append(run.pageMsPerBatchP99);
                scroll.append(run.pageScrollMs);
                tokensPerBatch.append(run.tokensPerBatch);
                p50.append(run.frameP50);
                p99.append(run.frameP99);
            }
            std::printf(
                "| %s | %lld KB | %.1f | %.0f | %.2f | %.2f | %.2f | %.1f | %.1f | %.1f |\n",
                earlier ? "after 1,000 messages" : "alone", static_cast<long long>(length / 1024),
                median(perToken), median(perPush), median(batch), median(batchP99), median(scroll),
                median(tokensPerBatch), median(p50), median(p99));
            std::fflush(stdout);
        }
    }
    return 0;
}
