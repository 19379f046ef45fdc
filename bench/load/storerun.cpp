#include "storerun.h"

#include "benchprocesses.h"
#include "conversations/conversationservice.h"
#include "storage/database.h"
#include "storage/groupcommit.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace parlance::bench {

namespace {

struct ThreadTally
{
    std::vector<qint64> latenciesNs;
    qint64 ok = 0;
    qint64 errors = 0;
};

double percentileMs(const std::vector<qint64> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    const auto rank = size_t(std::ceil(p / 100.0 * double(sorted.size())));
    return double(sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1]) / 1e6;
}

} // namespace

RunFigures storeThroughService(const QString &databaseUrl, const QString &dataDir,
                               const QList<SeededUser> &users, int threads, double seconds)
{
    RunFigures figures;
    auto url = DatabaseUrl::parse(databaseUrl, dataDir);
    if (!url) {
        figures.error = url.error().message;
        return figures;
    }
    auto before = countMessages(databaseUrl, dataDir);
    if (!before) {
        figures.error = before.error().message;
        return figures;
    }
    Database database(*url);
    ConversationService service(database, ConversationServiceOptions { .defaultModel = u"demo"_s });
    std::atomic<bool> stop { false };
    std::vector<ThreadTally> tallies(static_cast<size_t>(threads));
    std::vector<std::unique_ptr<QThread>> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back(QThread::create([&, t] {
            ThreadTally &tally = tallies[size_t(t)];
            MessageDraft draft;
            ContentPart part;
            part.text = u"A message stored by the load benchmark, about one hundred characters "
                        u"long like a short user turn."_s;
            draft.content = { part };
            // Thread t takes users t, t + threads, ...: no two threads share a
            // conversation, as with distinct chat sessions.
            qint64 i = 0;
            QElapsedTimer clock;
            while (!stop.load(std::memory_order_relaxed)) {
                const SeededUser &user = users[qsizetype((t + (i % 64) * threads) % users.size())];
                const QString &conversation =
                    user.conversationIds[qsizetype((i / 64) % user.conversationIds.size())];
                ++i;
                clock.start();
                auto stored = service.postUserMessage(user.id, conversation, draft);
                tally.latenciesNs.push_back(clock.nsecsElapsed());
                if (stored)
                    ++tally.ok;
                else
                    ++tally.errors;
            }
            database.closeThreadConnection();
        }));
    }
    // This process is the only one doing the work: its CPU per stored row is
    // steadier than rows/s on a shared machine.
    const qint64 self = QCoreApplication::applicationPid();
    const double cpuBefore = processCpuSeconds(self);
    QElapsedTimer elapsed;
    elapsed.start();
    for (auto &worker : workers)
        worker->start();
    while (elapsed.elapsed() < qint64(seconds * 1000) && !interrupted())
        QThread::msleep(100);
    stop.store(true);
    for (auto &worker : workers)
        worker->wait();
    figures.seconds = double(elapsed.nsecsElapsed()) / 1e9;
    const double cpuAfter = processCpuSeconds(self);

    auto after = countMessages(databaseUrl, dataDir);
    if (!after) {
        figures.error = after.error().message;
        return figures;
    }
    std::vector<qint64> all;
    for (const ThreadTally &tally : tallies) {
        all.insert(all.end(), tally.latenciesNs.begin(), tally.latenciesNs.end());
        figures.errors += tally.errors;
    }
    std::sort(all.begin(), all.end());
    figures.requests = qint64(all.size());
    figures.requestsPerSecond = double(*after - *before) / figures.seconds;
    if (*after > *before && cpuBefore >= 0 && cpuAfter >= 0)
        figures.serverCpuMs = (cpuAfter - cpuBefore) * 1000 / double(*after - *before);
    figures.p50Ms = percentileMs(all, 50);
    figures.p99Ms = percentileMs(all, 99);
    const GroupCommit &group = database.groupCommit();
    figures.note =
        u"%1 writes per commit (largest group %2)"_s
            .arg(group.groups() > 0 ? double(group.writes()) / double(group.groups()) : 0, 0, 'f',
                 1)
            .arg(group.largestGroup());
    figures.ok = true;
    return figures;
}

} // namespace parlance::bench
