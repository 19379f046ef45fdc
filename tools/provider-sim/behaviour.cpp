#include "behaviour.h"

using namespace Qt::StringLiterals;

namespace parlance::sim {

namespace {

// Parses a non-negative integer within [0, max]; false when it is not one.
bool parseCount(QStringView value, int max, int &out)
{
    bool ok = false;
    const qlonglong n = value.toLongLong(&ok);
    if (!ok || n < 0 || n > max)
        return false;
    out = static_cast<int>(n);
    return true;
}

struct FaultName
{
    QLatin1StringView name;
    FaultKind kind;
};

// Aliases let a test say `fault=429` or `fault=rate_limit`, whichever reads better.
constexpr FaultName faultNames[] = {
    { "none"_L1, FaultKind::None },
    { "rate_limit"_L1, FaultKind::RateLimit },
    { "429"_L1, FaultKind::RateLimit },
    { "server_error"_L1, FaultKind::ServerError },
    { "500"_L1, FaultKind::ServerError },
    { "overloaded"_L1, FaultKind::Overloaded },
    { "529"_L1, FaultKind::Overloaded },
    { "503"_L1, FaultKind::Overloaded },
    { "stall"_L1, FaultKind::Stall },
    { "disconnect"_L1, FaultKind::Disconnect },
    { "malformed"_L1, FaultKind::Malformed },
    { "drip"_L1, FaultKind::Drip },
    { "error_event"_L1, FaultKind::ErrorEvent },
};

constexpr int maxMs = 24 * 3600 * 1000;
constexpr int maxTokens = 1000000;

} // namespace

QString Behaviour::faultName(FaultKind kind)
{
    for (const auto &entry : faultNames) {
        if (entry.kind == kind)
            return entry.name;
    }
    return u"none"_s;
}

QStringList Behaviour::settingKeys()
{
    return { u"mode"_s,  u"tokens"_s, u"script"_s, u"ttft"_s,        u"tps"_s,  u"chunk"_s,
             u"fault"_s, u"after"_s,  u"stall"_s,  u"retry-after"_s, u"drip"_s, u"times"_s };
}

QString Behaviour::applySetting(QStringView key, QStringView value)
{
    const auto bad = [&](QLatin1StringView expected) {
        return u"sim setting '%1': '%2' is not %3"_s.arg(key, value, expected);
    };
    if (key == "mode"_L1) {
        if (value == "echo"_L1)
            mode = ContentMode::Echo;
        else if (value == "lorem"_L1)
            mode = ContentMode::Lorem;
        else if (value == "script"_L1)
            mode = ContentMode::Script;
        else
            return bad("echo, lorem or script"_L1);
        return {};
    }
    if (key == "script"_L1) {
        if (value.isEmpty())
            return bad("a script name"_L1);
        script = value.toString();
        mode = ContentMode::Script;
        return {};
    }
    if (key == "tokens"_L1)
        return parseCount(value, maxTokens, tokens) ? QString() : bad("a token count"_L1);
    if (key == "ttft"_L1)
        return parseCount(value, maxMs, ttftMs) ? QString() : bad("milliseconds"_L1);
    if (key == "tps"_L1) {
        bool ok = false;
        const double tps = value.toDouble(&ok);
        if (!ok || tps < 0 || tps > 1e6)
            return bad("tokens per second (0 = unpaced)"_L1);
        tokensPerSecond = tps;
        return {};
    }
    if (key == "chunk"_L1) {
        if (!parseCount(value, 10000, chunkTokens) || chunkTokens == 0)
            return bad("a positive token count"_L1);
        return {};
    }
    if (key == "fault"_L1) {
        for (const auto &entry : faultNames) {
            if (value == entry.name) {
                fault = entry.kind;
                return {};
            }
        }
        return bad("a fault (none, 429, 500, overloaded, stall, disconnect, malformed, drip, "
                   "error_event)"_L1);
    }
    if (key == "after"_L1)
        return parseCount(value, maxTokens, faultAfter) ? QString() : bad("a token count"_L1);
    if (key == "stall"_L1) {
        if (value == "forever"_L1) {
            stallMs = -1;
            return {};
        }
        return parseCount(value, maxMs, stallMs) ? QString() : bad("milliseconds or forever"_L1);
    }
    if (key == "retry-after"_L1)
        return parseCount(value, 86400, retryAfterSeconds) ? QString() : bad("seconds"_L1);
    if (key == "drip"_L1)
        return parseCount(value, maxMs, dripMs) ? QString() : bad("milliseconds"_L1);
    if (key == "times"_L1) {
        if (value == "always"_L1) {
            faultTimes = -1;
            return {};
        }
        return parseCount(value, maxTokens, faultTimes) ? QString() : bad("a count or always"_L1);
    }
    return u"unknown sim setting '%1' (known: %2)"_s.arg(key, settingKeys().join(u", "_s));
}

} // namespace parlance::sim
