#include "providers/requestcommon.h"

#include "contract/errorcodes.h"

using namespace Qt::StringLiterals;

namespace parlance::RequestCommon {

namespace {

ApiError invalid(const QString &message)
{
    return ApiError { QString(errc::InvalidField), message, std::nullopt };
}

} // namespace

QUrl endpointUrl(const QUrl &base, QStringView endpoint)
{
    QUrl url = base;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + u'/' + endpoint);
    return url;
}

Status validate(const ProviderRequest &request)
{
    if (request.messages.isEmpty())
        return invalid(u"a generation needs at least one message"_s);
    for (const ProviderMessage &message : request.messages) {
        for (const ProviderContentPart &part : message.parts) {
            if (!part.isImage())
                continue;
            if (message.role != Message::Role::User)
                return invalid(u"images are only allowed in user messages"_s);
            if (!isSupportedImageType(part.mimeType))
                return invalid(u"unsupported image type: "_s + part.mimeType.left(64));
            if (part.data.isEmpty())
                return invalid(u"empty image"_s);
        }
    }
    if (request.maxOutputTokens && *request.maxOutputTokens < 1)
        return invalid(u"max output tokens must be positive"_s);
    return Done {};
}

QString joinedText(const ProviderMessage &message)
{
    QStringList texts;
    for (const ProviderContentPart &part : message.parts) {
        if (part.isText())
            texts.append(part.text);
    }
    return texts.join(u"\n\n"_s);
}

QString dataUrl(const ProviderContentPart &image)
{
    return u"data:"_s + image.mimeType + u";base64,"_s + QString::fromLatin1(image.data.toBase64());
}

} // namespace parlance::RequestCommon
