#include "auth/passwordhasher.h"

#include "auth/authlog.h"
#include "auth/securerandom.h"
#include "contract/errorcodes.h"

#include <argon2.h>
#include <openssl/crypto.h>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

// Wipes a secret buffer when it goes out of scope. Qt's implicit sharing
// means other copies may exist; this only avoids leaving our own behind.
class ScrubOnExit
{
public:
    explicit ScrubOnExit(QByteArray &bytes)
        : m_bytes(bytes)
    { }
    ~ScrubOnExit()
    {
        if (!m_bytes.isEmpty())
            OPENSSL_cleanse(m_bytes.data(), static_cast<size_t>(m_bytes.size()));
    }
    ScrubOnExit(const ScrubOnExit &) = delete;
    ScrubOnExit &operator=(const ScrubOnExit &) = delete;

private:
    QByteArray &m_bytes;
};

QByteArray passwordBytes(const QString &password)
{
    return password.normalized(QString::NormalizationForm_KC).toUtf8();
}

ApiError hashingFailed(int code)
{
    // The libargon2 message names the failed check, never the input.
    qCCritical(lcAuth) << "Argon2id failed:" << argon2_error_message(code);
    return ApiError { QString(errc::Internal), u"The server could not check the password."_s, {} };
}

Result<QByteArray> argon2id(const Argon2Params &params, const QByteArray &password,
                            const QByteArray &salt, qsizetype hashBytes)
{
    QByteArray out(hashBytes, Qt::Uninitialized);
    const int rc = argon2id_hash_raw(params.iterations, params.memoryKiB, params.parallelism,
                                     password.constData(), static_cast<size_t>(password.size()),
                                     salt.constData(), static_cast<size_t>(salt.size()), out.data(),
                                     static_cast<size_t>(out.size()));
    if (rc != ARGON2_OK)
        return hashingFailed(rc);
    return out;
}

ApiError invalidCredentials()
{
    return ApiError { QString(errc::InvalidCredentials),
                      u"The email address or password is not correct."_s,
                      {} };
}

} // namespace

PasswordHasher::PasswordHasher(Argon2Params params, Argon2Phc dummy)
    : m_params(params)
    , m_dummy(std::move(dummy))
{ }

Result<PasswordHasher> PasswordHasher::create(Argon2Params params)
{
    if (auto valid = params.validate(); !valid)
        return valid.error();
    auto secret = SecureRandom::bytes(24);
    auto salt = SecureRandom::bytes(SaltBytes);
    if (!secret || !salt)
        return secret ? salt.error() : secret.error();
    auto hash = argon2id(params, *secret, *salt, HashBytes);
    if (!hash)
        return hash.error();
    return PasswordHasher(params, Argon2Phc { params, *salt, *hash });
}

Result<QString> PasswordHasher::hash(const QString &password) const
{
    QByteArray bytes = passwordBytes(password);
    ScrubOnExit scrub(bytes);
    if (bytes.size() > MaxPasswordBytes) {
        return ApiError { QString(errc::WeakPassword),
                          u"The password must be at most "_s + QString::number(MaxPasswordBytes)
                              + u" bytes long."_s,
                          {} };
    }
    auto salt = SecureRandom::bytes(SaltBytes);
    if (!salt)
        return salt.error();
    auto digest = argon2id(m_params, bytes, *salt, HashBytes);
    if (!digest)
        return digest.error();
    return Argon2Phc { m_params, *salt, *digest }.toString();
}

Status PasswordHasher::verify(const QString &password, QStringView encoded) const
{
    auto stored = Argon2Phc::parse(encoded);
    if (!stored) {
        // Corrupt data, not a wrong password; the string itself is not logged.
        qCWarning(lcAuth) << "A stored password hash could not be parsed";
        return ApiError { QString(errc::Internal),
                          u"The server could not check the password."_s,
                          {} };
    }
    return verifyAgainst(password, *stored);
}

Status PasswordHasher::verifyAgainst(const QString &password, const Argon2Phc &stored) const
{
    // The length check only tells a caller what they already know: the
    // length of the password they sent.
    if (password.size() > MaxPasswordBytes)
        return invalidCredentials();
    QByteArray bytes = passwordBytes(password);
    ScrubOnExit scrubPassword(bytes);
    if (bytes.size() > MaxPasswordBytes)
        return invalidCredentials();

    auto candidate = argon2id(stored.params, bytes, stored.salt, stored.hash.size());
    if (!candidate)
        return candidate.error();
    QByteArray &digest = candidate.value();
    ScrubOnExit scrubDigest(digest);
    const bool same = CRYPTO_memcmp(digest.constData(), stored.hash.constData(),
                                    static_cast<size_t>(digest.size()))
        == 0;
    if (!same)
        return invalidCredentials();
    return Done {};
}

bool PasswordHasher::needsRehash(QStringView encoded) const
{
    auto stored = Argon2Phc::parse(encoded);
    return !stored || stored->params != m_params || stored->salt.size() != SaltBytes
        || stored->hash.size() != HashBytes;
}

void PasswordHasher::verifyDummy(const QString &password) const
{
    // Same parameters, salt and hash lengths as a fresh hash, so the same cost.
    (void)verifyAgainst(password, m_dummy);
}

} // namespace parlance
