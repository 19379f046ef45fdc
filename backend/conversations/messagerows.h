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

// The columns the mapping reads, prefixed with "m.", followed by the sibling
// count and the sibling index computed in SQL.
[[nodiscard]] const QString &selectColumns();
[[nodiscard]] Message fromRow(const QSqlQuery &row);

// Loads the given messages of one user with their sibling annotation, in the
// order of `ids`; ids not found are left out.
[[nodiscard]] Result<QList<Message>> load(const QSqlDatabase &db, const QString &userId,
                                          const QStringList &ids);

[[nodiscard]] QString placeholders(qsizetype count);

} // namespace parlance::messagerows
