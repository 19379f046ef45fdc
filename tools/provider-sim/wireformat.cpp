#include "wireformat.h"

#include <QJsonArray>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace parlance::sim {

QString contentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QStringList parts;
    for (const QJsonValue &block : content.toArray()) {
        const QJsonObject object = block.toObject();
        if (object.value("type"_L1).toString() == "text"_L1)
            parts.append(object.value("text"_L1).toString());
    }
    return parts.join(u'\n');
}

QByteArray randomId(int length)
{
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QByteArray id(length, Qt::Uninitialized);
    for (char &c : id)
        c = alphabet[QRandomGenerator::global()->bounded(int(sizeof alphabet) - 1)];
    return id;
}

} // namespace parlance::sim
