#include "usagecontroller.h"

#include "api/apiclient.h"
#include "common/money.h"

using namespace Qt::StringLiterals;

namespace parlance::client {

UsageController::UsageController(ApiClient *api, QObject *parent)
    : RequestStatus(parent)
    , m_api(api)
{ }

void UsageController::refresh()
{
    if (!m_api || isLoading())
        return;
    setLoading(true);
    m_api->usage(this, [this](Result<UsageSummary> usage) {
        setLoading(false);
        if (!usage) {
            setError(usage.error().message);
            return;
        }
        setError({});
        const auto remaining = [](const std::optional<qint64> &value) {
            return value ? *value : qint64(-1);
        };
        m_summary = QVariantMap {
            { u"tokensToday"_s, usage->tokensToday },
            { u"tokensThisMonth"_s, usage->tokensThisMonth },
            { u"messagesToday"_s, usage->messagesToday },
            { u"messagesThisMonth"_s, usage->messagesThisMonth },
            { u"costThisMonth"_s, Money::fromMicros(usage->costMicrosThisMonth).toString() },
            { u"tokensRemainingToday"_s, remaining(usage->tokensRemainingToday) },
            { u"tokensRemainingThisMonth"_s, remaining(usage->tokensRemainingThisMonth) },
            { u"monthResetsAt"_s, usage->monthResetsAt },
        };
        Q_EMIT summaryChanged();
    });
}

} // namespace parlance::client
