#include "storage/databaseurl.h"

#include "contract/errorcodes.h"

#include <QDir>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

ApiError urlError(const QString &why)
{
    return ApiError { QString(errc::InvalidField), u"Database URL: "_s + why, std::nullopt };
}

// libpq parameters we pass through; anything else is a typo or an attempt to
// smuggle settings, and refusing it early beats a confusing connect failure.
bool isAllowedPostgresOption(const QString &key)
{
    static const QStringList allowed { u"sslmode"_s,
                                       u"sslrootcert"_s,
                                       u"sslcert"_s,
                                       u"sslkey"_s,
                                       u"sslcrl"_s,
                                       u"connect_timeout"_s,
                                       u"application_name"_s,
                                       u"target_session_attrs"_s,
                                       u"keepalives"_s,
                                       u"keepalives_idle"_s,
                                       u"keepalives_interval"_s,
                                       u"keepalives_count"_s };
    return allowed.contains(key);
}

// QPSQL joins connect options into a libpq conninfo string without quoting,
// so a value must not be able to start another key=value pair.
bool isSafeOptionValue(const QString &value)
{
    if (value.isEmpty())
        return false;
    for (const QChar c : value) {
        if (c.isSpace() || c == u'\'' || c == u'"' || c == u'\\' || c == u';' || c == u'=')
            return false;
    }
    return true;
}

Result<DatabaseUrl> parseSqlite(QStringView rest, const QString &dataDir)
{
    DatabaseUrl url;
    url.dialect = SqlDialect(SqlDialect::Kind::Sqlite);
    QStringView pathPart = rest;
    QStringView query;
    if (const qsizetype q = rest.indexOf(u'?'); q >= 0) {
        pathPart = rest.first(q);
        query = rest.sliced(q + 1);
    }
    if (pathPart == u":memory:") {
        url.inMemory = true;
    } else {
        // sqlite:///abs/path and sqlite://rel are common spellings elsewhere;
        // accept the absolute form, since "//" can only mean a URL authority.
        QString path = pathPart.toString();
        if (path.startsWith("///"_L1))
            path = path.sliced(2);
        else if (path.startsWith("//"_L1))
            return urlError(
                u"SQLite URLs take a path: sqlite:relative/file.db or sqlite:/abs/file.db"_s);
        path = QUrl::fromPercentEncoding(path.toUtf8());
        if (path.isEmpty())
            return urlError(u"SQLite URL without a file path"_s);
        if (QDir::isRelativePath(path)) {
            const QString base = dataDir.isEmpty() ? QDir::currentPath() : dataDir;
            path = QDir(base).absoluteFilePath(path);
        }
        url.path = QDir::cleanPath(path);
    }
    if (!query.isEmpty()) {
        for (QStringView pair : query.split(u'&', Qt::SkipEmptyParts)) {
            const qsizetype eq = pair.indexOf(u'=');
            const QStringView key = eq < 0 ? pair : pair.first(eq);
            const QStringView value = eq < 0 ? QStringView() : pair.sliced(eq + 1);
            if (key == u"synchronous" && (value == u"full" || value == u"FULL"))
                url.synchronousFull = true;
            else if (key == u"synchronous" && (value == u"normal" || value == u"NORMAL"))
                url.synchronousFull = false;
            else if (key == u"wal_autocheckpoint") {
                bool ok = false;
                const int pages = value.toInt(&ok);
                if (!ok || pages < 0 || pages > 1'000'000)
                    return urlError(u"wal_autocheckpoint takes a number of pages from 0 to "
                                    u"1000000"_s);
                url.walAutocheckpointPages = pages;
            } else
                return urlError(u"unknown SQLite option \""_s + key.toString()
                                + u"\" (known: synchronous=normal|full, wal_autocheckpoint=N)"_s);
        }
    }
    return url;
}

