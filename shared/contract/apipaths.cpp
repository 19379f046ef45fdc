#include "contract/apipaths.h"

#include <QUrl>

namespace parlance::api {

namespace {
const QString placeholder = QStringLiteral("<arg>");

void fillNext(QString &out, const QString &arg)
{
    const qsizetype at = out.indexOf(placeholder);
    Q_ASSERT_X(at >= 0, "api::path", "more arguments than placeholders");
    if (at >= 0)
        out.replace(at, placeholder.size(), QString::fromUtf8(QUrl::toPercentEncoding(arg)));
}
} // namespace

QString path(QLatin1StringView templ, const QString &arg)
{
    QString out = templ;
    fillNext(out, arg);
    return out;
}

QString path(QLatin1StringView templ, const QString &arg, const QString &arg2)
{
    QString out = templ;
    fillNext(out, arg);
    fillNext(out, arg2);
    return out;
}

} // namespace parlance::api
