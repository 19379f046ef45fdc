#pragma once

#include <QLoggingCategory>

namespace parlance {

// parlance.storage. Driver error texts and SQL statements may be logged; bound
// values never (they hold emails, hashes and message bodies), nor passwords
// from database URLs (log DatabaseUrl::redacted()).
Q_DECLARE_LOGGING_CATEGORY(lcStorage)

} // namespace parlance
