#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace parlance::sim {

// What the simulated model writes.
enum class ContentMode { Echo, Lorem, Script };

// What goes wrong on purpose. Each fault mimics one way a real provider fails.
enum class FaultKind {
    None,
    RateLimit, // 429 with retry-after and the provider's rate-limit body
    ServerError, // 500 with the provider's server-error body
    Overloaded, // Anthropic 529 overloaded_error, OpenAI-style 503
    Stall, // hold the connection and send nothing (after N tokens) for N ms or forever
    Disconnect, // reset the TCP connection after N tokens, no terminator
    Malformed, // one data line with invalid JSON after N tokens, then carry on
    Drip, // very slow tokens
    ErrorEvent, // an error event in the stream after N tokens, then end the body
};

// Content, timing and faults of one request. Built from the deployment's
// settings, then overridden by x-sim-* headers, then by [[sim: ...]]
// directives in the last user message. Every source uses the same key names
// (see applySetting), so a setting reads the same in the config file, in a
// header and in a directive.
struct Behaviour
{
    ContentMode mode = ContentMode::Echo;
    int tokens = 20; // lorem length in tokens
    QString script; // name of a script in the config's "scripts" table
    int ttftMs = 0; // delay before the first token
    double tokensPerSecond = 0; // 0: as fast as the socket takes them
    int chunkTokens = 1; // tokens per streamed chunk
    FaultKind fault = FaultKind::None;
    int faultAfter = 0; // tokens sent before a mid-stream fault fires
    int stallMs = -1; // how long a stall lasts; -1 forever
    int retryAfterSeconds = 1; // retry-after on 429 (and overloaded when > 0)
    int dripMs = 1000; // delay between tokens under the drip fault
    int faultTimes = -1; // fault only the deployment's first N requests; -1 always

    // Applies one `key=value` setting. Returns an empty string on success,
    // otherwise a message naming the key and what was wrong.
    [[nodiscard]] QString applySetting(QStringView key, QStringView value);

    // Keys applySetting understands, for --help and error messages.
    [[nodiscard]] static QStringList settingKeys();
    [[nodiscard]] static QString faultName(FaultKind kind);
};

// A deployment: one fake upstream under /d/<name>/v1/... ("default" under /v1/...).
struct Deployment
{
    QString name;
    Behaviour behaviour;
    QStringList keys; // accepted API keys; empty accepts any non-empty key
    QStringList models; // served models; empty accepts any model name
};

} // namespace parlance::sim
