#include "contract/apipaths.h"
#include "domain/usagesummary.h"
#include "generation/generationapi.h"
#include "generation/generationservice.h"
#include "generation/usagerecordrepository.h"
#include "http/requestcontext.h"
#include "http/router.h"

#include <QDateTime>

using namespace Qt::StringLiterals;
using namespace parlance::http;

namespace parlance {

namespace {

struct UsageAnswer
{
    UsageSummary summary;
    qint64 costMicrosToday = 0;
};

// Worker thread. Windows are calendar days and months in UTC, as the
// summary's reset times say.
Result<UsageAnswer> usageOf(Database &database, const QString &userId, const QDateTime &now)
{
    const QDate today = now.date();
    const QDateTime dayStart(today, QTime(0, 0), Qt::UTC);
    const QDateTime monthStart(QDate(today.year(), today.month(), 1), QTime(0, 0), Qt::UTC);
    UsageRecordRepository records(database);
    auto day = records.totalsSince(userId, dayStart);
    if (!day)
        return day.error();
    auto month = records.totalsSince(userId, monthStart);
    if (!month)
        return month.error();
    UsageAnswer out;
    // Quotas and tiers are not enforced yet: every limit is unlimited (null).
    out.summary.quota.tier = u"default"_s;
    out.summary.tokensToday = day->tokens;
    out.summary.messagesToday = day->messages;
    out.summary.tokensThisMonth = month->tokens;
    out.summary.messagesThisMonth = month->messages;
    out.summary.costMicrosThisMonth = month->costMicros;
    out.summary.dayResetsAt = dayStart.addDays(1);
    out.summary.monthResetsAt = monthStart.addMonths(1);
    out.costMicrosToday = day->costMicros;
    return out;
}

} // namespace

void registerUsageRoutes(Router &router, std::shared_ptr<GenerationService> service)
{
    router.add(Method::Get, api::UserUsage, Access::User,
               u"The caller's token usage, answers and cost today and this month (UTC), from "
               u"their usage records (UsageSummary plus cost_micros_today)"_s,
               [svc = std::move(service)](RequestContext &ctx) {
                   ctx.runOnWorker(
                       [svc, user = ctx.user().userId] {
                           return usageOf(svc->database(), user, QDateTime::currentDateTimeUtc());
                       },
                       [&ctx](Result<UsageAnswer> answer) {
                           if (!answer)
                               return ctx.respondError(answer.error());
                           QJsonObject json = answer->summary.toJson();
                           json.insert(u"cost_micros_today"_s, answer->costMicrosToday);
                           ctx.respondJson(200, json);
                       });
               });
}

} // namespace parlance
