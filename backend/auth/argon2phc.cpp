#include "auth/argon2phc.h"

#include "auth/base64url.h"
#include "contract/errorcodes.h"

#include <optional>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

ApiError invalid(const QString &message)
{
    return ApiError { QString(errc::InvalidField), message, {} };
}

ApiError malformed()
{
    return invalid(u"The stored password hash is not a valid Argon2id PHC string."_s);
}

// PHC decimals: ASCII digits, no sign, no leading zero, fits 32 bits.
std::optional<quint32> parseDecimal(QStringView text)
{
    if (text.isEmpty() || text.size() > 10 || (text.size() > 1 && text.front() == u'0'))
        return std::nullopt;
    quint64 value = 0;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        value = value * 10 + (c.unicode() - u'0');
    }
    if (value > 0xffffffffULL)
        return std::nullopt;
    return static_cast<quint32>(value);
}

std::optional<quint32> parseNamed(QStringView field, QStringView name)
{
    if (!field.startsWith(name) || field.size() <= name.size() + 1 || field.at(name.size()) != u'=')
        return std::nullopt;
    return parseDecimal(field.mid(name.size() + 1));
}

} // namespace

Status Argon2Params::validate() const
{
    if (parallelism < 1 || parallelism > MaxParallelism) {
        return invalid(u"Argon2 parallelism must be between 1 and "_s
                       + QString::number(MaxParallelism) + u"."_s);
    }
    if (iterations < 1 || iterations > MaxIterations) {
        return invalid(u"Argon2 iterations must be between 1 and "_s
                       + QString::number(MaxIterations) + u"."_s);
    }
    // Argon2 needs at least 8 KiB per lane.
    if (memoryKiB < 8 * parallelism || memoryKiB > MaxMemoryKiB) {
        return invalid(u"Argon2 memory must be between "_s + QString::number(8 * parallelism)
                       + u" and "_s + QString::number(MaxMemoryKiB) + u" KiB."_s);
    }
    return Done {};
}

Result<Argon2Phc> Argon2Phc::parse(QStringView encoded)
{
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    if (encoded.size() > 512)
        return malformed();
    const auto parts = encoded.split(u'$');
    if (parts.size() != 6 || !parts[0].isEmpty() || parts[1] != u"argon2id" || parts[2] != u"v=19")
        return malformed();

    const auto costs = parts[3].split(u',');
    if (costs.size() != 3)
        return malformed();
    const auto m = parseNamed(costs[0], u"m");
    const auto t = parseNamed(costs[1], u"t");
    const auto p = parseNamed(costs[2], u"p");
    if (!m || !t || !p)
        return malformed();

    Argon2Phc phc;
    phc.params = Argon2Params { *m, *t, *p };
    if (!phc.params.validate())
        return malformed();

    for (QStringView part : { parts[4], parts[5] }) {
        for (QChar c : part) {
            if (c.unicode() > 0x7f)
                return malformed();
        }
    }
    auto salt = base64::decodeStandardUnpadded(parts[4].toLatin1());
    auto hash = base64::decodeStandardUnpadded(parts[5].toLatin1());
    if (!salt || !hash || salt->size() < MinSaltBytes || salt->size() > MaxSaltBytes
        || hash->size() < MinHashBytes || hash->size() > MaxHashBytes)
        return malformed();
    phc.salt = std::move(*salt);
    phc.hash = std::move(*hash);
    return phc;
}

QString Argon2Phc::toString() const
{
    return u"$argon2id$v=19$m="_s + QString::number(params.memoryKiB) + u",t="_s
        + QString::number(params.iterations) + u",p="_s + QString::number(params.parallelism)
        + u"$"_s + QString::fromLatin1(base64::encodeStandardUnpadded(salt)) + u"$"_s
        + QString::fromLatin1(base64::encodeStandardUnpadded(hash));
}

} // namespace parlance
