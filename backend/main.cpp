// parlanced: wiring only. Every piece lives in a module folder; this file
// reads the configuration, builds the modules in order, and runs until
// SIGTERM/SIGINT, then shuts down gracefully (exit 0).
#include "auth/accesstokenservice.h"
#include "auth/accountservice.h"
#include "auth/inmemoryloginthrottle.h"
#include "auth/jwtkeyfile.h"
#include "auth/jwtkeyring.h"
#include "auth/usercommand.h"
#include "common/epolleventdispatcher.h"
#include "common/signalwatcher.h"
#include "common/workerpool.h"
#include "config/configloader.h"
#include "conversations/conversationservice.h"
#include "conversations/historypagecache.h"
#include "generation/generationservice.h"
#include "generation/modelcatalog.h"
#include "http/accesslog.h"
#include "http/apiroutes.h"
#include "http/httpplatform.h"
#include "http/httpruntime.h"
#include "http/systemapi.h"
#include "maintenance/maintenancescheduler.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "streaming/streamapi.h"
#include "streaming/streamregistry.h"

#include <QCoreApplication>
#include <QDir>
#include <QProcessEnvironment>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

constexpr auto Version = "0.1.0";

void printErr(const QString &text)
{
    std::fprintf(stderr, "parlanced: %s\n", qUtf8Printable(text));
}

void printOut(const QString &text)
{
    std::fprintf(stdout, "%s\n", qUtf8Printable(text));
    std::fflush(stdout);
}

Result<std::shared_ptr<const AccessTokenService>> makeAccessTokens(const ServerConfig &config)
{
    QByteArray secret;
    if (config.jwtKey.isEmpty()) {
        // One node without a configured key keeps its own in the data dir, so
        // sign-ins survive restarts; several nodes need a shared key.
        const QString path = QDir(config.dataDir).filePath(u"jwt.key"_s);
        auto loaded = JwtKeyFile::loadOrCreate(path);
        if (!loaded)
            return loaded.error();
        if (loaded->created) {
            printErr(u"note: no --jwt-key-file / PARLANCE_JWT_KEY set; created the signing key "
                     u"%1 (several nodes must share a configured key instead)."_s.arg(path));
        }
        secret = loaded->secret;
    } else {
        auto loaded = JwtKeyRing::secretFromSpec(config.jwtKey);
        if (!loaded)
            return loaded.error();
        secret = *loaded;
    }
    QList<JwtKey> previous;
    for (const auto &key : config.jwtPreviousKeys) {
        auto loaded = JwtKeyRing::secretFromSpec(u"file:"_s + key.file);
        if (!loaded) {
            return ApiError { loaded.error().code,
                              u"--jwt-previous-keys: "_s + loaded.error().message,
                              {} };
        }
        previous.append(JwtKey { key.id, *loaded });
    }
    auto ring = JwtKeyRing::create(JwtKey { config.jwtKeyId, secret }, previous);
    if (!ring)
        return ring.error();
    AccessTokenSettings settings;
    settings.lifetime = config.accessTokenLifetime;
    if (auto status = settings.validate(); !status)
        return status.error();
    return std::shared_ptr<const AccessTokenService>(
        std::make_shared<AccessTokenService>(*ring, settings));
}

