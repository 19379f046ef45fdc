#include "config/configloader.h"

#include "contract/errorcodes.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <functional>

using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

namespace parlance {

namespace {
using Setter = std::function<std::optional<QString>(ServerConfig &, const QString &)>;
using Getter = std::function<QString(const ServerConfig &)>;

// One configurable setting. A setter returns an expectation ("a whole number
// from 1 to 256") when the value is refused.
struct Option
{
    QString name; // flag name without "--"; config key; env PARLANCE_<NAME>
    QString valueName;
    QString help;
    Setter set;
    Getter show; // the default, as shown by --help
    bool secret = false; // env only (and *_FILE): never on the command line
    bool flag = false; // boolean: "--name" alone means true

    [[nodiscard]] QString env() const
    {
        return u"PARLANCE_"_s + QString(name).toUpper().replace(u'-', u'_');
    }
};

std::optional<qint64> parseInteger(const QString &text)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    return ok ? std::optional(value) : std::nullopt;
}

Setter integer(int ServerConfig::*field, int min, int max)
{
    return [=](ServerConfig &config, const QString &text) -> std::optional<QString> {
        const auto value = parseInteger(text);
        if (!value || *value < min || *value > max)
            return u"a whole number from %1 to %2"_s.arg(min).arg(max);
        config.*field = int(*value);
        return std::nullopt;
    };
}

// "1048576", "64k", "64KiB", "1M", "1MiB".
std::optional<qint64> parseBytes(QString text)
{
    static const QRegularExpression re(u"^\\s*(\\d+)\\s*(k|kib|m|mib|g|gib)?\\s*$"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    const auto match = re.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    qint64 value = match.captured(1).toLongLong();
    const QString unit = match.captured(2).toLower();
    if (unit.startsWith(u'k'))
        value *= 1024;
    else if (unit.startsWith(u'm'))
        value *= 1024 * 1024;
    else if (unit.startsWith(u'g'))
        value *= 1024 * 1024 * 1024;
    return value;
}

Setter bytes(qint64 ServerConfig::*field, qint64 min, qint64 max)
{
    return [=](ServerConfig &config, const QString &text) -> std::optional<QString> {
        const auto value = parseBytes(text);
        if (!value || *value < min || *value > max)
            return u"a size from %1 to %2 bytes (suffixes k, M, G allowed)"_s.arg(min).arg(max);
        config.*field = *value;
        return std::nullopt;
    };
}

// "30" (seconds), "30s", "500ms", "2m".
std::optional<milliseconds> parseDuration(const QString &text)
{
    static const QRegularExpression re(u"^\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?\\s*$"_s);
    const auto match = re.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const double value = match.captured(1).toDouble();
    const QString unit = match.captured(2);
    const double factor = unit == u"ms" ? 1
        : unit == u"m"                  ? 60'000
        : unit == u"h"                  ? 3'600'000
                                        : 1000;
    return milliseconds(qint64(value * factor));
}

Setter duration(milliseconds ServerConfig::*field, milliseconds min, milliseconds max)
{
    return [=](ServerConfig &config, const QString &text) -> std::optional<QString> {
        const auto value = parseDuration(text);
        if (!value || *value < min || *value > max)
            return u"a duration from %1 ms to %2 s (e.g. 30, 30s, 500ms, 2m)"_s.arg(min.count())
                .arg(max.count() / 1000);
        config.*field = *value;
        return std::nullopt;
    };
}

Setter text(QString ServerConfig::*field, bool allowEmpty = false)
{
    return [=](ServerConfig &config, const QString &value) -> std::optional<QString> {
        if (!allowEmpty && value.trimmed().isEmpty())
            return u"a non-empty value"_s;
        config.*field = value;
        return std::nullopt;
    };
}

QString showMs(milliseconds ms)
{
    if (ms.count() % 1000 == 0)
        return QString::number(ms.count() / 1000) + u's';
    return QString::number(ms.count()) + u"ms"_s;
}

const QList<Option> &options()
{
    static const QList<Option> table = [] {
        QList<Option> o;
        o.append({ u"listen"_s, u"HOST:PORT"_s,
                   u"Address to listen on; port 0 picks a free port and prints "
                   u"\"listening on HOST:PORT\" on stdout."_s,
                   [](ServerConfig &c, const QString &v) -> std::optional<QString> {
                       const qsizetype colon = v.lastIndexOf(u':');
                       bool ok = false;
                       const uint port = colon > 0 ? v.mid(colon + 1).toUInt(&ok) : 0;
                       if (colon <= 0 || !ok || port > 65535)
                           return u"HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080"_s;
                       QString host = v.left(colon);
                       if (host.startsWith(u'[') && host.endsWith(u']'))
                           host = host.mid(1, host.size() - 2);
                       c.listenHost = host;
                       c.listenPort = quint16(port);
                       return std::nullopt;
                   },
                   [](const ServerConfig &c) -> QString {
                       return c.listenHost + u':' + QString::number(c.listenPort);
                   } });
        o.append({ u"threads"_s, u"N"_s, u"Event-loop threads (0: one per core)."_s,
                   integer(&ServerConfig::threads, 0, 256),
                   [](const ServerConfig &c) -> QString { return QString::number(c.threads); } });
        o.append({ u"workers"_s, u"N"_s,
                   u"Worker threads for database and CPU work (0: max(2, cores))."_s,
                   integer(&ServerConfig::workers, 0, 256),
                   [](const ServerConfig &c) -> QString { return QString::number(c.workers); } });
        o.append({ u"generation-threads"_s, u"N"_s,
                   u"Event-loop threads running generations and their provider connections."_s,
                   integer(&ServerConfig::generationThreads, 1, 256),
                   [](const ServerConfig &c) -> QString {
                       return QString::number(c.generationThreads);
                   } });
        o.append(
            { u"max-queued-jobs"_s, u"N"_s,
              u"Jobs waiting for a worker before requests get 503 overloaded."_s,
              integer(&ServerConfig::maxQueuedJobs, 1, 1'000'000),
              [](const ServerConfig &c) -> QString { return QString::number(c.maxQueuedJobs); } });
        o.append({ u"data-dir"_s, u"DIR"_s, u"Holds the SQLite database and uploaded files."_s,
                   text(&ServerConfig::dataDir),
                   [](const ServerConfig &c) -> QString { return c.dataDir; } });
        o.append(
            { u"database"_s, u"URL"_s,
              u"sqlite:PATH or postgresql://user@host:port/db (default: "
              u"sqlite:<data-dir>/parlance.db)."_s,
              text(&ServerConfig::databaseUrl),
              [](const ServerConfig &) -> QString { return u"sqlite:<data-dir>/parlance.db"_s; },
              true });
        o.append({ u"tls-cert"_s, u"FILE"_s,
                   u"PEM certificate chain; with --tls-key serves HTTPS."_s,
                   text(&ServerConfig::tlsCertFile),
                   [](const ServerConfig &) -> QString { return u"none"_s; } });
        o.append({ u"tls-key"_s, u"FILE"_s, u"PEM private key (unencrypted) for --tls-cert."_s,
                   text(&ServerConfig::tlsKeyFile),
                   [](const ServerConfig &) -> QString { return u"none"_s; } });
        o.append(
            { u"max-body-bytes"_s, u"SIZE"_s, u"Largest request body (413 above)."_s,
              bytes(&ServerConfig::maxBodyBytes, 1024, qint64(1) << 32),
              [](const ServerConfig &c) -> QString { return QString::number(c.maxBodyBytes); } });
        o.append(
            { u"max-header-bytes"_s, u"SIZE"_s, u"Largest request line plus headers (431 above)."_s,
              bytes(&ServerConfig::maxHeaderBytes, 1024, 1024 * 1024),
              [](const ServerConfig &c) -> QString { return QString::number(c.maxHeaderBytes); } });
        o.append(
            { u"request-timeout"_s, u"DURATION"_s,
              u"Time for a whole request to arrive (slow clients get 408 and are closed)."_s,
              duration(&ServerConfig::requestTimeout, milliseconds(100), milliseconds(3'600'000)),
              [](const ServerConfig &c) -> QString { return showMs(c.requestTimeout); } });
        o.append(
            { u"idle-timeout"_s, u"DURATION"_s,
              u"Idle keep-alive connections are closed after this."_s,
              duration(&ServerConfig::idleTimeout, milliseconds(100), milliseconds(86'400'000)),
              [](const ServerConfig &c) -> QString { return showMs(c.idleTimeout); } });
        o.append(
            { u"shutdown-timeout"_s, u"DURATION"_s,
              u"On SIGTERM, how long in-flight requests may take to finish."_s,
              duration(&ServerConfig::shutdownTimeout, milliseconds(0), milliseconds(3'600'000)),
              [](const ServerConfig &c) -> QString { return showMs(c.shutdownTimeout); } });
        o.append(
            { u"max-connections"_s, u"N"_s,
              u"Open connections per process; beyond it: 503 overloaded."_s,
              integer(&ServerConfig::maxConnections, 1, 1'000'000),
              [](const ServerConfig &c) -> QString { return QString::number(c.maxConnections); } });
        o.append({ u"history-cache"_s, u"SIZE"_s,
                   u"Memory for finished history pages, reused while a conversation is "
                   u"unchanged (0: off)."_s,
                   bytes(&ServerConfig::historyCacheBytes, 0, qint64(1) << 40),
                   [](const ServerConfig &c) -> QString {
                       return QString::number(c.historyCacheBytes);
                   } });
        o.append({ u"access-log"_s, u"FILE"_s,
                   u"JSON access log: - for stdout, off, or a file to append to."_s,
                   text(&ServerConfig::accessLog),
                   [](const ServerConfig &c) -> QString { return c.accessLog; } });
        o.append({ u"jwt-key"_s, u"SECRET"_s,
                   u"Access-token signing key (>= 32 bytes; base64:..., file:PATH or text). "
                   u"Environment or config file only. Unset: generated once and kept in "
                   u"<data-dir>/jwt.key (one node; several nodes must share a configured key)."_s,
                   text(&ServerConfig::jwtKey),
                   [](const ServerConfig &) -> QString { return u"<data-dir>/jwt.key"_s; }, true });
        o.append({ u"jwt-key-file"_s, u"FILE"_s, u"Read the access-token signing key from FILE."_s,
                   [](ServerConfig &c, const QString &v) -> std::optional<QString> {
                       if (v.trimmed().isEmpty())
                           return u"a file name"_s;
                       c.jwtKey = u"file:"_s + v;
                       return std::nullopt;
                   },
                   [](const ServerConfig &) -> QString { return u"none"_s; } });
        o.append({ u"jwt-key-id"_s, u"ID"_s, u"Key id written into tokens (kid)."_s,
                   text(&ServerConfig::jwtKeyId),
                   [](const ServerConfig &c) -> QString { return c.jwtKeyId; } });
        o.append(
            { u"jwt-previous-keys"_s, u"ID=FILE,..."_s,
              u"Retired signing keys still accepted for the tokens they signed (rotation: "
              u"sign with a new --jwt-key-id and key, list the old ones here for one "
              u"access-token lifetime)."_s,
              [](ServerConfig &c, const QString &v) -> std::optional<QString> {
                  QList<ServerConfig::PreviousJwtKey> keys;
                  for (const QString &entry : v.split(u',', Qt::SkipEmptyParts)) {
                      const qsizetype eq = entry.indexOf(u'=');
                      const QString id = entry.left(eq).trimmed();
                      const QString file = entry.mid(eq + 1).trimmed();
                      if (eq < 0 || id.isEmpty() || file.isEmpty())
                          return u"key id = key file pairs, comma-separated (k0=/etc/old.key)"_s;
                      keys.append({ id, file });
                  }
                  c.jwtPreviousKeys = keys;
                  return std::nullopt;
              },
              [](const ServerConfig &c) -> QString {
                  QStringList shown;
                  for (const auto &key : c.jwtPreviousKeys)
                      shown.append(key.id + u'=' + key.file);
                  return shown.isEmpty() ? u"none"_s : shown.join(u',');
              } });
        o.append({ u"access-token-ttl"_s, u"DURATION"_s, u"Lifetime of access tokens."_s,
                   [](ServerConfig &c, const QString &v) -> std::optional<QString> {
                       const auto d = parseDuration(v);
                       if (!d || *d < milliseconds(1000) || *d > milliseconds(86'400'000))
                           return u"a duration from 1s to 24h"_s;
                       c.accessTokenLifetime = std::chrono::duration_cast<std::chrono::seconds>(*d);
                       return std::nullopt;
                   },
                   [](const ServerConfig &c) -> QString {
                       return QString(QString::number(c.accessTokenLifetime.count()) + u's');
                   } });
        const auto argon = [](quint32 Argon2Params::*field, quint32 max) -> Setter {
            return [=](ServerConfig &c, const QString &v) -> std::optional<QString> {
                const auto value = parseInteger(v);
                if (!value || *value < 1 || *value > qint64(max))
                    return u"a whole number from 1 to %1"_s.arg(max);
                c.argon2.*field = quint32(*value);
                return std::nullopt;
            };
        };
        o.append({ u"argon2-memory-kib"_s, u"KIB"_s, u"Argon2id memory cost per password hash."_s,
                   argon(&Argon2Params::memoryKiB, Argon2Params::MaxMemoryKiB),
                   [](const ServerConfig &c) -> QString {
                       return QString::number(c.argon2.memoryKiB);
                   } });
        o.append({ u"argon2-iterations"_s, u"N"_s, u"Argon2id time cost."_s,
                   argon(&Argon2Params::iterations, Argon2Params::MaxIterations),
                   [](const ServerConfig &c) -> QString {
                       return QString::number(c.argon2.iterations);
                   } });
        o.append({ u"argon2-parallelism"_s, u"N"_s, u"Argon2id lanes."_s,
                   argon(&Argon2Params::parallelism, Argon2Params::MaxParallelism),
                   [](const ServerConfig &c) -> QString {
                       return QString::number(c.argon2.parallelism);
                   } });
        o.append(
            { u"maintenance-interval"_s, u"DURATION"_s,
              u"How often expired trash and refresh tokens are purged (first run a minute "
              u"after start, or sooner if shorter); 0 turns it off."_s,
              [](ServerConfig &c, const QString &v) -> std::optional<QString> {
                  const auto d = parseDuration(v);
                  if (!d || (d->count() != 0 && *d < milliseconds(100))
                      || *d > milliseconds(7 * 86'400'000LL))
                      return u"0 (off) or a duration from 100ms to 7 days"_s;
                  c.maintenanceInterval = *d;
                  return std::nullopt;
              },
              [](const ServerConfig &c) -> QString { return showMs(c.maintenanceInterval); } });
        o.append({ u"models"_s, u"FILE"_s,
                   u"Model catalog (JSON, see docs/streaming.md); without it the built-in "
                   u"demo model is offered."_s,
                   text(&ServerConfig::modelsFile), [](const ServerConfig &c) -> QString {
                       return c.modelsFile.isEmpty() ? u"none"_s : c.modelsFile;
                   } });
        o.append({ u"demo-provider"_s, u"URL"_s,
                   u"The provider simulator that answers the demo model (no catalog)."_s,
                   text(&ServerConfig::demoProviderUrl),
                   [](const ServerConfig &c) -> QString { return c.demoProviderUrl; } });
        o.append(
            { u"stream-heartbeat"_s, u"DURATION"_s,
              u"Idle answer streams get a heartbeat (SSE comment, WebSocket ping) this "
              u"often, so proxies keep them open."_s,
              duration(&ServerConfig::streamHeartbeat, milliseconds(100), milliseconds(3'600'000)),
              [](const ServerConfig &c) -> QString { return showMs(c.streamHeartbeat); } });
        o.append(
            { u"stream-retention"_s, u"DURATION"_s,
              u"How long a finished answer's events stay in memory for late readers and "
              u"resumes (Last-Event-ID); later the stored message is replayed."_s,
              duration(&ServerConfig::streamRetention, milliseconds(100), milliseconds(86'400'000)),
              [](const ServerConfig &c) -> QString { return showMs(c.streamRetention); } });
        o.append({ u"test-hooks"_s, QString(), u"Integration tests only: enable test routes."_s,
                   [](ServerConfig &c, const QString &v) -> std::optional<QString> {
                       const QString t = v.trimmed().toLower();
                       if (t != u"1" && t != u"0" && t != u"true" && t != u"false")
                           return u"1, 0, true or false"_s;
                       c.testHooks = t == u"1" || t == u"true";
                       return std::nullopt;
                   },
                   [](const ServerConfig &) -> QString { return u"off"_s; }, false, true });
        return o;
    }();
    return table;
}

const Option *find(QStringView name)
{
    for (const Option &option : options()) {
        if (option.name == name)
            return &option;
    }
    return nullptr;
}

Status invalid(const QString &message)
{
    return ApiError { QString(errc::InvalidField), message, {} };
}

Status apply(ServerConfig &config, const Option &option, const QString &value,
             const QString &source)
{
    if (const auto expected = option.set(config, value)) {
        // Secrets are never echoed back, not even in an error.
        const QString shown = option.secret ? u"(hidden)"_s : u'"' + value + u'"';
        return invalid(u"%1: expected %2, got %3."_s.arg(source, *expected, shown));
    }
    return Done {};
}

Result<QString> readSecretFile(const QString &path, const QString &source)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return invalid(u"%1: cannot read \"%2\"."_s.arg(source, path)).error();
    QByteArray content = file.readAll();
    if (content.endsWith('\n'))
        content.chop(1);
    if (content.endsWith('\r'))
        content.chop(1);
    return QString::fromUtf8(content);
}

Status applyFile(ServerConfig &config, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return invalid(u"--config: cannot read \"%1\"."_s.arg(path));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return invalid(u"config file %1: not a JSON object (%2)."_s.arg(path, error.errorString()));
    const QJsonObject object = doc.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString name = QString(it.key()).replace(u'_', u'-');
        const Option *option = find(name);
        const QString source = u"config file %1, \"%2\""_s.arg(path, it.key());
        if (!option || name == u"config")
            return invalid(u"%1: unknown setting."_s.arg(source));
        QString value;
        if (it->isString())
            value = it->toString();
        else if (it->isDouble())
            value = QString::number(it->toDouble(), 'g', 17);
        else if (it->isBool())
            value = it->toBool() ? u"true"_s : u"false"_s;
        else
            return invalid(u"%1: expected a string, number or boolean."_s.arg(source));
        if (auto status = apply(config, *option, value, source); !status)
            return status;
    }
    return Done {};
}
} // namespace

