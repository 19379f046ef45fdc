// One database's share of bench_http_load: start the database (PostgreSQL
// only), seed it, start parlanced on it, run every row, stop both.
#include "benchprocesses.h"
#include "benchrun.h"
#include "benchseed.h"
#include "contract/apipaths.h"
#include "storerun.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>
#include <functional>
#include <optional>

using namespace Qt::StringLiterals;

namespace parlance::bench {

namespace {

void progress(const QString &text)
{
    std::printf("    %s\n", qUtf8Printable(text));
    std::fflush(stdout);
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

bool writeTargets(const QString &path, const QList<QByteArray> &lines)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    for (const QByteArray &line : lines)
        file.write(line + '\n');
    return file.error() == QFileDevice::NoError;
}

struct Probe
{
    int status = 0; // 0: no answer.
    QJsonObject json;
};

// One blocking request on a fresh socket (Connection: close, so the answer
// ends with the connection).
Probe probe(quint16 port, const QByteArray &method, const QByteArray &path, const QByteArray &body,
            const QByteArray &token = {})
{
    Probe result;
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, port);
    if (!socket.waitForConnected(5'000))
        return result;
    socket.write(method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                 + (token.isEmpty() ? QByteArray() : "Authorization: Bearer " + token + "\r\n")
                 + "Content-Type: application/json\r\nContent-Length: "
                 + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray answer;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(10'000))
        answer += socket.readAll();
    answer += socket.readAll();
    const QList<QByteArray> words = answer.left(answer.indexOf("\r\n")).split(' ');
    result.status = words.size() >= 2 ? words[1].toInt() : 0;
    const qsizetype bodyStart = answer.indexOf("\r\n\r\n");
    if (bodyStart >= 0)
        result.json = QJsonDocument::fromJson(answer.mid(bodyStart + 4)).object();
    return result;
}

QByteArray messageBody(int i)
{
    const QJsonArray content { QJsonObject {
        { u"type"_s, u"text"_s },
        { u"text"_s,
          u"Message %1 from the load benchmark: a short user turn of about one hundred "
          u"characters."_s.arg(i) } } };
    return compact(QJsonObject { { u"content"_s, content } });
}

struct Targets
{
    QString healthz, login, list, history, create, store;
};

std::optional<Targets> writeAllTargets(const QString &dir, const QList<SeededUser> &users,
                                       const SeedPlan &plan)
{
    QList<QByteArray> login, list, history, create, store;
    const QByteArray loginPath = QString(api::AuthLogin).toUtf8();
    const QByteArray conversationsPath = QString(api::Conversations).toUtf8();
    int i = 0;
    for (const SeededUser &user : users) {
        login.append("POST " + loginPath + " - "
                     + compact({ { u"email"_s, user.email }, { u"password"_s, plan.password } }));
        list.append("GET " + conversationsPath + ' ' + user.token);
        history.append("GET "
                       + api::path(api::ConversationMessages, user.historyConversationId).toUtf8()
                       + "?limit=50 " + user.token);
        create.append("POST " + conversationsPath + ' ' + user.token + ' '
                      + compact({ { u"title"_s, u"Load benchmark"_s } }));
    }
    // Store: every plain conversation of every user, interleaved by user so
    // that neighbouring requests hit different users and conversations.
    for (int c = 0; c < plan.conversationsPerUser; ++c) {
        for (const SeededUser &user : users) {
            store.append("POST "
                         + api::path(api::ConversationMessages, user.conversationIds[c]).toUtf8()
                         + ' ' + user.token + ' ' + messageBody(i++));
        }
    }
    Targets t { dir + u"/healthz.txt"_s, dir + u"/login.txt"_s,  dir + u"/list.txt"_s,
                dir + u"/history.txt"_s, dir + u"/create.txt"_s, dir + u"/store.txt"_s };
    if (!writeTargets(t.healthz, { "GET " + QString(api::Healthz).toUtf8() + " -" })
        || !writeTargets(t.login, login) || !writeTargets(t.list, list)
        || !writeTargets(t.history, history) || !writeTargets(t.create, create)
        || !writeTargets(t.store, store))
        return std::nullopt;
    return t;
}

Row &addRow(QList<Row> &rows, const QString &database, const QString &endpoint, const QString &load)
{
    rows.append(Row { database, endpoint, load, {}, {} });
    return rows.last();
}

void report(const QString &what, const RunFigures &f)
{
    if (!f.ok)
        progress(what + u": FAILED: "_s + f.error);
    else
        progress(u"%1: %2 req/s, p50 %3 ms, p99 %4 ms, %5 errors"_s.arg(what)
                     .arg(f.requestsPerSecond, 0, 'f', 0)
                     .arg(f.p50Ms, 0, 'f', 2)
                     .arg(f.p99Ms, 0, 'f', 2)
                     .arg(f.errors));
}

} // namespace

int runDatabase(const QString &kind, const BenchOptions &options, const LoadTools &tools,
                const QString &benchDir, QList<Row> &rows)
{
    const bool postgres = kind == u"postgresql";
    const QString label = postgres ? u"PostgreSQL 15 (fsync on)"_s : u"SQLite (WAL, NORMAL)"_s;
    std::printf("==> %s\n", qUtf8Printable(label));
    std::fflush(stdout);
    const auto fail = [&](const QString &why) {
        progress(u"not measured: "_s + why);
        addRow(rows, label, u"(all)"_s, {}).note = u"not measured: "_s + why;
        return 1;
    };

    QTemporaryDir work(QDir::temp().filePath(u"parlance-bench-XXXXXX"_s));
    if (!work.isValid())
        return fail(u"no temporary directory"_s);
    // PARLANCE_BENCH_KEEP=1 keeps the logs (access.log, parlanced.stderr).
    if (qEnvironmentVariableIntValue("PARLANCE_BENCH_KEEP") == 1) {
        work.setAutoRemove(false);
        progress(u"keeping "_s + work.path());
    }
    const QString dataDir = work.filePath(u"data"_s);
    QDir().mkpath(dataDir);

    // Declared before the server so it is stopped after it.
    PostgresFixture pg(benchDir + u"/pg-fixture.sh"_s);
    QString databaseUrl = u"sqlite:"_s + dataDir + u"/parlance.db"_s;
    if (postgres) {
        progress(u"starting PostgreSQL (pg-fixture.sh, PARLANCE_PG_FSYNC=on)"_s);
        if (!pg.start())
            return fail(u"PostgreSQL did not start: "_s + pg.errorText());
        databaseUrl = pg.url();
    }

    const QString jwtKey = u"base64:"_s
        + QString::fromLatin1(QByteArray::number(QRandomGenerator::system()->generate64())
                                  .append(
                                      QByteArray::number(QRandomGenerator::system()->generate64()))
                                  .append("-parlance-bench-signing-key")
                                  .toBase64());
    SeedPlan plan;
    progress(u"seeding %1 users, %2 conversations each, one with %3 messages"_s.arg(plan.users)
                 .arg(plan.conversationsPerUser + 1)
                 .arg(plan.historyMessages));
    auto users = seedDatabase(databaseUrl, dataDir, plan, jwtKey);
    if (!users)
        return fail(u"seeding failed: "_s + users.error().message);
    const auto targets = writeAllTargets(work.path(), *users, plan);
    if (!targets)
        return fail(u"cannot write the targets files"_s);

    // The provider simulator answers the generations that POST …/messages
    // starts (echo, no delay: the store row measures storage and the
    // gateway, not a model).
    ServerProcess sim;
    const QString simBinary = QDir::cleanPath(benchDir + u"/../../tools/parlance-provider-sim"_s);
    if (!sim.start(simBinary, { u"--listen"_s, u"127.0.0.1:0"_s },
                   QProcessEnvironment::systemEnvironment(), work.filePath(u"sim.stderr"_s)))
        return fail(u"provider simulator: "_s + sim.errorText());

    ServerProcess server;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PARLANCE_JWT_KEY"_s, jwtKey);
    env.insert(u"PARLANCE_DATABASE"_s, databaseUrl); // Not on the command line: it is a secret.
    QStringList args { u"serve"_s,
                       u"--listen"_s,
                       u"127.0.0.1:0"_s,
                       u"--threads"_s,
                       QString::number(options.serverThreads),
                       u"--data-dir"_s,
                       dataDir,
                       u"--access-log"_s,
                       work.filePath(u"access.log"_s),
                       u"--demo-provider"_s,
                       u"http://127.0.0.1:%1"_s.arg(sim.port()) };
    if (options.serverWorkers > 0)
        args << u"--workers"_s << QString::number(options.serverWorkers);
    const QString parlanced = QDir::cleanPath(benchDir + u"/../../backend/parlanced"_s);
    if (!server.start(parlanced, args, env, work.filePath(u"parlanced.stderr"_s)))
        return fail(server.errorText());
    progress(
        u"parlanced on port %1 (--threads %2)"_s.arg(server.port()).arg(options.serverThreads));

    const int wrkThreads = options.serverThreads;
    const quint16 port = server.port();
    const qint64 serverPid = server.pid();
    // Warm-up: connections, caches, the database's pages.
    (void)runWrk(tools, port, targets->list, options.connections, wrkThreads, 2);
    (void)runWrk(tools, port, targets->history, options.connections, wrkThreads, 2);

    const qsizetype firstRow = rows.size();
    const QString closed = u"%1 connections"_s.arg(options.connections);
    const QString paced =
        u"%1 req/s, %2 connections"_s.arg(options.rate, 0, 'f', 0).arg(options.connections);

    struct Measured
    {
        qsizetype row;
        QString name;
        std::function<RunFigures()> run;
    };
    QList<Measured> measured;
    const auto closedRun = [&](const QString &file) {
        return [&, file] {
            return runWrk(tools, port, file, options.connections, wrkThreads,
                          options.endpointSeconds);
        };
    };
    const auto pacedRun = [&](const QString &file) {
        return [&, file] {
            return runLoadgen(tools, port, file, options.connections, options.rate,
                              options.rateSeconds);
        };
    };
    addRow(rows, label, u"baseline: GET /healthz (no auth, no database)"_s, closed);
    measured.append({ rows.size() - 1, u"healthz"_s, closedRun(targets->healthz) });

    // Login only when the route exists (the auth API may not be merged yet).
    const QByteArray loginProbeBody =
        compact({ { u"email"_s, users->first().email }, { u"password"_s, plan.password } });
    const int loginStatus =
        probe(port, "POST", QString(api::AuthLogin).toUtf8(), loginProbeBody).status;
    Row &loginRow = addRow(rows, label, u"login (POST /api/v1/auth/login)"_s,
                           closed + u", %1 source addresses"_s.arg(options.connections));
    if (loginStatus == 404 || loginStatus == 405 || loginStatus == 0) {
        loginRow.note =
            u"not available: the route answered %1 (auth API not merged)"_s.arg(loginStatus);
        progress(u"login: "_s + loginRow.note);
    } else {
        if (loginStatus != 200)
            progress(u"login: the probe answered %1, measuring anyway"_s.arg(loginStatus));
        // parlance-loadgen, closed loop, one loopback source address per
        // connection: the login throttle allows 20 attempts per minute per
        // address, and wrk would send every login from 127.0.0.1.
        measured.append({ rows.size() - 1, u"login"_s, [&] {
                             return runLoadgen(tools, port, targets->login, options.connections, 0,
                                               options.endpointSeconds, options.connections,
                                               // A queue of 64 logins takes seconds to drain.
                                               30);
                         } });
    }
    addRow(rows, label, u"list conversations (GET /api/v1/conversations)"_s, closed);
    measured.append({ rows.size() - 1, u"list"_s, closedRun(targets->list) });
    addRow(rows, label, u"history, 50 messages (GET …/messages)"_s, closed);
    measured.append({ rows.size() - 1, u"history"_s, closedRun(targets->history) });
    addRow(rows, label, u"create conversation (POST /api/v1/conversations)"_s, closed);
    measured.append({ rows.size() - 1, u"create"_s, closedRun(targets->create) });
    addRow(rows, label, u"list conversations, fixed rate"_s, paced);
    measured.append({ rows.size() - 1, u"list @rate"_s, pacedRun(targets->list) });
    addRow(rows, label, u"history, fixed rate"_s, paced);
    measured.append({ rows.size() - 1, u"history @rate"_s, pacedRun(targets->history) });

    if (options.storeOnly) {
        rows.resize(firstRow);
        measured.clear();
    }
    // Repeats outside, rows inside: slow drift of the machine spreads over
    // every row instead of landing on one.
    for (int r = 1; r <= options.repeats && !interrupted(); ++r) {
        for (const Measured &m : measured) {
            if (interrupted())
                break;
            const double cpuBefore = processCpuSeconds(serverPid);
            RunFigures f = m.run();
            const double cpuAfter = processCpuSeconds(serverPid);
            if (f.ok && cpuBefore >= 0 && cpuAfter >= 0 && f.answered > 0)
                f.serverCpuMs = (cpuAfter - cpuBefore) * 1000 / double(f.answered);
            report(u"run %1 %2"_s.arg(r).arg(m.name), f);
            rows[m.row].runs.append(f);
        }
    }

    // History with the page cache off: every read walks the path, loads 50
    // rows and writes their JSON (the rows above are served from
    // HistoryPageCache after the warm-up, since each user rereads one page).
    if (!options.storeOnly && !interrupted()) {
        ServerProcess uncached;
        QStringList uncachedArgs = args;
        uncachedArgs << u"--history-cache"_s << u"0"_s;
        if (!uncached.start(parlanced, uncachedArgs, env, work.filePath(u"uncached.stderr"_s))) {
            progress(u"history without cache: "_s + uncached.errorText());
        } else {
            const quint16 uncachedPort = uncached.port();
            const qint64 uncachedPid = uncached.pid();
            (void)runWrk(tools, uncachedPort, targets->history, options.connections, wrkThreads, 2);
            const qsizetype closedRow = rows.size();
            addRow(rows, label, u"history, 50 messages, page cache off (--history-cache 0)"_s,
                   closed);
            addRow(rows, label, u"history, fixed rate, page cache off"_s, paced);
            for (int r = 1; r <= options.repeats && !interrupted(); ++r) {
                for (int which = 0; which < 2; ++which) {
                    const double cpuBefore = processCpuSeconds(uncachedPid);
                    RunFigures f = which == 0
                        ? runWrk(tools, uncachedPort, targets->history, options.connections,
                                 wrkThreads, options.endpointSeconds)
                        : runLoadgen(tools, uncachedPort, targets->history, options.connections,
                                     options.rate, options.rateSeconds);
                    const double cpuAfter = processCpuSeconds(uncachedPid);
                    if (f.ok && cpuBefore >= 0 && cpuAfter >= 0 && f.answered > 0)
                        f.serverCpuMs = (cpuAfter - cpuBefore) * 1000 / double(f.answered);
                    report(u"run %1 history%2 without cache"_s.arg(r).arg(which ? u" @rate"_s
                                                                                : QString()),
                           f);
                    rows[closedRow + which].runs.append(f);
                }
            }
            (void)uncached.stop();
        }
    }

    // Messages stored per second: counted in the database, not from answers.
    // POST …/messages stores the user message and starts its answer, which
    // the simulator echoes at once and parlanced stores as a second message
    // (with a usage record), so rows/s counts both. A post to a conversation
    // whose answer is still running is a 409 (counted as an error); the
    // targets spread posts over every conversation of every user.
    const SeededUser &first = users->first();
    const Probe posted = probe(
        port, "POST", api::path(api::ConversationMessages, first.conversationIds.first()).toUtf8(),
        messageBody(0), first.token);
    const bool postStores = posted.status == 201;
    Row &store = addRow(rows, label,
                        u"messages stored/s over HTTP (POST …/messages + the simulator's answer; "
                        u"req/s = rows/s)"_s,
                        u"%1 connections, %2 s"_s.arg(options.storeConnections)
                            .arg(options.storeSeconds, 0, 'f', 0));
    if (!postStores) {
        store.note = u"not measured over HTTP: POST …/messages answered %1 %2"_s.arg(posted.status)
                         .arg(posted.json.value(u"error"_s).toObject().value(u"code"_s).toString());
        progress(u"store: "_s + store.note);
    }
    // Let the probe's answer land before counting.
    QThread::msleep(500);
    for (int r = 1; r <= options.repeats && postStores && !interrupted(); ++r) {
        auto before = countMessages(databaseUrl, dataDir);
        const double cpuBefore = processCpuSeconds(serverPid);
        RunFigures f = runWrk(tools, port, targets->store, options.storeConnections, wrkThreads,
                              options.storeSeconds);
        const double cpuAfter = processCpuSeconds(serverPid);
        auto after = countMessages(databaseUrl, dataDir);
        if (f.ok && before && after) {
            const double answered = f.requestsPerSecond;
            f.requestsPerSecond = double(*after - *before) / f.seconds;
            if (*after > *before && cpuBefore >= 0 && cpuAfter >= 0)
                f.serverCpuMs = (cpuAfter - cpuBefore) * 1000 / double(*after - *before);
            progress(u"run %1 store: %2 rows in %3 s (%4 answers/s)"_s.arg(r)
                         .arg(*after - *before)
                         .arg(f.seconds, 0, 'f', 1)
                         .arg(answered, 0, 'f', 0));
        } else if (f.ok) {
            f.ok = false;
            f.error = u"cannot count messages: "_s
                + (before ? after.error().message : before.error().message);
        }
        report(u"run %1 store"_s.arg(r), f);
        store.runs.append(f);
    }

    const int exitCode = server.stop();
    if (exitCode != 0)
        progress(u"parlanced exited with %1 (stderr in the temp dir)"_s.arg(exitCode));
    (void)sim.stop();

    {
        // The server is stopped: this process is the only writer (SQLite).
        const int serverWorkers =
            options.serverWorkers > 0 ? options.serverWorkers : std::max(2, options.serverThreads);
        // More writers than cores: a writer waiting for its group's commit
        // uses no CPU, and the more arrive together the more share a commit
        // (GroupCommit); PostgreSQL also groups the WAL flushes of sessions.
        const QList<int> threadCounts { serverWorkers, postgres ? 32 : 16 };
        for (const int threads : threadCounts) {
            Row &row =
                addRow(rows, label,
                       u"messages stored/s via ConversationService (no HTTP; req/s = rows/s)"_s,
                       u"%1 threads, %2 s"_s.arg(threads).arg(options.storeSeconds, 0, 'f', 0));
            for (int r = 1; r <= options.repeats && !interrupted(); ++r) {
                const RunFigures f = storeThroughService(databaseUrl, dataDir, *users, threads,
                                                         options.storeSeconds);
                report(u"run %1 store via service, %2 threads"_s.arg(r).arg(threads), f);
                if (f.ok && !f.note.isEmpty())
                    progress(u"    "_s + f.note);
                row.runs.append(f);
            }
        }
    }
    pg.stop();
    return 0;
}

} // namespace parlance::bench
