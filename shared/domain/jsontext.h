#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>
#include <QStringView>

class QJsonValue;
class QDateTime;

namespace parlance {

// Writes compact JSON text straight into a byte array, in the order it is
// called. The API's list and history answers are hundreds of objects: going
// through QJsonObject costs a tree of QCborValues, key sorting and a second
// pass in QJsonDocument, which was half of the server's CPU per list request
// (docs/benchmarks.md). This writer makes one pass and one growing buffer.
//
// The caller keeps the structure valid (keys only inside objects, every
// begin matched by an end); commas are placed automatically.
class JsonText
{
public:
    JsonText() = default;
    explicit JsonText(qsizetype reserve) { m_out.reserve(reserve); }

    JsonText &beginObject();
    JsonText &endObject();
    JsonText &beginArray();
    JsonText &endArray();

    // Keys are the API's own ASCII names: written as given, not escaped.
    JsonText &key(QLatin1StringView name);

    JsonText &string(QStringView value);
    JsonText &string(QLatin1StringView value);
    // "2026-11-25T12:00:00.000Z"; an invalid QDateTime is null.
    JsonText &timestamp(const QDateTime &value);
    JsonText &integer(qint64 value);
    JsonText &boolean(bool value);
    JsonText &null();
    // Any QJsonValue (objects and arrays go through QJsonDocument): for the
    // rare free-form values such as provider metadata.
    JsonText &value(const QJsonValue &value);
    // Text that is already one valid JSON value.
    JsonText &raw(QByteArrayView json);

    [[nodiscard]] const QByteArray &text() const { return m_out; }
    [[nodiscard]] QByteArray take() { return std::move(m_out); }

private:
    template<typename CharT> void quoted(const CharT *begin, const CharT *end);
    void separate()
    {
        if (m_needComma)
            m_out.append(',');
    }

    QByteArray m_out;
    bool m_needComma = false;
};

} // namespace parlance
