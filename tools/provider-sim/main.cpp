// parlance-provider-sim: a fake LLM provider (OpenAI chat completions and
// Anthropic messages) with scripted content, timing and faults, for tests and
// local development. Documentation: docs/provider-sim.md.

#include "behaviour.h"
#include "common/epolleventdispatcher.h"
#include "simconfig.h"
#include "simserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace parlance::sim;

namespace {

bool parseListen(const QString &text, QHostAddress *address, quint16 *port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    bool ok = false;
    const uint number = text.mid(colon + 1).toUInt(&ok);
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (!ok || number > 65535
        || !address->setAddress(host == "localhost"_L1 ? u"127.0.0.1"_s : host))
        return false;
    *port = static_cast<quint16>(number);
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    // The GLib event dispatcher degrades with many sockets (DESIGN.md §3);
    // the plain Unix one is what the simulator wants under load tests.
    qputenv("QT_NO_GLIB", "1");
    // One token on one of 1,000 streams must not cost a poll() of all of them.
    if (QAbstractEventDispatcher *dispatcher = parlance::EpollEventDispatcher::create())
        QCoreApplication::setEventDispatcher(dispatcher);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"parlance-provider-sim"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Simulates LLM providers: OpenAI-compatible POST /v1/chat/completions and Anthropic "
        "POST /v1/messages (plus GET /v1/models), streaming or not, with configurable content, "
        "timing and faults. Named deployments live under /d/<name>/v1/...; GET /sim/stats and "
        "POST /sim/reset serve tests.\n\nPer request, override behaviour with x-sim-<key> headers "
        "or a [[sim: key=value ...]] directive in the last user message. Keys: %1.\n"
        "See docs/provider-sim.md."_s.arg(Behaviour::settingKeys().join(u", "_s)));
    parser.addHelpOption();
    const QCommandLineOption listenOption(
        u"listen"_s, u"Address to listen on (default 127.0.0.1:8090; port 0 picks a free port)."_s,
        u"HOST:PORT"_s);
    const QCommandLineOption configOption(u"config"_s, u"JSON config file with deployments."_s,
                                          u"FILE"_s);
    parser.addOption(listenOption);
    parser.addOption(configOption);
    parser.process(app);

    SimConfig config;
    QString error;
    if (parser.isSet(configOption) && !config.loadFile(parser.value(configOption), &error)) {
        std::fprintf(stderr, "parlance-provider-sim: %s\n", qPrintable(error));
        return 2;
    }
    const QString listen =
        parser.isSet(listenOption) ? parser.value(listenOption) : config.listen();
    QHostAddress address;
    quint16 port = 0;
    if (!parseListen(listen, &address, &port)) {
        std::fprintf(stderr, "parlance-provider-sim: --listen wants HOST:PORT, got '%s'\n",
                     qPrintable(listen));
        return 2;
    }

    SimServer server(std::move(config));
    if (!server.listen(address, port, &error)) {
        std::fprintf(stderr, "parlance-provider-sim: cannot listen on %s: %s\n", qPrintable(listen),
                     qPrintable(error));
        return 1;
    }
    // Tests start the simulator on port 0 and read the real port from this line.
    std::printf("listening on %s:%u\n", qPrintable(address.toString()), unsigned(server.port()));
    std::fflush(stdout);
    return app.exec();
}
