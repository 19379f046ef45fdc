#pragma once

#include "common/result.h"
#include "config/serverconfig.h"

#include <QProcessEnvironment>
#include <QStringList>

namespace parlance {

// Builds a ServerConfig from, in increasing precedence: the JSON config file
// (--config FILE or PARLANCE_CONFIG; keys are option names, "max-body-bytes"
// or "max_body_bytes"), environment variables (PARLANCE_<NAME>, and
// PARLANCE_<NAME>_FILE for secrets), and flags (--name VALUE or --name=VALUE).
// Every value is validated; the error message names where it came from, e.g.
// `environment PARLANCE_THREADS: expected a whole number from 1 to 256, got "x"`.
class ConfigLoader
{
public:
    // args: the arguments after the program name and any subcommand.
    [[nodiscard]] static Result<ServerConfig> load(const QStringList &args,
                                                   const QProcessEnvironment &env);
    // Every option with its flag, environment variable and default.
    [[nodiscard]] static QString helpText(const QString &program);
};

} // namespace parlance
