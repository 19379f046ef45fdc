#pragma once

#include <QLoggingCategory>

namespace parlance {

// parlance.auth. Never log passwords, tokens, token hashes or key material;
// user ids and key ids are fine.
Q_DECLARE_LOGGING_CATEGORY(lcAuth)

} // namespace parlance