Result<DatabaseUrl> parsePostgres(QStringView text)
{
    // Percent-decoding is done per component, after splitting, so an encoded
    // '@', ':' or '/' inside a password stays part of the password.
    const qsizetype schemeEnd = text.indexOf(u"://");
    QStringView rest = text.sliced(schemeEnd + 3);
    QStringView query;
    if (const qsizetype q = rest.indexOf(u'?'); q >= 0) {
        query = rest.sliced(q + 1);
        rest = rest.first(q);
    }
    QStringView authority = rest;
    QStringView dbPart;
    if (const qsizetype slash = rest.indexOf(u'/'); slash >= 0) {
        authority = rest.first(slash);
        dbPart = rest.sliced(slash + 1);
    }

    DatabaseUrl url;
    url.dialect = SqlDialect(SqlDialect::Kind::PostgreSql);
    const auto decode = [](QStringView part) { return QUrl::fromPercentEncoding(part.toUtf8()); };

    QStringView hostPort = authority;
    if (const qsizetype at = authority.lastIndexOf(u'@'); at >= 0) {
        const QStringView userInfo = authority.first(at);
        hostPort = authority.sliced(at + 1);
        if (const qsizetype colon = userInfo.indexOf(u':'); colon >= 0) {
            url.user = decode(userInfo.first(colon));
            url.password = decode(userInfo.sliced(colon + 1));
        } else {
            url.user = decode(userInfo);
        }
    }
    // [v6addr]:port, host:port, host
    QStringView hostText = hostPort;
    QStringView portText;
    if (hostPort.startsWith(u'[')) {
        const qsizetype close = hostPort.indexOf(u']');
        if (close < 0)
            return urlError(u"unterminated IPv6 address"_s);
        hostText = hostPort.sliced(1, close - 1);
        const QStringView after = hostPort.sliced(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(u':'))
                return urlError(u"unexpected text after IPv6 address"_s);
            portText = after.sliced(1);
        }
    } else if (const qsizetype colon = hostPort.lastIndexOf(u':'); colon >= 0) {
        hostText = hostPort.first(colon);
        portText = hostPort.sliced(colon + 1);
    }
    url.host = decode(hostText);
    if (!portText.isEmpty()) {
        bool ok = false;
        const int port = portText.toInt(&ok);
        if (!ok || port < 1 || port > 65535)
            return urlError(u"port must be 1-65535"_s);
        url.port = port;
    }
    url.databaseName = decode(dbPart);

    for (QStringView pair : query.split(u'&', Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(u'=');
        if (eq <= 0)
            return urlError(u"query options must be key=value"_s);
        const QString key = decode(pair.first(eq));
        const QString value = decode(pair.sliced(eq + 1));
        if (key == "host"_L1) {
            url.host = value;
        } else if (key == "port"_L1) {
            bool ok = false;
            const int port = value.toInt(&ok);
            if (!ok || port < 1 || port > 65535)
                return urlError(u"port must be 1-65535"_s);
            url.port = port;
        } else if (key == "user"_L1) {
            url.user = value;
        } else if (key == "password"_L1) {
            url.password = value;
        } else if (key == "dbname"_L1) {
            url.databaseName = value;
        } else if (isAllowedPostgresOption(key)) {
            if (!isSafeOptionValue(value))
                return urlError(u"option \""_s + key + u"\" has an empty or unsafe value"_s);
            url.options.append({ key, value });
        } else {
            return urlError(u"unknown PostgreSQL option \""_s + key + u'"');
        }
    }
    if (url.host.isEmpty())
        return urlError(
            u"PostgreSQL URL without a host (use ?host=/socket/dir for a unix socket)"_s);
    if (url.databaseName.isEmpty())
        return urlError(u"PostgreSQL URL without a database name"_s);
    return url;
}

} // namespace

Result<DatabaseUrl> DatabaseUrl::parse(QStringView text, const QString &dataDir)
{
    text = text.trimmed();
    if (text.startsWith(u"sqlite:"))
        return parseSqlite(text.sliced(7), dataDir);
    if (text.startsWith(u"postgresql://") || text.startsWith(u"postgres://"))
        return parsePostgres(text);
    return urlError(u"expected sqlite:PATH or postgresql://user:password@host:port/dbname"_s);
}

QString DatabaseUrl::redacted() const
{
    if (dialect.isSqlite()) {
        QString text = inMemory ? u"sqlite::memory:"_s : u"sqlite:"_s + path;
        QStringList settings;
        if (synchronousFull)
            settings.append(u"synchronous=full"_s);
        if (walAutocheckpointPages != DatabaseUrl {}.walAutocheckpointPages)
            settings.append(u"wal_autocheckpoint="_s + QString::number(walAutocheckpointPages));
        if (!settings.isEmpty())
            text += u'?' + settings.join(u'&');
        return text;
    }
    const auto enc = [](const QString &s) { return QString::fromUtf8(QUrl::toPercentEncoding(s)); };
    QString text = u"postgresql://"_s;
    if (!user.isEmpty()) {
        text += enc(user);
        if (!password.isEmpty())
            text += u":***"_s;
        text += u'@';
    }
    const bool socketDir = host.startsWith(u'/');
    if (!socketDir)
        text += host.contains(u':') ? u'[' + host + u']' : host;
    text += u':' + QString::number(port) + u'/' + enc(databaseName);
    QStringList query;
    if (socketDir)
        query.append(u"host="_s + host);
    for (const auto &[key, value] : options)
        query.append(key + u'=' + value);
    if (!query.isEmpty())
        text += u'?' + query.join(u'&');
    return text;
}

QString DatabaseUrl::postgresConnectOptions() const
{
    QStringList parts;
    for (const auto &[key, value] : options)
        parts.append(key + u'=' + value);
    return parts.join(u';');
}

} // namespace parlance
