#include "auth/passwordpolicy.h"

#include "auth/passwordhasher.h"
#include "contract/errorcodes.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

ApiError weak(const QString &message)
{
    return ApiError { QString(errc::WeakPassword), message, {} };
}

} // namespace

PasswordPolicy::PasswordPolicy(PasswordPolicySettings settings)
    : m_settings(settings)
{
    m_settings.maxBytes =
        std::clamp(m_settings.maxBytes, 1, static_cast<int>(PasswordHasher::MaxPasswordBytes));
    m_settings.minCharacters = std::max(m_settings.minCharacters, 1);
}

Status PasswordPolicy::check(const QString &password, const QString &email) const
{
    // UTF-8 never has fewer bytes than UTF-16 has code units, so this bounds
    // the normalisation below without changing any answer.
    if (password.size() > m_settings.maxBytes) {
        return weak(u"The password is too long: at most "_s + QString::number(m_settings.maxBytes)
                    + u" bytes."_s);
    }
    const QString normalised = password.normalized(QString::NormalizationForm_KC);
    if (normalised.toUtf8().size() > m_settings.maxBytes) {
        return weak(u"The password is too long: at most "_s + QString::number(m_settings.maxBytes)
                    + u" bytes."_s);
    }

    const QList<uint> codePoints = normalised.toUcs4();
    if (codePoints.size() < m_settings.minCharacters) {
        return weak(u"The password must be at least "_s + QString::number(m_settings.minCharacters)
                    + u" characters long."_s);
    }
    if (normalised.trimmed().isEmpty())
        return weak(u"The password cannot consist only of spaces."_s);
    if (std::all_of(codePoints.cbegin(), codePoints.cend(),
                    [first = codePoints.front()](uint c) { return c == first; })) {
        return weak(u"The password cannot be a single character repeated."_s);
    }

    const QString address = email.trimmed();
    if (!address.isEmpty()) {
        const QString candidate = normalised.trimmed();
        const QString localPart = address.left(address.lastIndexOf(u'@'));
        if (candidate.compare(address, Qt::CaseInsensitive) == 0
            || (!localPart.isEmpty() && candidate.compare(localPart, Qt::CaseInsensitive) == 0)) {
            return weak(u"The password cannot be your email address."_s);
        }
    }
    return Done {};
}

} // namespace parlance
