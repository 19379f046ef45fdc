#pragma once

#include <QProcessEnvironment>
#include <QStringList>

namespace parlance {

// `parlanced user <action> ...`: account administration from the command
// line, above all bootstrapping the first admin on a fresh install.
//
//   parlanced user create --email E [--password-file F] [--admin] [--display-name N]
//   parlanced user set-admin|unset-admin|disable|enable --email E
//
// plus the server's own options (--database, --data-dir, --config, the
// PARLANCE_* environment) to find the database; migrations run first. The
// password comes from --password-file or standard input (one line; not
// echoed on a terminal) and must pass the password policy. `create` prints the
// new user's id on stdout.
class UserCommand
{
public:
    // Exit codes: 0 done, 1 refused or failed (message on stderr), 2 usage.
    [[nodiscard]] static int run(QStringList args, const QProcessEnvironment &env);
    [[nodiscard]] static QString helpText();
};

} // namespace parlance
