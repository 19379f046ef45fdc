#pragma once

#include "common/result.h"

#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace parlance {

class ConversationService;
class Database;

// One housekeeping job: blocking (it runs on a worker thread), returns how
// many rows it removed.
struct MaintenanceTask
{
    QString name; // for the log: "expired conversations"
    std::function<Result<int>()> run;
};

struct MaintenanceOutcome
{
    QString name;
    Result<int> removed;
};

// The jobs parlanced runs: conversations deleted longer ago than the trash
// retention (30 days) with their messages, and refresh tokens whose session
// (family) has ended. Both hold references: `database` and `conversations`
// must outlive the tasks.
[[nodiscard]] QList<MaintenanceTask>
standardMaintenanceTasks(Database &database, std::shared_ptr<ConversationService> conversations);

// Runs each task in order on the calling thread, whatever the others did,
// and logs one line per task with the count or the error.
QList<MaintenanceOutcome> runMaintenanceTasks(const QList<MaintenanceTask> &tasks);

} // namespace parlance