Result<ServerConfig> ConfigLoader::load(const QStringList &args, const QProcessEnvironment &env)
{
    // First pass over the flags: split --name=value, find --config.
    QList<std::pair<QString, std::optional<QString>>> flags;
    QString configFile = env.value(u"PARLANCE_CONFIG"_s);
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args[i];
        if (!arg.startsWith(u"--"))
            return invalid(u"Unexpected argument \"%1\" (options start with --)."_s.arg(arg))
                .error();
        QString name = arg.mid(2);
        std::optional<QString> value;
        if (const qsizetype eq = name.indexOf(u'='); eq >= 0) {
            value = name.mid(eq + 1);
            name.truncate(eq);
        }
        const Option *option = find(name);
        if (name != u"config" && !option)
            return invalid(u"Unknown option --%1 (see --help)."_s.arg(name)).error();
        if (option && option->secret && option->name == u"jwt-key")
            return invalid(u"--jwt-key: secrets on the command line are visible to every user "
                           u"of the machine; use --jwt-key-file or PARLANCE_JWT_KEY_FILE."_s)
                .error();
        const bool isFlag = option && option->flag;
        if (!value && !isFlag) {
            if (i + 1 >= args.size())
                return invalid(u"--%1 needs a value."_s.arg(name)).error();
            value = args[++i];
        }
        if (name == u"config")
            configFile = *value;
        else
            flags.append({ name, value });
    }

    ServerConfig config;
    if (!configFile.isEmpty()) {
        if (auto status = applyFile(config, configFile); !status)
            return status.error();
    }
    for (const Option &option : options()) {
        const QString name = option.env();
        if (env.contains(name)) {
            if (auto status = apply(config, option, env.value(name), u"environment "_s + name);
                !status)
                return status.error();
        }
        // jwt-key has its own jwt-key-file option, which owns PARLANCE_JWT_KEY_FILE.
        const bool ownFileOption = find(QString(option.name + u"-file"_s)) != nullptr;
        if (option.secret && !ownFileOption && env.contains(name + u"_FILE"_s)) {
            const QString source = u"environment "_s + name + u"_FILE"_s;
            const auto secret = readSecretFile(env.value(name + u"_FILE"_s), source);
            if (!secret)
                return secret.error();
            if (auto status = apply(config, option, *secret, source); !status)
                return status.error();
        }
    }
    for (const auto &[name, value] : std::as_const(flags)) {
        const Option *option = find(name);
        if (auto status = apply(config, *option, value.value_or(u"true"_s), u"--"_s + name);
            !status)
            return status.error();
    }
    config.resolveDefaults();
    if (auto status = config.validate(); !status)
        return status.error();
    return config;
}

