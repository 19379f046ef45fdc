#include "conversations/conversationslog.h"

namespace parlance {

Q_LOGGING_CATEGORY(lcConversations, "parlance.conversations")

} // namespace parlance
