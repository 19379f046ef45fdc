#pragma once

#include <QLoggingCategory>

namespace parlance {

// parlance.providers. Never log API keys, request bodies or generated text;
// deployment names, HTTP statuses and outcome kinds are fine.
Q_DECLARE_LOGGING_CATEGORY(lcProviders)

} // namespace parlance