QString ConfigLoader::helpText(const QString &program)
{
    const ServerConfig defaults;
    QString out =
        u"Usage: %1 [serve] [options]\n\n"
        u"Runs the Parlance server. Settings come from a JSON config file (--config "
        u"FILE,\nPARLANCE_CONFIG), then environment variables, then flags; later wins. "
        u"Secrets\ncan also be read from a file named by <VARIABLE>_FILE.\n\nOptions:\n"_s.arg(
            program);
    out +=
        u"  --config FILE\n      JSON object of settings, keys as below (e.g. \"max_body_bytes\")."
        u"\n      env PARLANCE_CONFIG\n"_s;
    for (const Option &option : options()) {
        QString head = u"  --"_s + option.name;
        if (!option.valueName.isEmpty())
            head += u' ' + option.valueName;
        if (option.secret && option.name == u"jwt-key")
            head = u"  (no flag) jwt-key SECRET"_s;
        out += head + u"\n      "_s + option.help + u"\n      env "_s + option.env();
        if (option.secret && !find(QString(option.name + u"-file"_s)))
            out += u", "_s + option.env() + u"_FILE"_s;
        out += u"   default "_s + option.show(defaults) + u'\n';
    }
    out += u"  --help     Show this text.\n  --version  Show the version.\n"_s;
    return out;
}

} // namespace parlance
