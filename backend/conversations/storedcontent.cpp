#include "conversations/storedcontent.h"

#include "conversations/conversationslog.h"
#include "domain/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace parlance::storedcontent {

namespace {

// A cursor over UTF-16 JSON text that accepts only what the common shape
// needs; every method returns false on anything else.
class Scanner
{
public:
    explicit Scanner(QStringView text)
        : m_p(text.utf16())
        , m_end(text.utf16() + text.size())
    { }

    [[nodiscard]] bool atEnd()
    {
        skipSpace();
        return m_p == m_end;
    }

    [[nodiscard]] bool take(char16_t c)
    {
        skipSpace();
        if (m_p == m_end || *m_p != c)
            return false;
        ++m_p;
        return true;
    }

    [[nodiscard]] bool peek(char16_t c)
    {
        skipSpace();
        return m_p != m_end && *m_p == c;
    }

    [[nodiscard]] bool string(QString *out)
    {
        if (!take(u'"'))
            return false;
        // Fast path: no escapes, one copy.
        const char16_t *start = m_p;
        while (m_p != m_end && *m_p != u'"' && *m_p != u'\\') {
            if (*m_p < 0x20)
                return false;
            ++m_p;
        }
        if (m_p == m_end)
            return false;
        if (*m_p == u'"') {
            *out = QString(reinterpret_cast<const QChar *>(start), m_p - start);
            ++m_p;
            return true;
        }
        QString value(reinterpret_cast<const QChar *>(start), m_p - start);
        while (m_p != m_end) {
            const char16_t c = *m_p++;
            if (c == u'"') {
                *out = std::move(value);
                return true;
            }
            if (c < 0x20)
                return false;
            if (c != u'\\') {
                value.append(QChar(c));
                continue;
            }
            if (m_p == m_end)
                return false;
            switch (*m_p++) {
            case u'"':
                value.append(u'"');
                break;
            case u'\\':
                value.append(u'\\');
                break;
            case u'/':
                value.append(u'/');
                break;
            case u'b':
                value.append(u'\b');
                break;
            case u'f':
                value.append(u'\f');
                break;
            case u'n':
                value.append(u'\n');
                break;
            case u'r':
                value.append(u'\r');
                break;
            case u't':
                value.append(u'\t');
                break;
            case u'u': {
                if (m_end - m_p < 4)
                    return false;
                char16_t unit = 0;
                for (int i = 0; i < 4; ++i) {
                    const char16_t h = *m_p++;
                    unit <<= 4;
                    if (h >= u'0' && h <= u'9')
                        unit |= h - u'0';
                    else if (h >= u'a' && h <= u'f')
                        unit |= h - u'a' + 10;
                    else if (h >= u'A' && h <= u'F')
                        unit |= h - u'A' + 10;
                    else
                        return false;
                }
                value.append(QChar(unit));
                break;
            }
            default:
                return false;
            }
        }
        return false;
    }

private:
    void skipSpace()
    {
        while (m_p != m_end && (*m_p == u' ' || *m_p == u'\n' || *m_p == u'\r' || *m_p == u'\t'))
            ++m_p;
    }

    const char16_t *m_p;
    const char16_t *m_end;
};

struct Fields
{
    QString type, text, fileId, mimeType, name;
    bool hasText = false, hasFileId = false, hasMimeType = false, hasName = false;
};

std::optional<ContentPart> partFrom(const Fields &f)
{
    if (f.type == "text"_L1 && f.hasText && !f.hasFileId && !f.hasMimeType && !f.hasName)
        return ContentPart::fromText(f.text);
    if (f.type == "file"_L1 && !f.hasText && f.hasFileId && !f.fileId.isEmpty() && f.hasMimeType
        && !f.mimeType.isEmpty() && f.hasName)
        return ContentPart::fromFile(f.fileId, f.mimeType, f.name);
    return std::nullopt;
}

bool readObject(Scanner &in, Fields *f)
{
    if (!in.take(u'{'))
        return false;
    bool hasType = false;
    QString key;
    for (bool first = true; !in.take(u'}'); first = false) {
        if (!first && !in.take(u','))
            return false;
        if (!in.string(&key) || !in.take(u':'))
            return false;
        QString *target = nullptr;
        bool *seen = nullptr;
        if (key == "type"_L1)
            target = &f->type, seen = &hasType;
        else if (key == "text"_L1)
            target = &f->text, seen = &f->hasText;
        else if (key == "file_id"_L1)
            target = &f->fileId, seen = &f->hasFileId;
        else if (key == "mime_type"_L1)
            target = &f->mimeType, seen = &f->hasMimeType;
        else if (key == "name"_L1)
            target = &f->name, seen = &f->hasName;
        if (!target || *seen || !in.string(target))
            return false;
        *seen = true;
    }
    return hasType;
}

QList<ContentPart> decodeGeneral(QStringView json)
{
    QList<ContentPart> content;
    const QJsonArray parts = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue &value : parts) {
        auto part = ContentPart::fromJson(value.toObject());
        if (part)
            content.append(std::move(part).value());
        else
            qCWarning(lcConversations)
                << "skipped a stored content part that does not parse:" << part.error().code;
    }
    return content;
}

} // namespace

QString encode(const QList<ContentPart> &content)
{
    JsonText out;
    out.beginArray();
    for (const ContentPart &part : content)
        part.writeJson(out);
    out.endArray();
    return QString::fromUtf8(out.text());
}

std::optional<QList<ContentPart>> decodeCommonShape(QStringView json)
{
    Scanner in(json);
    if (!in.take(u'['))
        return std::nullopt;
    QList<ContentPart> content;
    for (bool first = true; !in.take(u']'); first = false) {
        if (!first && !in.take(u','))
            return std::nullopt;
        if (!in.peek(u'{'))
            return std::nullopt;
        Fields fields;
        if (!readObject(in, &fields))
            return std::nullopt;
        auto part = partFrom(fields);
        if (!part)
            return std::nullopt;
        content.append(std::move(*part));
    }
    if (!in.atEnd())
        return std::nullopt;
    return content;
}

QList<ContentPart> decode(QStringView json)
{
    if (auto common = decodeCommonShape(json))
        return std::move(*common);
    return decodeGeneral(json);
}

} // namespace parlance::storedcontent
