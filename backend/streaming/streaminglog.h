#pragma once

#include <QLoggingCategory>

namespace parlance {

// parlance.streaming. Ids and counts only: never message text.
Q_DECLARE_LOGGING_CATEGORY(lcStreaming)

} // namespace parlance
