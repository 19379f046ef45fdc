#pragma once

#include "controllers/requeststatus.h"

#include <QObject>
#include <QPointer>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace parlance::client {

class ApiClient;

// The signed-in user's usage and what their quota leaves (GET
// /api/v1/user/usage), for the usage view. Registered in QML as the
// singleton Usage. `summary` holds plain values for QML: tokensToday,
// tokensThisMonth, messagesToday, messagesThisMonth, costThisMonth (text,
// dollars), tokensRemainingToday / tokensRemainingThisMonth (-1: no limit),
// monthResetsAt.
class UsageController : public RequestStatus
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use the Usage singleton")
    Q_PROPERTY(QVariantMap summary READ summary NOTIFY summaryChanged)

public:
    explicit UsageController(ApiClient *api, QObject *parent = nullptr);

    [[nodiscard]] QVariantMap summary() const { return m_summary; }

    Q_INVOKABLE void refresh();

Q_SIGNALS:
    void summaryChanged();

private:
    QPointer<ApiClient> m_api;
    QVariantMap m_summary;
};

} // namespace parlance::client
