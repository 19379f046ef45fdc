#include "upstream/upstreamlog.h"

namespace parlance {

Q_LOGGING_CATEGORY(lcUpstream, "parlance.upstream")

} // namespace parlance
