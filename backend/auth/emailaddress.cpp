#include "auth/emailaddress.h"

#include "contract/errorcodes.h"

#include <QStringView>

#include <algorithm>
#include <optional>
#include <string_view>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

ApiError invalid(const QString &reason)
{
    return ApiError { QString(errc::InvalidField),
                      u"The email address is not valid: "_s + reason,
                      {} };
}

// Letters, digits, marks and symbols from outside ASCII; no spaces, controls,
// format characters (zero-width joiners and the like) or broken surrogates.
bool isAcceptableNonAscii(char32_t c)
{
    if (c < 0x80 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return false;
    switch (QChar::category(c)) {
    case QChar::Letter_Uppercase:
    case QChar::Letter_Lowercase:
    case QChar::Letter_Titlecase:
    case QChar::Letter_Modifier:
    case QChar::Letter_Other:
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Mark_Enclosing:
    case QChar::Number_DecimalDigit:
    case QChar::Number_Letter:
    case QChar::Number_Other:
        return true;
    default:
        return false;
    }
}

bool isAsciiAlnum(char32_t c)
{
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9');
}

// RFC 5322 atext.
bool isLocalChar(char32_t c)
{
    constexpr std::u32string_view specials = U"!#$%&'*+-/=?^_`{|}~";
    return isAsciiAlnum(c) || specials.find(c) != std::u32string_view::npos
        || isAcceptableNonAscii(c);
}

bool isLabelChar(char32_t c)
{
    return isAsciiAlnum(c) || c == U'-' || isAcceptableNonAscii(c);
}

bool hasBrokenSurrogates(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate()) {
            if (i + 1 >= text.size() || !text.at(i + 1).isLowSurrogate())
                return true;
            ++i;
        } else if (c.isLowSurrogate()) {
            return true;
        }
    }
    return false;
}

std::optional<ApiError> checkLocalPart(const QString &local)
{
    if (local.isEmpty())
        return invalid(u"the part before the @ is empty."_s);
    if (local.toUtf8().size() > EmailAddress::MaxLocalBytes)
        return invalid(u"the part before the @ is too long."_s);
    if (local.startsWith(u'.') || local.endsWith(u'.') || local.contains(u".."))
        return invalid(u"dots cannot start or end the name or come in pairs."_s);
    for (char32_t c : local.toUcs4()) {
        if (c != U'.' && !isLocalChar(c))
            return invalid(u"the part before the @ contains a character that is not allowed."_s);
    }
    return std::nullopt;
}

std::optional<ApiError> checkDomain(const QString &domain)
{
    if (domain.isEmpty())
        return invalid(u"the domain after the @ is empty."_s);
    const QStringList labels = domain.split(u'.');
    if (labels.size() < 2)
        return invalid(u"the domain needs a dot, like example.com."_s);
    for (const QString &label : labels) {
        if (label.isEmpty() || label.toUtf8().size() > EmailAddress::MaxLabelBytes)
            return invalid(u"the domain is not a valid name."_s);
        if (label.startsWith(u'-') || label.endsWith(u'-'))
            return invalid(u"a domain label cannot start or end with a hyphen."_s);
        for (char32_t c : label.toUcs4()) {
            if (!isLabelChar(c))
                return invalid(u"the domain contains a character that is not allowed."_s);
        }
    }
    // An all-numeric top label means an address literal such as 192.0.2.1.
    const QString &top = labels.last();
    if (std::all_of(top.cbegin(), top.cend(), [](QChar c) { return c.isDigit(); }))
        return invalid(u"the domain must be a name, not a number."_s);
    return std::nullopt;
}

} // namespace

Result<QString> EmailAddress::normalise(const QString &input)
{
    // Bounds the work below for absurd inputs before any normalisation.
    if (input.size() > 4 * MaxBytes)
        return invalid(u"it is too long."_s);
    if (hasBrokenSurrogates(input))
        return invalid(u"it contains invalid characters."_s);
    const QString address = input.trimmed().toLower().normalized(QString::NormalizationForm_C);
    if (address.isEmpty())
        return invalid(u"it is empty."_s);
    if (address.toUtf8().size() > MaxBytes)
        return invalid(u"it is too long."_s);

    const qsizetype at = address.indexOf(u'@');
    if (at < 0 || address.indexOf(u'@', at + 1) >= 0)
        return invalid(u"it needs exactly one @."_s);
    if (auto error = checkLocalPart(address.left(at)))
        return *error;
    if (auto error = checkDomain(address.mid(at + 1)))
        return *error;
    return address;
}

} // namespace parlance
