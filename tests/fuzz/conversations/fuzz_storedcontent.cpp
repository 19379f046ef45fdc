// storedcontent::decodeCommonShape is a hand-written JSON scanner; the
// reference is QJsonDocument + ContentPart::fromJson. On any input: no crash;
// when the scanner accepts, the general path must accept every part and agree;
// what decode() returns, once stored, survives encode -> decode unchanged.
#include "conversations/storedcontent.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstdint>
#include <cstdlib>

using namespace parlance;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto fast = storedcontent::decodeCommonShape(text);
    if (fast) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isArray())
            std::abort();
        const QJsonArray parts = doc.array();
        if (parts.size() != fast->size())
            std::abort();
        for (qsizetype i = 0; i < parts.size(); ++i) {
            const auto part = ContentPart::fromJson(parts.at(i).toObject());
            if (!part || *part != fast->at(i))
                std::abort();
        }
    }
    // Lone surrogates (from \ud800-style escapes) are stored as U+FFFD, so the
    // first trip may normalise; from then on nothing changes.
    const QList<ContentPart> once =
        storedcontent::decode(storedcontent::encode(storedcontent::decode(text)));
    if (storedcontent::decode(storedcontent::encode(once)) != once)
        std::abort();
    return 0;
}
