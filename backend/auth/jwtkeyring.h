#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringView>

namespace parlance {

// One HMAC key. The id travels in each token's `kid` header; it is not secret.
struct JwtKey
{
    QString id;
    QByteArray secret;
};

// The keys access tokens are signed and checked with. One key signs; older
// keys only verify, so a rotation goes: add the new key as signing key and
// keep the old one as verification key until the last token it signed has
// expired (the access-token lifetime plus leeway), then drop it.
// Immutable once built, so it can be read from any thread.
class JwtKeyRing
{
public:
    // HS256 keys shorter than the hash output weaken it (RFC 7518 §3.2).
    static constexpr qsizetype MinSecretBytes = 32;
    static constexpr qsizetype MaxKeyIdLength = 64;

    // invalid_field when a key is shorter than MinSecretBytes, an id is empty,
    // too long, has characters outside [A-Za-z0-9._-], or appears twice.
    [[nodiscard]] static Result<JwtKeyRing> create(JwtKey signingKey,
                                                   QList<JwtKey> verificationKeys = {});

    // Key material as written in configuration:
    //   "base64:<text>"  standard or URL-safe base64, padding optional
    //   "file:<path>"    the file's bytes, one trailing newline removed; a file
    //                    whose content starts with "base64:" is decoded
    //   anything else    the UTF-8 bytes of the text itself
    // Error messages name the file but never repeat key material.
    [[nodiscard]] static Result<QByteArray> secretFromSpec(const QString &spec);

    [[nodiscard]] const JwtKey &signingKey() const { return m_keys.front(); }
    // nullptr when no key has this id.
    [[nodiscard]] const QByteArray *secretFor(QStringView keyId) const;
    [[nodiscard]] QStringList keyIds() const;

private:
    explicit JwtKeyRing(QList<JwtKey> keys)
        : m_keys(std::move(keys))
    { }

    QList<JwtKey> m_keys; // the signing key first
};

} // namespace parlance
