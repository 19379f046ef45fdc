#include "requeststatus.h"

namespace parlance::client {

void RequestStatus::setLoading(bool loading)
{
    if (m_loading != loading) {
        m_loading = loading;
        Q_EMIT loadingChanged();
    }
}

void RequestStatus::setError(const QString &message)
{
    if (m_error != message) {
        m_error = message;
        Q_EMIT errorMessageChanged();
    }
}

} // namespace parlance::client
