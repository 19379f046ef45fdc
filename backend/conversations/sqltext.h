#pragma once

#include <QString>
#include <QVariant>

namespace parlance {

// Qt's SQL drivers bind a null QString as SQL NULL. Text columns that are
// NOT NULL (title, system prompt, model, …) take "" for "none" instead.
[[nodiscard]] inline QVariant textToDb(const QString &text)
{
    return text.isNull() ? QVariant(QString(QLatin1StringView(""))) : QVariant(text);
}

} // namespace parlance
