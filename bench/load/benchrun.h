#pragma once

#include "loadrun.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace parlance::bench {

struct BenchOptions
{
    double endpointSeconds = 10;
    double rateSeconds = 10;
    double storeSeconds = 60;
    int repeats = 3;
    int connections = 64;
    int storeConnections = 128;
    double rate = 2000;
    int serverThreads = 0;
    int serverWorkers = 0; // 0: the server's default.
    bool storeOnly = false; // Only the messages-stored rows.
    QStringList databases { QStringLiteral("sqlite"), QStringLiteral("postgresql") };
};

// One line of the table: one (database, endpoint, load), several runs.
struct Row
{
    QString database;
    QString endpoint;
    QString load;
    QList<RunFigures> runs;
    QString note; // Shown instead of figures (not available, failed).
};

// Starts the database (PostgreSQL: pg-fixture.sh next to the bench), seeds
// it, starts parlanced on it, measures every row, and stops everything, also
// when something fails. Appends its rows; returns non-zero on failure.
int runDatabase(const QString &kind, const BenchOptions &options, const LoadTools &tools,
                const QString &benchDir, QList<Row> &rows);

} // namespace parlance::bench
