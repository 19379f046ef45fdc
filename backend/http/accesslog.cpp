#include "http/accesslog.h"

#include "contract/errorcodes.h"
#include "http/httplog.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace parlance::http {

Q_LOGGING_CATEGORY(lcHttp, "parlance.http")

Result<std::unique_ptr<AccessLog>> AccessLog::open(const QString &target)
{
    if (target == u"-")
        return std::unique_ptr<AccessLog>(new AccessLog(stdout, false));
    std::FILE *file = std::fopen(QFile::encodeName(target).constData(), "ae");
    if (!file)
        return ApiError { QString(errc::InvalidField),
                          u"Cannot open the access log \"%1\" for appending."_s.arg(target),
                          {} };
    return std::unique_ptr<AccessLog>(new AccessLog(file, true));
}

AccessLog::~AccessLog()
{
    if (m_owned)
        std::fclose(m_file);
}

void AccessLog::write(const Entry &entry)
{
    QJsonObject line {
        { u"ts"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) },
        { u"request_id"_s, entry.requestId },
        { u"user_id"_s, entry.userId.isEmpty() ? QJsonValue() : QJsonValue(entry.userId) },
        { u"method"_s, entry.method },
        { u"path"_s, entry.path },
        { u"status"_s, entry.status },
        { u"duration_ms"_s, qRound(entry.durationMs * 1000) / 1000.0 },
        { u"bytes"_s, entry.bytes },
        { u"thread"_s, entry.thread.isEmpty() ? QJsonValue() : QJsonValue(entry.thread) },
    };
    QByteArray text = QJsonDocument(line).toJson(QJsonDocument::Compact);
    text.append('\n');
    std::lock_guard lock(m_mutex);
    std::fwrite(text.constData(), 1, size_t(text.size()), m_file);
    std::fflush(m_file);
}

} // namespace parlance::http
