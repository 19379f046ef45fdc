#pragma once

#include "domain/modelinfo.h"

#include <QAbstractListModel>
#include <QList>
#include <QtQml/qqmlregistration.h>

namespace parlance::client {

// The models the signed-in user may pick (GET /api/v1/models), for the
// per-conversation model picker. `defaultModel` is the server's default for
// new conversations.
class ModelListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by ChatController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(QString defaultModel READ defaultModel NOTIFY defaultModelChanged)

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        DisplayNameRole,
        ProviderRole,
        ContextWindowRole,
        SupportsImagesRole,
        IsDemoRole,
    };
    Q_ENUM(Roles)

    explicit ModelListModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    void replaceAll(QList<ModelInfo> models, const QString &defaultModel);
    [[nodiscard]] QString defaultModel() const { return m_defaultModel; }
    // Row of a model id, -1 when the user may not use it (any more).
    Q_INVOKABLE int indexOf(const QString &id) const;
    // The name to show for an id; the id itself for unknown models.
    Q_INVOKABLE QString displayName(const QString &id) const;

Q_SIGNALS:
    void countChanged();
    void defaultModelChanged();

private:
    QList<ModelInfo> m_models;
    QString m_defaultModel;
};

} // namespace parlance::client
