#include "providers/providertypes.h"

using namespace Qt::StringLiterals;

namespace parlance {

QLatin1StringView providerKindName(ProviderKind kind)
{
    switch (kind) {
    case ProviderKind::OpenAiCompatible:
        return "openai"_L1;
    case ProviderKind::Anthropic:
        return "anthropic"_L1;
    }
    return "openai"_L1;
}

std::optional<ProviderKind> providerKindFromName(QStringView name)
{
    if (name == "openai"_L1)
        return ProviderKind::OpenAiCompatible;
    if (name == "anthropic"_L1)
        return ProviderKind::Anthropic;
    return std::nullopt;
}

ProviderContentPart ProviderContentPart::fromText(const QString &text)
{
    ProviderContentPart part;
    part.type = Type::Text;
    part.text = text;
    return part;
}

ProviderContentPart ProviderContentPart::fromImage(const QByteArray &data, const QString &mimeType)
{
    ProviderContentPart part;
    part.type = Type::Image;
    part.data = data;
    part.mimeType = mimeType;
    return part;
}

ProviderMessage ProviderMessage::text(Message::Role role, const QString &text)
{
    return ProviderMessage { role, { ProviderContentPart::fromText(text) } };
}

bool ProviderMessage::hasImages() const
{
    for (const ProviderContentPart &part : parts) {
        if (part.isImage())
            return true;
    }
    return false;
}

bool isSupportedImageType(const QString &mimeType)
{
    return mimeType == "image/png"_L1 || mimeType == "image/jpeg"_L1 || mimeType == "image/gif"_L1
        || mimeType == "image/webp"_L1;
}

} // namespace parlance
