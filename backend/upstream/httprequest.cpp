#include "upstream/httprequest.h"

#include "contract/errorcodes.h"

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

bool safeHeaderText(QByteArrayView text)
{
    for (const char c : text) {
        if (c == '\r' || c == '\n' || c == '\0')
            return false;
    }
    return true;
}

ApiError invalid(const QString &message)
{
    return ApiError { QString(errc::InvalidField), message, std::nullopt };
}

} // namespace

std::optional<HttpOrigin> HttpOrigin::fromUrl(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    if ((scheme != "http"_L1 && scheme != "https"_L1) || url.host().isEmpty())
        return std::nullopt;
    HttpOrigin origin;
    origin.tls = scheme == "https"_L1;
    origin.host = url.host().toLower();
    origin.port = quint16(url.port(origin.tls ? 443 : 80));
    return origin;
}

QString HttpOrigin::toString() const
{
    return (tls ? u"https://"_s : u"http://"_s) + host + u':' + QString::number(port);
}

void HttpRequest::setHeader(QByteArrayView name, const QByteArray &value)
{
    headers.removeIf([name](const auto &header) { return sameName(header.first, name); });
    headers.append({ name.toByteArray(), value });
}

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (sameName(key, name))
            return value;
    }
    return {};
}

bool HttpRequest::hasHeader(QByteArrayView name) const
{
    for (const auto &header : headers) {
        if (sameName(header.first, name))
            return true;
    }
    return false;
}

Status HttpRequest::validate() const
{
    if (!HttpOrigin::fromUrl(url))
        return invalid(u"upstream URL must be http or https with a host"_s);
    if (method.isEmpty() || !safeHeaderText(method) || method.contains(' '))
        return invalid(u"invalid HTTP method"_s);
    for (const auto &[name, value] : headers) {
        if (name.isEmpty() || !safeHeaderText(name) || name.contains(':') || name.contains(' ')
            || !safeHeaderText(value))
            return invalid(u"invalid character in an upstream header"_s);
    }
    return Done {};
}

QByteArray HttpRequest::serialize(bool absoluteForm, const QByteArray &proxyAuthorization) const
{
    const std::optional<HttpOrigin> origin = HttpOrigin::fromUrl(url);
    if (!origin)
        return {};
    // IPv6 literals keep their brackets; the default port is left out, as
    // browsers and curl do (some virtual hosts match it literally).
    QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (url.port() != -1 && url.port() != (origin->tls ? 443 : 80))
        host += ':' + QByteArray::number(url.port());
    QByteArray target = url.path(QUrl::FullyEncoded).toUtf8();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toUtf8();
    if (absoluteForm)
        target = "http://" + host + target;

    QByteArray out;
    out.reserve(256 + body.size());
    out += method + ' ' + target + " HTTP/1.1\r\nhost: " + host + "\r\n";
    if (!proxyAuthorization.isEmpty())
        out += "proxy-authorization: " + proxyAuthorization + "\r\n";
    for (const auto &[name, value] : headers) {
        if (sameName(name, "host") || sameName(name, "content-length")
            || sameName(name, "transfer-encoding") || sameName(name, "proxy-authorization"))
            continue;
        out += name + ": " + value + "\r\n";
    }
    if (!body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH")
        out += "content-length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

} // namespace parlance
