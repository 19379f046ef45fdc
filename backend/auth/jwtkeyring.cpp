#include "auth/jwtkeyring.h"

#include "contract/errorcodes.h"

#include <QFile>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

constexpr qint64 MaxKeyFileBytes = 64 * 1024;

ApiError invalid(const QString &message)
{
    return ApiError { QString(errc::InvalidField), message, {} };
}

bool isKeyIdChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
        || c == u'.' || c == u'_' || c == u'-';
}

Status checkKey(const JwtKey &key)
{
    if (key.id.isEmpty() || key.id.size() > JwtKeyRing::MaxKeyIdLength
        || !std::all_of(key.id.cbegin(), key.id.cend(), isKeyIdChar)) {
        return invalid(u"A JWT key id must be 1 to "_s + QString::number(JwtKeyRing::MaxKeyIdLength)
                       + u" characters from A-Z, a-z, 0-9, '.', '_' and '-'."_s);
    }
    if (key.secret.size() < JwtKeyRing::MinSecretBytes) {
        return invalid(u"The JWT key \""_s + key.id + u"\" must be at least "_s
                       + QString::number(JwtKeyRing::MinSecretBytes) + u" bytes long."_s);
    }
    return Done {};
}

Result<QByteArray> decodeBase64Spec(QByteArrayView text, const QString &where)
{
    QByteArray compact = text.trimmed().toByteArray();
    compact.replace('-', '+').replace('_', '/');
    while (compact.endsWith('='))
        compact.chop(1);
    auto decoded = QByteArray::fromBase64Encoding(
        compact, QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok || compact.isEmpty())
        return invalid(u"The JWT key "_s + where + u" is not valid base64."_s);
    return std::move(decoded.decoded);
}

} // namespace

Result<JwtKeyRing> JwtKeyRing::create(JwtKey signingKey, QList<JwtKey> verificationKeys)
{
    QList<JwtKey> keys;
    keys.reserve(verificationKeys.size() + 1);
    keys.append(std::move(signingKey));
    keys.append(std::move(verificationKeys));
    for (qsizetype i = 0; i < keys.size(); ++i) {
        if (auto valid = checkKey(keys[i]); !valid)
            return valid.error();
        for (qsizetype j = 0; j < i; ++j) {
            if (keys[j].id == keys[i].id)
                return invalid(u"The JWT key id \""_s + keys[i].id + u"\" is used twice."_s);
        }
    }
    return JwtKeyRing(std::move(keys));
}

Result<QByteArray> JwtKeyRing::secretFromSpec(const QString &spec)
{
    if (spec.startsWith(u"base64:"))
        return decodeBase64Spec(QStringView(spec).mid(7).toLatin1(), u"value"_s);
    if (!spec.startsWith(u"file:"))
        return spec.toUtf8();

    const QString path = spec.mid(5);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return invalid(u"The JWT key file "_s + path + u" cannot be read: "_s + file.errorString());
    if (file.size() > MaxKeyFileBytes)
        return invalid(u"The JWT key file "_s + path + u" is too large to be a key."_s);
    QByteArray content = file.read(MaxKeyFileBytes);
    if (content.endsWith('\n'))
        content.chop(1);
    if (content.endsWith('\r'))
        content.chop(1);
    if (content.startsWith("base64:"))
        return decodeBase64Spec(QByteArrayView(content).sliced(7), u"in file "_s + path);
    return content;
}

const QByteArray *JwtKeyRing::secretFor(QStringView keyId) const
{
    for (const JwtKey &key : m_keys) {
        if (key.id == keyId)
            return &key.secret;
    }
    return nullptr;
}

QStringList JwtKeyRing::keyIds() const
{
    QStringList ids;
    ids.reserve(m_keys.size());
    for (const JwtKey &key : m_keys)
        ids.append(key.id);
    return ids;
}

} // namespace parlance
