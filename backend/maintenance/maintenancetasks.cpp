#include "maintenance/maintenancetasks.h"

#include "conversations/conversationservice.h"
#include "maintenance/maintenancelog.h"
#include "storage/database.h"
#include "storage/refreshtokenrepository.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace parlance {

QList<MaintenanceTask> standardMaintenanceTasks(Database &database,
                                                std::shared_ptr<ConversationService> conversations)
{
    QList<MaintenanceTask> tasks;
    if (conversations) {
        tasks.append({ u"expired conversations"_s,
                       [conversations] { return conversations->purgeExpired(); } });
    }
    tasks.append({ u"expired refresh tokens"_s, [&database] {
                      // Only whole families past their absolute end: a used
                      // token kept until then is what detects its reuse.
                      return RefreshTokenRepository(database).purgeExpired(
                          QDateTime::currentDateTimeUtc());
                  } });
    return tasks;
}

QList<MaintenanceOutcome> runMaintenanceTasks(const QList<MaintenanceTask> &tasks)
{
    QList<MaintenanceOutcome> outcomes;
    for (const MaintenanceTask &task : tasks) {
        Result<int> removed = task.run();
        if (removed)
            qCInfo(lcMaintenance).noquote() << "maintenance: purged" << *removed << task.name;
        else
            qCWarning(lcMaintenance).noquote()
                << "maintenance:" << task.name << "failed:" << removed.error().code
                << removed.error().message;
        outcomes.append({ task.name, std::move(removed) });
    }
    return outcomes;
}

} // namespace parlance
