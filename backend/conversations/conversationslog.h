#pragma once

#include <QLoggingCategory>

namespace parlance {

// parlance.conversations. Ids and counts only: never titles, prompts, tags or
// message content.
Q_DECLARE_LOGGING_CATEGORY(lcConversations)

} // namespace parlance
