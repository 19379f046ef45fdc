#include "auth/authlog.h"

namespace parlance {

Q_LOGGING_CATEGORY(lcAuth, "parlance.auth")

} // namespace parlance
