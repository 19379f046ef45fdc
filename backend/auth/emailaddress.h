#pragma once

#include "common/result.h"

#include <QString>

namespace parlance {

// Email addresses as account identifiers.
//
// Normalisation: surrounding whitespace is trimmed, the text is put in
// Unicode NFC, and the *whole* address is lower-cased. RFC 5321 lets a mail
// server treat the local part case-sensitively, but no mainstream provider
// does, and letting "Alice@x.org" and "alice@x.org" be two accounts invites
// confusion and impersonation. The normalised form is what is stored, compared
// for uniqueness and used as the login throttle's account key.
//
// Accepted: the dot-atom form people actually use, with internationalised
// (UTF-8) local parts and domain labels. Refused: quoted local parts, comments,
// IP-literal domains and domains without a dot ("admin@localhost" catches more
// typos than it serves; use a name under .test for local set-ups).
class EmailAddress
{
public:
    static constexpr int MaxBytes = 254; // RFC 5321 path limit minus the brackets
    static constexpr int MaxLocalBytes = 64;
    static constexpr int MaxLabelBytes = 63;

    // The normalised address, or invalid_field with a message for the user.
    [[nodiscard]] static Result<QString> normalise(const QString &input);
};

} // namespace parlance
