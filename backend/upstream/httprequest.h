#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QHashFunctions>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>
#include <utility>

namespace parlance {

// Where a connection goes: what a pooled connection can be reused for.
struct HttpOrigin
{
    bool tls = false;
    QString host;
    quint16 port = 0;

    // http and https URLs with a host; nullopt otherwise.
    [[nodiscard]] static std::optional<HttpOrigin> fromUrl(const QUrl &url);
    [[nodiscard]] QString toString() const; // scheme://host:port, for logs

    friend bool operator==(const HttpOrigin &a, const HttpOrigin &b)
    {
        return a.tls == b.tls && a.port == b.port && a.host == b.host;
    }
};

[[nodiscard]] inline size_t qHash(const HttpOrigin &origin, size_t seed = 0)
{
    return qHashMulti(seed, origin.tls, origin.host, origin.port);
}

using HttpHeaderList = QList<std::pair<QByteArray, QByteArray>>;

// One outgoing request. Header names compare case-insensitively; Host and
// Content-Length are written by serialize(), never taken from `headers`.
struct HttpRequest
{
    QByteArray method = "POST";
    QUrl url;
    HttpHeaderList headers;
    QByteArray body;

    // Replaces every header of that name (so an operator's extra header
    // overrides ours instead of doubling it).
    void setHeader(QByteArrayView name, const QByteArray &value);
    [[nodiscard]] QByteArray header(QByteArrayView name) const; // empty when absent
    [[nodiscard]] bool hasHeader(QByteArrayView name) const;

    // Refuses (invalid_field) a URL that is not http(s) with a host, and
    // CR, LF or NUL in the method or a header (header injection).
    [[nodiscard]] Status validate() const;
    // The bytes on the wire, for a request that validate() accepted.
    // `absoluteForm` writes the full URL as the target (a request to a
    // plain-HTTP proxy); `proxyAuthorization` is that proxy's credentials.
    [[nodiscard]] QByteArray serialize(bool absoluteForm = false,
                                       const QByteArray &proxyAuthorization = {}) const;
};

} // namespace parlance
