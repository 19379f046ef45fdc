#pragma once

#include <QLatin1StringView>
#include <QMetaType>
#include <QString>

namespace parlance {

// Why an HTTP exchange failed, as a value. `kind` is what callers branch on;
// `message` is a short human detail (never headers or body bytes).
struct HttpError
{
    enum class Kind {
        None, // no error: the response was read to its end
        ConnectionRefused,
        HostNotFound, // DNS
        Tls, // handshake or certificate verification
        // The peer closed or reset the connection before the response ended
        // (before its first byte when `beforeResponse`).
        ConnectionClosed,
        Network, // any other socket error
        MalformedResponse, // not HTTP/1.x, bad chunk framing, bad Content-Length
        HeadersTooLarge, // status line + headers over the cap
        InvalidRequest, // nothing sent: bad URL, CR/LF in a header
        Shutdown, // the pool (its client) was destroyed
    };

    Kind kind = Kind::None;
    QString message;
    // No byte of the response had arrived (so a request on a reused
    // connection may be retried on a fresh one).
    bool beforeResponse = false;

    [[nodiscard]] bool ok() const { return kind == Kind::None; }
    [[nodiscard]] static QLatin1StringView kindName(Kind kind);
};

} // namespace parlance

Q_DECLARE_METATYPE(parlance::HttpError)
