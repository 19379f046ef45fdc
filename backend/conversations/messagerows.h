#pragma once

#include "common/result.h"
#include "domain/message.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariantList>

class QSqlQuery;

// Mapping between Message and its row, shared by the message queries.
namespace parlance::messagerows {

// The columns the mapping reads, prefixed with "m." (no sibling counts).
[[nodiscard]] const QString &selectColumns();
// A message from a row of selectColumns(), as one of one sibling (the
// Message defaults).
[[nodiscard]] Message fromRow(const QSqlQuery &row);

// Whether load() also counts each message's siblings ("2/3" in a client).
// A model's context does not need them.
enum class Siblings { Counted, Skipped };

// Loads the given messages of one user in the order of `ids`; ids not found
// are left out.
[[nodiscard]] Result<QList<Message>> load(const QSqlDatabase &db, const QString &userId,
                                          const QStringList &ids,
                                          Siblings siblings = Siblings::Counted);

// "?, ?, ?" for an IN list of `count` values.
[[nodiscard]] QString placeholders(qsizetype count);

} // namespace parlance::messagerows
