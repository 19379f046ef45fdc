#include "modellistmodel.h"

namespace parlance::client {

ModelListModel::ModelListModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

int ModelListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_models.size());
}

QVariant ModelListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ModelInfo &m = m_models.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case DisplayNameRole:
        return m.displayName.isEmpty() ? m.id : m.displayName;
    case IdRole:
        return m.id;
    case ProviderRole:
        return m.provider;
    case ContextWindowRole:
        return m.contextWindow;
    case SupportsImagesRole:
        return m.supportsImages;
    case IsDemoRole:
        return m.isDemo;
    default:
        return {};
    }
}

QHash<int, QByteArray> ModelListModel::roleNames() const
{
    return {
        { IdRole, "modelId" },
        { DisplayNameRole, "displayName" },
        { ProviderRole, "provider" },
        { ContextWindowRole, "contextWindow" },
        { SupportsImagesRole, "supportsImages" },
        { IsDemoRole, "isDemo" },
    };
}

void ModelListModel::replaceAll(QList<ModelInfo> models, const QString &defaultModel)
{
    const auto oldCount = m_models.size();
    beginResetModel();
    m_models = std::move(models);
    endResetModel();
    if (oldCount != m_models.size())
        Q_EMIT countChanged();
    if (defaultModel != m_defaultModel) {
        m_defaultModel = defaultModel;
        Q_EMIT defaultModelChanged();
    }
}

int ModelListModel::indexOf(const QString &id) const
{
    for (int i = 0; i < m_models.size(); ++i) {
        if (m_models.at(i).id == id)
            return i;
    }
    return -1;
}

QString ModelListModel::displayName(const QString &id) const
{
    const int row = indexOf(id);
    if (row < 0)
        return id;
    const ModelInfo &m = m_models.at(row);
    return m.displayName.isEmpty() ? m.id : m.displayName;
}

} // namespace parlance::client
