#include "storage/storagelog.h"

namespace parlance {

Q_LOGGING_CATEGORY(lcStorage, "parlance.storage")

} // namespace parlance
