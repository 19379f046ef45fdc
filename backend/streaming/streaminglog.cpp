#include "streaming/streaminglog.h"

namespace parlance {

Q_LOGGING_CATEGORY(lcStreaming, "parlance.streaming")

} // namespace parlance
