#include "appinfo.h"

#include <QtGlobal>

using namespace Qt::StringLiterals;

QString AppInfo::name() const
{
    return u"Parlance"_s;
}

QString AppInfo::version() const
{
    return QStringLiteral(PARLANCE_VERSION);
}

QString AppInfo::qtVersion() const
{
    return QString::fromLatin1(qVersion());
}
