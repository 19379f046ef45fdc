#include "jsonwriter.h"

#include <QList>

namespace parlance::sim::json {

QByteArray string(QStringView text)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 2);
    out += '"';
    for (const char c : utf8) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                out += "\\u00";
                out += QByteArray::number(static_cast<unsigned char>(c), 16).rightJustified(2, '0');
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

QByteArray object(std::initializer_list<Field> fields)
{
    QByteArray out = "{";
    bool first = true;
    for (const auto &[name, value] : fields) {
        if (!first)
            out += ',';
        first = false;
        out += '"';
        out += name;
        out += "\":";
        out += value;
    }
    out += '}';
    return out;
}

QByteArray array(std::initializer_list<QByteArray> items)
{
    return arrayOf(QList<QByteArray>(items));
}

QByteArray arrayOf(const QList<QByteArray> &items)
{
    return '[' + items.join(',') + ']';
}

} // namespace parlance::sim::json
