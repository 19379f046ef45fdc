// Cold start of the desktop app to its first frame showing the cached
// conversation list, and its memory. Each run starts the real `parlance`
// binary in a fresh home whose settings name a saved account and whose cache
// holds the list (the server is unreachable, so nothing comes from the
// network). The app reports with PARLANCE_STARTUP_PROBE=1 (app/startupprobe.h).
// Needs a display: QTWEBENGINE_DISABLE_SANDBOX=1 xvfb-run -a bench_startup
#include "cache/localcache.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

struct Sample
{
    double wallMs = 0;
    double appMs = 0;
    double peakRssMib = 0;
    double treeRssMib = 0;
};

bool prepareHome(const QString &home, int conversations)
{
    const QString server = u"http://127.0.0.1:9"_s; // discard port: nothing answers
    const QString userId = u"0190aaaa-0000-7000-8000-000000000001"_s;
    QSettings settings(home + u"/config/Parlance/Parlance.conf"_s, QSettings::IniFormat);
    settings.setValue(u"server/url"_s, server);
    settings.setValue(u"session/server"_s, server);
    settings.setValue(u"session/email"_s, u"bench@example.com"_s);
    settings.setValue(u"session/userId"_s, userId);
    settings.sync();

    parlance::client::LocalCache cache;
    const QString path =
        parlance::client::LocalCache::pathFor(home + u"/data/Parlance/Parlance"_s, server, userId);
    if (!cache.open(path))
        return false;
    QList<parlance::Conversation> list;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < conversations; ++i) {
        parlance::Conversation c;
        c.id = u"conv-%1"_s.arg(i, 5, 10, QLatin1Char('0'));
        c.title = u"Cached conversation number %1 about something"_s.arg(i);
        c.model = u"demo"_s;
        c.createdAt = now.addSecs(-3600 * i);
        c.updatedAt = c.createdAt;
        c.lastMessageAt = c.createdAt;
        c.messageCount = 4;
        list.append(c);
    }
    return bool(cache.saveConversations(list));
}

std::optional<Sample> runOnce(const QString &app, int conversations)
{
    QTemporaryDir home;
    if (!prepareHome(home.path(), conversations))
        return std::nullopt;
    QDir(home.path()).mkpath(u"run"_s);
    QFile::setPermissions(home.filePath(u"run"_s),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOME"_s, home.path());
    env.insert(u"XDG_CONFIG_HOME"_s, home.filePath(u"config"_s));
    env.insert(u"XDG_DATA_HOME"_s, home.filePath(u"data"_s));
    env.insert(u"XDG_CACHE_HOME"_s, home.filePath(u"cache"_s));
    env.insert(u"XDG_RUNTIME_DIR"_s, home.filePath(u"run"_s));
    env.insert(u"PARLANCE_STARTUP_PROBE"_s, u"1"_s);
    env.insert(u"QTWEBENGINE_DISABLE_SANDBOX"_s, u"1"_s);
    QProcess process;
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::SeparateChannels);
    QElapsedTimer wall;
    wall.start();
    process.start(app, {});
    static const QRegularExpression line(
        u"startup-probe: first_frame_ms=(\\d+) rows=(\\d+) peak_rss_kib=(\\d+) "
        "tree_rss_kib=(\\d+)"_s);
    QByteArray out;
    std::optional<Sample> sample;
    while (!sample && process.waitForReadyRead(30'000)) {
        out += process.readAllStandardOutput();
        const auto match = line.match(QString::fromUtf8(out));
        if (match.hasMatch()) {
            sample =
                Sample { double(wall.nsecsElapsed()) / 1e6, match.captured(1).toDouble(),
                         match.captured(3).toDouble() / 1024, match.captured(4).toDouble() / 1024 };
        }
    }
    if (!process.waitForFinished(10'000))
        process.kill();
    process.waitForFinished(5'000);
    if (qEnvironmentVariableIsSet("BENCH_DEBUG"))
        std::fprintf(stderr, "%s\n", process.readAllStandardError().constData());
    if (!sample)
        std::fprintf(stderr, "no probe line; stderr:\n%s\n",
                     process.readAllStandardError().right(2000).constData());
    return sample;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int runs = std::max(1,
                              int(args.indexOf(u"--runs"_s) >= 0
                                      ? args.value(args.indexOf(u"--runs"_s) + 1).toInt()
                                      : 5));
    const QString binary = QStringLiteral(PARLANCE_APP_PATH);
    if (qEnvironmentVariableIsEmpty("DISPLAY")) {
        std::fprintf(stderr, "bench_startup needs a display: run it under xvfb-run -a\n");
        return 2;
    }
    std::printf("Cold start of %s to the first frame with the cached list (%d runs + 1 warm-up)\n",
                qPrintable(binary), runs);
    std::printf("%-14s %10s %10s %10s %10s\n", "conversations", "wall ms", "in-app ms", "peak MiB",
                "tree MiB");
    for (const int conversations : { 20, 200 }) {
        (void)runOnce(binary, conversations); // warm the page cache
        QList<double> wall, inApp, peak, tree;
        for (int i = 0; i < runs; ++i) {
            const auto s = runOnce(binary, conversations);
            if (!s)
                return 1;
            wall << s->wallMs;
            inApp << s->appMs;
            peak << s->peakRssMib;
            tree << s->treeRssMib;
        }
        std::printf("%-14d %10.0f %10.0f %10.0f %10.0f   (wall min %.0f max %.0f)\n", conversations,
                    median(wall), median(inApp), median(peak), median(tree),
                    *std::min_element(wall.begin(), wall.end()),
                    *std::max_element(wall.begin(), wall.end()));
    }
    std::printf("medians; wall = process start to the probe line; tree = the app and its "
                "QtWebEngine processes\n");
    return 0;
}
