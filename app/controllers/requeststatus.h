#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace parlance::client {

// What every controller shows while it talks to the server: whether a
// request is running (`loading`) and the last failure as a translated
// message (`errorMessage`, empty when none). The controllers derive from it
// so QML reads the same two properties on Chat, Conversations and Usage.
class RequestStatus : public QObject
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)

public:
    using QObject::QObject;

    [[nodiscard]] bool isLoading() const { return m_loading; }
    [[nodiscard]] QString errorMessage() const { return m_error; }

    Q_INVOKABLE void clearError() { setError({}); }

Q_SIGNALS:
    void loadingChanged();
    void errorMessageChanged();

protected:
    void setLoading(bool loading);
    void setError(const QString &message);

private:
    QString m_error;
    bool m_loading = false;
};

} // namespace parlance::client
