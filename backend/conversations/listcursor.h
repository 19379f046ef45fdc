#pragma once

#include "common/result.h"

#include <QDateTime>
#include <QString>

namespace parlance {

// The position after which the next page of conversations starts: the sort
// key (last activity, id) of the last row of the previous page. Keyset
// pagination instead of offsets, so rows inserted or moved to the top between
// two requests neither shift a page (duplicates) nor push a row past it (gaps).
//
// On the wire it is opaque: base64url (no padding) of "v1:<epoch ms>:<id>".
// The version prefix lets the format change without old cursors being
// misread; clients must not build or parse cursors.
struct ListCursor
{
    QDateTime lastActivityAt;
    QString id;

    [[nodiscard]] bool operator==(const ListCursor &) const = default;

    [[nodiscard]] QString encode() const;
    // invalid_field naming `field` for anything not made by encode().
    [[nodiscard]] static Result<ListCursor> decode(const QString &text,
                                                   const QString &field = QStringLiteral("cursor"));
};

} // namespace parlance
