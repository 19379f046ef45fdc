#pragma once

#include <QLoggingCategory>

namespace parlance {

// parlance.upstream: connections and protocol errors of the outgoing HTTP
// client. Hosts and ports are fine; headers (keys) and bodies never.
Q_DECLARE_LOGGING_CATEGORY(lcUpstream)

} // namespace parlance