int serve(const QStringList &args)
{
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    auto loaded = ConfigLoader::load(args, env);
    if (!loaded) {
        printErr(loaded.error().message);
        return 2;
    }
    const ServerConfig config = std::move(loaded).value();
    if (!QDir().mkpath(config.dataDir)) {
        printErr(u"cannot create the data directory \"%1\"."_s.arg(config.dataDir));
        return 1;
    }

    http::HttpRuntime runtime;
    runtime.limits.maxBodyBytes = config.maxBodyBytes;
    runtime.limits.maxHeaderBytes = config.maxHeaderBytes;
    runtime.limits.requestTimeout = config.requestTimeout;
    runtime.limits.idleTimeout = config.idleTimeout;
    runtime.limits.maxConnections = config.maxConnections;

    auto tokens = makeAccessTokens(config);
    if (!tokens) {
        printErr(u"access tokens: "_s + tokens.error().message);
        return 2;
    }
    runtime.accessTokens = *tokens;

    std::unique_ptr<http::AccessLog> accessLog;
    if (config.accessLog != u"off") {
        auto opened = http::AccessLog::open(config.accessLog);
        if (!opened) {
            printErr(opened.error().message);
            return 2;
        }
        accessLog = std::move(opened).value();
        runtime.accessLog = accessLog.get();
    }

    auto databaseUrl = DatabaseUrl::parse(config.databaseUrl, config.dataDir);
    if (!databaseUrl) {
        printErr(databaseUrl.error().message);
        return 2;
    }
    // Declared before the worker pool: it must outlive the worker threads.
    Database database(*databaseUrl);
    if (auto migrated = Migrator(database).migrate(); !migrated) {
        printErr(u"database migration: "_s + migrated.error().message);
        return 1;
    }
    // The migration ran on this thread; workers open their own connections.
    database.closeThreadConnection();

    WorkerPool workers({ config.workers, config.maxQueuedJobs });
    runtime.workers = &workers;

    http::SystemApi::Options system;
    system.version = QString::fromLatin1(Version);
    system.testHooks = config.testHooks;
    if (config.testHooks && env.value(u"PARLANCE_TEST_NOT_READY"_s) == u"1") {
        system.readinessProbe = [] {
            return Status(ApiError { u"service_unavailable"_s, u"test hook says not ready"_s, {} });
        };
    }
    if (!system.readinessProbe)
        system.readinessProbe = [&database] { return database.ping(); };

    auto catalog = config.modelsFile.isEmpty()
        ? Result<ModelCatalog>(ModelCatalog::builtIn(QUrl(config.demoProviderUrl)))
        : ModelCatalog::fromFile(config.modelsFile);
    if (!catalog) {
        printErr(u"models: "_s + catalog.error().message);
        return 2;
    }

    http::ApiDependencies deps;
    deps.system = system;
    deps.conversations = std::make_shared<ConversationService>(
        database, ConversationServiceOptions { .defaultModel = catalog->defaultModelId() });
    if (config.historyCacheBytes > 0)
        deps.historyPages = std::make_shared<HistoryPageCache>(config.historyCacheBytes);
    auto accounts =
        AccountService::create(database, *tokens, std::make_shared<InMemoryLoginThrottle>(),
                               AccountSettings { .argon2 = config.argon2 });
    if (!accounts) {
        printErr(u"accounts: "_s + accounts.error().message);
        return 2;
    }
    deps.accounts = *accounts;
    deps.streams = std::make_shared<StreamRegistry>(
        StreamRegistrySettings { .retention = config.streamRetention });
    deps.streamHeartbeat = config.streamHeartbeat;
    // One generation thread by default: 2 or 4 (with 4 connection threads)
    // did not lower parlanced's CPU at 1,000 active streams on 2 cores
    // (docs/benchmarks-streaming.md); more cores may differ.
    GenerationServiceOptions generationOptions;
    generationOptions.threads = config.generationThreads;
    auto generation = std::make_shared<GenerationService>(
        *catalog, deps.streams, deps.conversations, database, workers, generationOptions);
    deps.generation = generation;
    http::registerApiRoutes(runtime.router, deps);
    runtime.webSocketHandler =
        StreamApi({ deps.streams, deps.conversations, {}, deps.streamHeartbeat })
            .webSocketHandler(runtime.accessTokens, &workers);
    // Finished stream logs are kept a while for late readers, then dropped.
    QTimer expiry;
    QObject::connect(&expiry, &QTimer::timeout,
                     [streams = deps.streams] { streams->collectExpired(); });
    // A short retention (tests, small servers) is honoured within half of it.
    expiry.start(std::clamp(config.streamRetention / 2, std::chrono::milliseconds(100),
                            std::chrono::milliseconds(30'000)));

    workers.start();
    MaintenanceScheduler maintenance(workers,
                                     standardMaintenanceTasks(database, deps.conversations),
                                     { .interval = config.maintenanceInterval });
    maintenance.start();
    generation->start();
    http::HttpPlatform platform(runtime,
                                { config.listenHost, config.listenPort, config.threads,
                                  config.tlsCertFile, config.tlsKeyFile, config.shutdownTimeout });
    if (auto status = platform.start(); !status) {
        printErr(status.error().message);
        return 1;
    }
    const QString shownHost =
        config.listenHost.contains(u':') ? u'[' + config.listenHost + u']' : config.listenHost;
    printOut(u"listening on %1:%2"_s.arg(shownHost).arg(platform.boundPort()));

    SignalWatcher signalWatcher;
    bool stopping = false;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &platform, [&](int) {
        if (stopping)
            return;
        stopping = true;
        maintenance.stop();
        platform.shutdown([&workers, &generation] {
            // Jobs of requests that timed out still finish; then each worker
            // thread closes its database connection on the way out.
            generation->stop();
            workers.stop();
            QCoreApplication::exit(0);
        });
    });
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char *argv[])
{
    // DESIGN.md §3: the GLib event dispatcher collapses with many sockets.
    ::setenv("QT_NO_GLIB", "1", 1);
    if (QAbstractEventDispatcher *dispatcher = EpollEventDispatcher::create())
        QCoreApplication::setEventDispatcher(dispatcher);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"parlanced"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(Version));

    QStringList args = app.arguments().mid(1);
    // Subcommands ("parlanced user create ...") come first and never start
    // with '-'; without one, "serve" is meant.
    QString command = u"serve"_s;
    if (!args.isEmpty() && !args.first().startsWith(u'-'))
        command = args.takeFirst();
    if (args.contains(u"--help"_s) || args.contains(u"-h"_s)) {
        printOut(command == u"user" ? UserCommand::helpText()
                                    : ConfigLoader::helpText(u"parlanced"_s));
        return 0;
    }
    if (args.contains(u"--version"_s)) {
        printOut(u"parlanced "_s + QString::fromLatin1(Version));
        return 0;
    }
    if (command == u"serve")
        return serve(args);
    if (command == u"user")
        return UserCommand::run(args, QProcessEnvironment::systemEnvironment());
    printErr(u"unknown command \"%1\" (try --help)."_s.arg(command));
    return 2;
}
