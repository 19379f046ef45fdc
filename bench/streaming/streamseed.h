#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace parlance::bench {

// A conversation ready for one generation at a time, and its owner's token.
struct SeededConversation
{
    QByteArray token;
    QString id;
};

// Registers `users` users through the API (POST /auth/register) and creates
// `conversations` conversations on the built-in `demo` model, round robin over
// the users, on one keep-alive connection. Empty list and `error` on failure.
[[nodiscard]] QList<SeededConversation> seedConversations(quint16 port, int users,
                                                          int conversations, QString *error);

} // namespace parlance::bench
