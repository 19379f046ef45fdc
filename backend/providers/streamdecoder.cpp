#include "providers/streamdecoder.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

QString stringOrNumber(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    return {};
}

} // namespace

UpstreamErrorInfo parseUpstreamError(const QJsonObject &object)
{
    UpstreamErrorInfo info;
    const QJsonValue error = object.value("error"_L1);
    if (error.isString()) {
        info.message = error.toString();
        return info;
    }
    const QJsonObject inner = error.isObject() ? error.toObject() : object;
    info.type = inner.value("type"_L1).toString();
    info.code = stringOrNumber(inner.value("code"_L1));
    info.message = inner.value("message"_L1).toString();
    return info;
}

UpstreamErrorInfo parseUpstreamError(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError && document.isObject())
        return parseUpstreamError(document.object());
    UpstreamErrorInfo info;
    // An HTML error page from a proxy: keep a little of it for the log.
    info.message = QString::fromUtf8(body.left(200));
    return info;
}

} // namespace parlance
