// Figures for the domain layer: token estimate throughput, message JSON
// decode/encode (a history page is 50-100 of these), and cost arithmetic.
// Prints the median of several runs with min and max; asserts nothing.

#include "common/money.h"
#include "common/tokenestimate.h"
#include "domain/message.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace parlance;

namespace {

QByteArray readData(const char *relative)
{
    QFile file(QString::fromUtf8(PARLANCE_TEST_DATA_DIR "/") + QString::fromUtf8(relative));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", relative);
    return file.readAll();
}

// Runs `body` (which does `work` units) `runs` times; prints units per second
// or time per unit.
void report(const char *name, int runs, double work, const char *unit, bool perSecond,
            const std::function<void()> &body)
{
    body(); // warm-up
    std::vector<double> seconds;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        body();
        seconds.push_back(double(timer.nsecsElapsed()) / 1e9);
    }
    std::sort(seconds.begin(), seconds.end());
    const auto figure = [&](double s) { return perSecond ? work / s : s / work * 1e9; };
    const double median = figure(seconds[seconds.size() / 2]);
    const double a = figure(seconds.front());
    const double b = figure(seconds.back());
    std::printf("%-44s median %12.1f %s  (min %.1f, max %.1f)\n", name, median, unit,
                std::min(a, b), std::max(a, b));
}

volatile qint64 sink = 0;

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int runs = 9;

    // Token estimate: ~1 MB of mixed text.
    QString mixed;
    for (const char *file : { "tokenestimate/english_prose.txt", "tokenestimate/code_cpp.txt",
                              "tokenestimate/json_payload.txt", "tokenestimate/chinese.txt",
                              "tokenestimate/russian.txt" })
        mixed += QString::fromUtf8(readData(file));
    QString big;
    while (big.size() < 1'000'000)
        big += mixed;
    const double megabytes = double(big.toUtf8().size()) / 1e6;
    report("TokenEstimate::forText, mixed text", runs, megabytes, "MB/s", true,
           [&] { sink = sink + TokenEstimate::forText(big); });

    QString english;
    const QString prose = QString::fromUtf8(readData("tokenestimate/english_prose.txt"));
    while (english.size() < 1'000'000)
        english += prose;
    report("TokenEstimate::forText, English prose", runs, double(english.toUtf8().size()) / 1e6,
           "MB/s", true, [&] { sink = sink + TokenEstimate::forText(english); });

    // Message JSON: a page of 100 assistant messages as the API sends it.
    const QJsonObject one =
        QJsonDocument::fromJson(readData("domain/message_assistant.json")).object();
    QJsonArray page;
    for (int i = 0; i < 100; ++i)
        page.append(one);
    const QByteArray pageText = QJsonDocument(
        QJsonObject { { QStringLiteral("messages"), page } }).toJson(QJsonDocument::Compact);
    const int pages = 100;
    report("page of 100 messages: bytes -> Message", runs, pages * 100.0, "ns/message", false, [&] {
        for (int p = 0; p < pages; ++p) {
            const QJsonArray array = QJsonDocument::fromJson(pageText).object().value(
                QStringLiteral("messages")).toArray();
            for (const QJsonValue &value : array)
                sink = sink + Message::fromJson(value.toObject()).ok();
        }
    });
    const Message message = *Message::fromJson(one);
    report("Message::toJson (no text)", runs, 10'000, "ns/message", false, [&] {
        for (int i = 0; i < 10'000; ++i)
            sink = sink + message.toJson().size();
    });
    report("Message -> bytes", runs, 10'000, "ns/message", false, [&] {
        for (int i = 0; i < 10'000; ++i)
            sink = sink + QJsonDocument(message.toJson()).toJson(QJsonDocument::Compact).size();
    });

    // Cost arithmetic: what billing does per request.
    report("Money::costFor, three charges", runs, 1'000'000, "ns/call", false, [&] {
        for (qint64 i = 0; i < 1'000'000; ++i)
            sink = sink
                + Money::costFor({ { i, 2'500'000 }, { i / 2, 1'250'000 }, { i / 8, 10'000'000 } })
                      .micros();
    });
    return 0;
}
