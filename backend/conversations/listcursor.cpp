#include "conversations/listcursor.h"

#include "conversations/conversationrules.h"

#include <QByteArray>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

constexpr auto Options = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
constexpr QByteArrayView Prefix = "v1:";
constexpr int MaxCursorChars = 512; // Ids are short; anything longer is not ours.

} // namespace

QString ListCursor::encode() const
{
    const QByteArray raw = QByteArray(Prefix.data(), Prefix.size())
        + QByteArray::number(lastActivityAt.toMSecsSinceEpoch()) + ':' + id.toUtf8();
    return QString::fromLatin1(raw.toBase64(Options));
}

Result<ListCursor> ListCursor::decode(const QString &text, const QString &field)
{
    const ApiError bad = invalidField(field, u"is not a cursor this server issued."_s);
    if (text.isEmpty() || text.size() > MaxCursorChars)
        return bad;
    const auto decoded = QByteArray::fromBase64Encoding(
        text.toLatin1(), Options | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return bad;
    const QByteArray &raw = *decoded;
    if (!raw.startsWith(Prefix))
        return bad;
    const qsizetype colon = raw.indexOf(':', Prefix.size());
    if (colon < 0)
        return bad;
    bool ok = false;
    const qint64 ms = raw.mid(Prefix.size(), colon - Prefix.size()).toLongLong(&ok);
    const QString id = QString::fromUtf8(raw.mid(colon + 1));
    if (!ok || ms < 0 || id.isEmpty())
        return bad;
    return ListCursor { QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC), id };
}

} // namespace parlance
