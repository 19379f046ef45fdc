// Prints how many small rows per second the storage layer writes: one row per
// transaction (what a chat message costs) and batched (many rows per
// transaction), from one thread and from several, on SQLite (a temp file, with
// synchronous=NORMAL and FULL) and on PostgreSQL when a URL is given:
//   bench_storage [postgresql://user@host:port/db]   (or PARLANCE_BENCH_POSTGRES_URL)
// The PostgreSQL run creates and drops its own table. Figures only.

#include "storage/database.h"
#include "storage/sql.h"
#include "storage/transaction.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <vector>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

constexpr int Runs = 5;

QString g_table;

bool insertRow(const QSqlDatabase &db, int n)
{
    return sql::exec(db,
                     u"INSERT INTO "_s + g_table
                         + u" (id, user_id, n, body, created_at) VALUES (?, ?, ?, ?, ?)"_s,
                     { sql::newId(), u"0190b6a2-0000-7000-8000-000000000001"_s, n,
                       u"a small message body of about sixty bytes, like a short chat turn"_s,
                       QDateTime::currentMSecsSinceEpoch() })
        .ok();
}

// Median rows/s of `runs` runs of `work`, which writes `rows` rows.
double measure(int rows, const std::function<bool()> &work)
{
    std::vector<double> rates;
    for (int run = 0; run < Runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        if (!work())
            return -1;
        rates.push_back(rows / (double(timer.nsecsElapsed()) / 1e9));
    }
    std::sort(rates.begin(), rates.end());
    return rates[rates.size() / 2];
}

struct Figures
{
    double single = 0;
    double batched = 0;
    double threaded = 0;
};

Figures benchDatabase(Database &database, int singleRows)
{
    Figures f;
    auto db = database.connection();
    if (!db.ok()) {
        std::printf("  cannot connect: %s\n", qPrintable(db.error().message));
        return f;
    }
    const QString create = u"CREATE TABLE "_s + g_table
        + u" (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, n BIGINT NOT NULL, body TEXT NOT NULL, "
          "created_at BIGINT NOT NULL)"_s;
    if (!sql::execRaw(*db, create).ok())
        return f;

    f.single = measure(singleRows, [&] {
        for (int i = 0; i < singleRows; ++i) {
            if (!insertRow(*db, i))
                return false;
        }
        return true;
    });

    constexpr int Batches = 20;
    constexpr int BatchSize = 500;
    f.batched = measure(Batches * BatchSize, [&] {
        for (int b = 0; b < Batches; ++b) {
            Transaction tx(*db);
            if (!tx.begin().ok())
                return false;
            for (int i = 0; i < BatchSize; ++i) {
                if (!insertRow(*db, i))
                    return false;
            }
            if (!tx.commit().ok())
                return false;
        }
        return true;
    });

    constexpr int Threads = 4;
    const int perThread = singleRows / Threads;
    f.threaded = measure(perThread * Threads, [&] {
        std::vector<QThread *> threads;
        std::atomic<bool> ok { true };
        for (int t = 0; t < Threads; ++t) {
            threads.push_back(QThread::create([&] {
                auto own = database.connection();
                for (int i = 0; own.ok() && i < perThread; ++i) {
                    if (!insertRow(*own, i))
                        ok = false;
                }
            }));
            threads.back()->start();
        }
        for (QThread *thread : threads) {
            thread->wait();
            delete thread;
        }
        return ok.load();
    });

    (void)sql::execRaw(*db, u"DROP TABLE "_s + g_table);
    return f;
}

void printRow(const char *label, const Figures &f)
{
    std::printf("%-32s %12.0f %14.0f %16.0f %8.1fx\n", label, f.single, f.batched, f.threaded,
                f.single > 0 ? f.batched / f.single : 0.0);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    g_table = u"bench_rows_%1"_s.arg(QCoreApplication::applicationPid());
    QString postgres = qEnvironmentVariable("PARLANCE_BENCH_POSTGRES_URL");
    if (argc > 1)
        postgres = QString::fromLocal8Bit(argv[1]);

    std::printf("rows/s, median of %d runs (single: one row per transaction; batched: 500 rows per "
                "transaction; 4 threads: one row per transaction from 4 threads)\n",
                Runs);
    std::printf("%-32s %12s %14s %16s %9s\n", "database", "single", "batched", "4 threads",
                "batch/1");

    QTemporaryDir dir;
    for (const bool full : { false, true }) {
        const QString text = u"sqlite:"_s + dir.filePath(full ? u"full.db"_s : u"normal.db"_s)
            + (full ? u"?synchronous=full"_s : QString());
        Database database(DatabaseUrl::parse(text).value());
        printRow(full ? "SQLite WAL synchronous=FULL" : "SQLite WAL synchronous=NORMAL",
                 benchDatabase(database, 2000));
    }
    if (!postgres.isEmpty()) {
        const auto url = DatabaseUrl::parse(postgres);
        if (!url.ok()) {
            std::printf("bad PostgreSQL URL: %s\n", qPrintable(url.error().message));
            return 1;
        }
        Database database(url.value());
        printRow("PostgreSQL", benchDatabase(database, 2000));
    } else {
        std::printf("(PostgreSQL: pass a URL or set PARLANCE_BENCH_POSTGRES_URL)\n");
    }
    return 0;
}
