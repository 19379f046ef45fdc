#pragma once

#include <QLoggingCategory>

namespace parlance {
// parlance.generation: attempts, failovers, outcomes. Never message text or keys.
Q_DECLARE_LOGGING_CATEGORY(lcGeneration)
} // namespace parlance
