#include "providers/providerlog.h"

namespace parlance {

Q_LOGGING_CATEGORY(lcProviders, "parlance.providers")

} // namespace parlance
