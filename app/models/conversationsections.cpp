#include "conversationsections.h"

#include <QCoreApplication>

namespace parlance::client {

ConversationSection sectionFor(bool pinned, const QDateTime &lastActivity, const QDateTime &now)
{
    if (pinned)
        return ConversationSection::Pinned;
    const QDate today = now.toLocalTime().date();
    const QDate day = lastActivity.toLocalTime().date();
    const qint64 daysAgo = day.daysTo(today);
    // Clock skew can put the server's time slightly ahead of ours.
    if (daysAgo <= 0)
        return ConversationSection::Today;
    if (daysAgo <= 7)
        return ConversationSection::Previous7Days;
    return ConversationSection::Older;
}

QString sectionTitle(ConversationSection section)
{
    switch (section) {
    case ConversationSection::Pinned:
        return QCoreApplication::translate("ConversationSection", "Pinned");
    case ConversationSection::Today:
        return QCoreApplication::translate("ConversationSection", "Today");
    case ConversationSection::Previous7Days:
        return QCoreApplication::translate("ConversationSection", "Previous 7 days");
    case ConversationSection::Older:
        return QCoreApplication::translate("ConversationSection", "Older");
    }
    return {};
}

} // namespace parlance::client
