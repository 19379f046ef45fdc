#include "domain/jsontext.h"

#include "common/timestamp.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <cstring>

namespace parlance {

namespace {

constexpr char Hex[] = "0123456789abcdef";

// Bytes an ASCII character takes inside a JSON string.
constexpr int escapedSize(char16_t c)
{
    if (c == u'"' || c == u'\\' || c == u'\b' || c == u'\f' || c == u'\n' || c == u'\r'
        || c == u'\t')
        return 2;
    return c < 0x20 ? 6 : 1;
}

bool isHighSurrogate(char16_t c)
{
    return c >= 0xd800 && c < 0xdc00;
}

bool isLowSurrogate(char16_t c)
{
    return c >= 0xdc00 && c < 0xe000;
}

// UTF-8 size of the whole string once escaped, so that the text is written
// in one pass into space reserved once. Lone surrogates become U+FFFD (three
// bytes) so the text is always valid UTF-8.
// CharT: char16_t for UTF-16, uchar for Latin-1 (never a surrogate).
template<typename CharT> qsizetype encodedSize(const CharT *p, const CharT *end)
{
    qsizetype size = 0;
    while (p < end) {
        const char16_t c = *p++;
        if (c < 0x80)
            size += escapedSize(c);
        else if (c < 0x800)
            size += 2;
        else if (isHighSurrogate(c) && p < end && isLowSurrogate(*p)) {
            size += 4;
            ++p;
        } else
            size += 3;
    }
    return size;
}

char *writeEscapedAscii(char *out, char16_t c)
{
    switch (c) {
    case u'"':
        *out++ = '\\';
        *out++ = '"';
        return out;
    case u'\\':
        *out++ = '\\';
        *out++ = '\\';
        return out;
    case u'\b':
        *out++ = '\\';
        *out++ = 'b';
        return out;
    case u'\f':
        *out++ = '\\';
        *out++ = 'f';
        return out;
    case u'\n':
        *out++ = '\\';
        *out++ = 'n';
        return out;
    case u'\r':
        *out++ = '\\';
        *out++ = 'r';
        return out;
    case u'\t':
        *out++ = '\\';
        *out++ = 't';
        return out;
    default:
        break;
    }
    if (c < 0x20) {
        std::memcpy(out, "\\u00", 4);
        out[4] = Hex[c >> 4];
        out[5] = Hex[c & 0xf];
        return out + 6;
    }
    *out++ = char(c);
    return out;
}

template<typename CharT> char *writeEncoded(char *out, const CharT *p, const CharT *end)
{
    while (p < end) {
        const char16_t c = *p++;
        if (c < 0x80) {
            out = writeEscapedAscii(out, c);
        } else if (c < 0x800) {
            *out++ = char(0xc0 | (c >> 6));
            *out++ = char(0x80 | (c & 0x3f));
        } else if (isHighSurrogate(c) && p < end && isLowSurrogate(*p)) {
            const char32_t cp =
                0x10000 + ((char32_t(c) - 0xd800) << 10) + (char32_t(*p++) - 0xdc00);
            *out++ = char(0xf0 | (cp >> 18));
            *out++ = char(0x80 | ((cp >> 12) & 0x3f));
            *out++ = char(0x80 | ((cp >> 6) & 0x3f));
            *out++ = char(0x80 | (cp & 0x3f));
        } else if (isHighSurrogate(c) || isLowSurrogate(c)) {
            *out++ = char(0xef);
            *out++ = char(0xbf);
            *out++ = char(0xbd);
        } else {
            *out++ = char(0xe0 | (c >> 12));
            *out++ = char(0x80 | ((c >> 6) & 0x3f));
            *out++ = char(0x80 | (c & 0x3f));
        }
    }
    return out;
}

} // namespace

JsonText &JsonText::beginObject()
{
    separate();
    m_out.append('{');
    m_needComma = false;
    return *this;
}

JsonText &JsonText::endObject()
{
    m_out.append('}');
    m_needComma = true;
    return *this;
}

JsonText &JsonText::beginArray()
{
    separate();
    m_out.append('[');
    m_needComma = false;
    return *this;
}

JsonText &JsonText::endArray()
{
    m_out.append(']');
    m_needComma = true;
    return *this;
}

JsonText &JsonText::key(QLatin1StringView name)
{
    separate();
    m_out.append('"').append(name.data(), name.size()).append("\":", 2);
    m_needComma = false;
    return *this;
}

template<typename CharT> void JsonText::quoted(const CharT *begin, const CharT *end)
{
    separate();
    const qsizetype start = m_out.size();
    m_out.resize(start + encodedSize(begin, end) + 2);
    char *out = m_out.data() + start;
    *out++ = '"';
    out = writeEncoded(out, begin, end);
    *out = '"';
    m_needComma = true;
}

JsonText &JsonText::string(QStringView value)
{
    quoted(value.utf16(), value.utf16() + value.size());
    return *this;
}

JsonText &JsonText::string(QLatin1StringView value)
{
    const auto *begin = reinterpret_cast<const uchar *>(value.data());
    quoted(begin, begin + value.size());
    return *this;
}

JsonText &JsonText::timestamp(const QDateTime &value)
{
    if (!value.isValid())
        return null();
    // toIso() is ASCII digits and punctuation: nothing to escape.
    separate();
    m_out.append('"').append(timestamp::toIso(value).toLatin1()).append('"');
    m_needComma = true;
    return *this;
}

JsonText &JsonText::integer(qint64 value)
{
    separate();
    char digits[24];
    char *end = digits + sizeof digits;
    char *p = end;
    // Unsigned arithmetic: -INT64_MIN does not fit a qint64.
    quint64 magnitude = value < 0 ? 0 - quint64(value) : quint64(value);
    do {
        *--p = char('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    if (value < 0)
        *--p = '-';
    m_out.append(p, end - p);
    m_needComma = true;
    return *this;
}

JsonText &JsonText::boolean(bool value)
{
    separate();
    m_out.append(value ? QByteArrayView("true") : QByteArrayView("false"));
    m_needComma = true;
    return *this;
}

JsonText &JsonText::null()
{
    separate();
    m_out.append("null", 4);
    m_needComma = true;
    return *this;
}

JsonText &JsonText::value(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return null();
    case QJsonValue::Bool:
        return boolean(value.toBool());
    case QJsonValue::String:
        return string(value.toString());
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (d == double(qint64(d)) && qAbs(d) < 9007199254740992.0)
            return integer(qint64(d));
        return raw(
            QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact).chopped(1).mid(1));
    }
    case QJsonValue::Array:
        return raw(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return raw(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return null();
}

JsonText &JsonText::raw(QByteArrayView json)
{
    separate();
    m_out.append(json);
    m_needComma = true;
    return *this;
}

} // namespace parlance
