#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QString>

namespace parlance {

// The signing key a single node keeps in its data directory when the operator
// has not configured one, so sign-ins survive a restart (./dev run) without
// any set-up. Several nodes must share a configured key instead
// (PARLANCE_JWT_KEY_FILE, docs/auth.md): each node would otherwise make its
// own and refuse the others' tokens.
class JwtKeyFile
{
public:
    static constexpr int GeneratedBytes = 32;

    struct Loaded
    {
        QByteArray secret;
        bool created = false; // true when this call wrote the file
    };

    // Reads the key at `path` (format as JwtKeyRing::secretFromSpec for
    // "file:"), or, when there is no file, writes GeneratedBytes random bytes
    // as "base64:..." with mode 0600, created exclusively so two processes
    // starting at once end up with the same key. internal_error when the file
    // cannot be read or written; invalid_field when it holds a key that is
    // too short.
    [[nodiscard]] static Result<Loaded> loadOrCreate(const QString &path);
};

} // namespace parlance
