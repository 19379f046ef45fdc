#pragma once

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
class UsageController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use the Usage singleton")
    Q_PROPERTY(QVariantMap summary READ summary NOTIFY summaryChanged)
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)

public:
    explicit UsageController(ApiClient *api, QObject *parent = nullptr);

    [[nodiscard]] QVariantMap summary() const { return m_summary; }
    [[nodiscard]] bool isLoading() const { return m_loading; }
    [[nodiscard]] QString errorMessage() const { return m_error; }

    Q_INVOKABLE void refresh();

Q_SIGNALS:
    void summaryChanged();
    void loadingChanged();
    void errorMessageChanged();

private:
    void setLoading(bool loading);
    void setError(const QString &message);

    QPointer<ApiClient> m_api;
    QVariantMap m_summary;
    QString m_error;
    bool m_loading = false;
};

} // namespace parlance::client
