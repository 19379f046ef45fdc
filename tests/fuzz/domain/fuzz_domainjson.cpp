#include "common/money.h"
#include "common/tokenestimate.h"
#include "domain/conversation.h"
#include "domain/folder.h"
#include "domain/message.h"
#include "domain/modelinfo.h"
#include "domain/quota.h"
#include "domain/sharelink.h"
#include "domain/usage.h"
#include "domain/usagesummary.h"
#include "domain/user.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <cstdlib>

using namespace parlance;

namespace {

// Anything fromJson accepts must come back identical through toJson, also
// through the text form.
template<typename T> void checkRoundTrip(const QJsonObject &json)
{
    const Result<T> parsed = T::fromJson(json);
    if (!parsed.ok()) {
        if (parsed.error().code.isEmpty() || parsed.error().message.isEmpty())
            std::abort();
        return;
    }
    const QJsonObject written = parsed->toJson();
    const QJsonObject reread = QJsonDocument::fromJson(QJsonDocument(written).toJson()).object();
    const Result<T> back = T::fromJson(reread);
    if (!back.ok() || !(back.value() == parsed.value()) || back->toJson() != written)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));

    const QJsonDocument document = QJsonDocument::fromJson(bytes);
    if (document.isObject()) {
        const QJsonObject json = document.object();
        checkRoundTrip<User>(json);
        checkRoundTrip<Conversation>(json);
        checkRoundTrip<Folder>(json);
        checkRoundTrip<Message>(json);
        checkRoundTrip<ContentPart>(json);
        checkRoundTrip<Usage>(json);
        checkRoundTrip<ModelInfo>(json);
        checkRoundTrip<ShareLink>(json);
        checkRoundTrip<Quota>(json);
        checkRoundTrip<UsageSummary>(json);
    }

    const QString text = QString::fromUtf8(bytes);
    if (const Result<Money> money = Money::parse(text); money.ok()) {
        const Result<Money> back = Money::parse(money->toString());
        if (!back.ok() || back.value() != money.value())
            std::abort();
    }
    const qint64 tokens = TokenEstimate::forText(text);
    // No text costs more than two tokens per UTF-16 unit, or less than nothing.
    if (tokens < 0 || tokens > 2 * text.size() + 1)
        std::abort();
    return 0;
}
