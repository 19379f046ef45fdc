#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

namespace parlance {

// Argon2id cost parameters. The defaults are OWASP's first Argon2id
// configuration (19 MiB, 2 passes, 1 lane): about the cost of its
// 46 MiB/1-pass option in time, but with less than half the memory per
// concurrent login, and one lane because a login runs on one worker thread
// and parallel lanes would only take cores from the event loops.
// bench/backend/bench_argon2 prints what they cost on the host.
struct Argon2Params
{
    quint32 memoryKiB = 19456;
    quint32 iterations = 2;
    quint32 parallelism = 1;

    // Bounds that both configuration and stored hashes must respect, so a
    // corrupted or hostile row cannot make a login allocate gigabytes.
    static constexpr quint32 MaxMemoryKiB = 1024 * 1024;
    static constexpr quint32 MaxIterations = 64;
    static constexpr quint32 MaxParallelism = 16;

    // invalid_field naming the parameter when a value is out of range.
    [[nodiscard]] Status validate() const;

    [[nodiscard]] bool operator==(const Argon2Params &) const = default;
};

// One Argon2id hash in the PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (salt and hash in unpadded
// standard base64). Keeping the parameters beside the hash lets them change
// later: old hashes still verify and are upgraded at the next login.
struct Argon2Phc
{
    Argon2Params params;
    QByteArray salt;
    QByteArray hash;

    static constexpr qsizetype MinSaltBytes = 8;
    static constexpr qsizetype MaxSaltBytes = 64;
    static constexpr qsizetype MinHashBytes = 16;
    static constexpr qsizetype MaxHashBytes = 64;

    // Accepts only argon2id version 19 with m, t, p in that order, decimal
    // numbers without leading zeros, and lengths within the bounds above.
    // invalid_field on anything else; the message never quotes the input.
    [[nodiscard]] static Result<Argon2Phc> parse(QStringView encoded);
    [[nodiscard]] QString toString() const;
};

} // namespace parlance
