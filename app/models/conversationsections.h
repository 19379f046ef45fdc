#pragma once

#include <QDateTime>
#include <QString>

namespace parlance::client {

// The sidebar's groups, in display order. A conversation's group depends on
// the local calendar day of its last activity, so "Today" means since local
// midnight, not the last 24 hours.
enum class ConversationSection { Pinned, Today, Previous7Days, Older };

[[nodiscard]] ConversationSection sectionFor(bool pinned, const QDateTime &lastActivity,
                                             const QDateTime &now);
// Translated title of a section ("Pinned", "Today", ...).
[[nodiscard]] QString sectionTitle(ConversationSection section);

} // namespace parlance::client
