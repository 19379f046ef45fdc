#include "auth/usercommand.h"

#include "auth/accountservice.h"
#include "config/configloader.h"
#include "contract/errorcodes.h"
#include "storage/database.h"
#include "storage/migrator.h"

#include <QDir>
#include <QFile>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

void printErr(const QString &text)
{
    std::fprintf(stderr, "parlanced user: %s\n", qUtf8Printable(text));
}

// Takes "--name VALUE" / "--name=VALUE" out of args; nullopt when absent.
std::optional<QString> takeOption(QStringList &args, const QString &name, bool *missingValue)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args[i] == u"--"_s + name) {
            if (i + 1 >= args.size()) {
                *missingValue = true;
                return std::nullopt;
            }
            const QString value = args[i + 1];
            args.remove(i, 2);
            return value;
        }
        if (args[i].startsWith(u"--"_s + name + u'=')) {
            const QString value = args[i].mid(name.size() + 3);
            args.remove(i);
            return value;
        }
    }
    return std::nullopt;
}

QString chopLineEnd(QByteArray bytes)
{
    if (bytes.endsWith('\n'))
        bytes.chop(1);
    if (bytes.endsWith('\r'))
        bytes.chop(1);
    return QString::fromUtf8(bytes);
}

// One line from standard input, without echo when it is a terminal.
std::optional<QString> readPasswordFromStdin()
{
    const bool tty = ::isatty(STDIN_FILENO) == 1;
    termios saved {};
    if (tty) {
        std::fprintf(stderr, "Password: ");
        std::fflush(stderr);
        ::tcgetattr(STDIN_FILENO, &saved);
        termios silent = saved;
        silent.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    }
    QByteArray line;
    for (int c = std::fgetc(stdin); c != EOF && c != '\n'; c = std::fgetc(stdin))
        line.append(char(c));
    if (tty) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fprintf(stderr, "\n");
    }
    return chopLineEnd(line);
}

std::optional<QString> readPassword(const std::optional<QString> &file)
{
    if (!file)
        return readPasswordFromStdin();
    QFile f(*file);
    if (!f.open(QIODevice::ReadOnly)) {
        printErr(u"cannot read the password file \"%1\"."_s.arg(*file));
        return std::nullopt;
    }
    return chopLineEnd(f.readAll());
}

} // namespace

QString UserCommand::helpText()
{
    return u"Usage: parlanced user create --email E [--password-file F] [--admin] "
           u"[--display-name N] [server options]\n"
           u"       parlanced user set-admin|unset-admin|disable|enable --email E "
           u"[server options]\n\n"
           u"Creates or changes an account directly in the database (migrations run first).\n"
           u"The password is read from --password-file or one line of standard input.\n"
           u"Server options such as --database, --data-dir and --config select the database\n"
           u"(see parlanced --help).\n"_s;
}

int UserCommand::run(QStringList args, const QProcessEnvironment &env)
{
    if (args.isEmpty() || args.first().startsWith(u'-')) {
        printErr(u"which action? create, set-admin, unset-admin, disable or enable."_s);
        return 2;
    }
    const QString action = args.takeFirst();
    static const QStringList actions { u"create"_s, u"set-admin"_s, u"unset-admin"_s, u"disable"_s,
                                       u"enable"_s };
    if (!actions.contains(action)) {
        printErr(u"unknown action \"%1\" (create, set-admin, unset-admin, disable, enable)."_s.arg(
            action));
        return 2;
    }
    bool missingValue = false;
    const auto email = takeOption(args, u"email"_s, &missingValue);
    const auto passwordFile = takeOption(args, u"password-file"_s, &missingValue);
    const auto displayName = takeOption(args, u"display-name"_s, &missingValue);
    const bool admin = args.removeAll(u"--admin"_s) > 0;
    if (missingValue || !email || email->isEmpty()) {
        printErr(u"--email ADDRESS is required (and every option needs its value)."_s);
        return 2;
    }
    if (action != u"create" && (passwordFile || displayName || admin)) {
        printErr(u"--password-file, --display-name and --admin belong to \"create\"."_s);
        return 2;
    }

    auto config = ConfigLoader::load(args, env);
    if (!config) {
        printErr(config.error().message);
        return 2;
    }
    if (!QDir().mkpath(config->dataDir)) {
        printErr(u"cannot create the data directory \"%1\"."_s.arg(config->dataDir));
        return 1;
    }
    auto url = DatabaseUrl::parse(config->databaseUrl, config->dataDir);
    if (!url) {
        printErr(url.error().message);
        return 2;
    }
    Database database(*url);
    if (auto migrated = Migrator(database).migrate(); !migrated) {
        printErr(u"database migration: "_s + migrated.error().message);
        return 1;
    }
    AccountSettings settings;
    settings.argon2 = config->argon2;
    // Access tokens and the login throttle are not needed here.
    auto accounts = AccountService::create(database, nullptr, nullptr, settings);
    if (!accounts) {
        printErr(accounts.error().message);
        return 1;
    }

    Result<User> done = ApiError {};
    if (action == u"create") {
        const auto password = readPassword(passwordFile);
        if (!password)
            return 1;
        done =
            (*accounts)->createUser(*email, *password, admin ? User::Role::Admin : User::Role::User,
                                    displayName.value_or(QString()));
    } else if (action == u"set-admin" || action == u"unset-admin") {
        done = (*accounts)->setRole(*email,
                                    action == u"set-admin" ? User::Role::Admin : User::Role::User);
    } else {
        done = (*accounts)->setDisabled(*email, action == u"disable");
    }
    database.closeThreadConnection();
    if (!done) {
        if (done.error().code == errc::EmailTaken)
            printErr(u"a user with the email %1 already exists."_s.arg(email->trimmed()));
        else
            printErr(done.error().message);
        return 1;
    }
    std::fprintf(stdout, "%s\n", qUtf8Printable(done->id));
    std::fflush(stdout);
    return 0;
}

} // namespace parlance
