#pragma once

#include "domain/contentpart.h"

#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

// The `content` column of a message: its parts as a JSON array, the same
// spelling as the API. Reading it back is on the path of every history page
// (50 messages a page), where a QJsonDocument parse per message was a fifth of
// the server's CPU (docs/benchmarks.md), so the usual shape is read by a
// small scanner and anything else goes through QJsonDocument.
namespace parlance::storedcontent {

[[nodiscard]] QString encode(const QList<ContentPart> &content);

// Parts that do not parse are left out (and logged), never fatal: one odd
// row must not hide a whole conversation.
[[nodiscard]] QList<ContentPart> decode(QStringView json);

// The scanner alone: an array of flat objects whose values are all strings
// and whose parts are valid; nullopt for anything else (decode() then takes
// the general path). Exposed for tests.
[[nodiscard]] std::optional<QList<ContentPart>> decodeCommonShape(QStringView json);

} // namespace parlance::storedcontent
