#include "sse/ssewriter.h"

#include "contract/errorcodes.h"

#include <cstring>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

ApiError invalid(const QString &message)
{
    return ApiError { errc::InvalidField, message, std::nullopt };
}

// Appends `prefix` + each line of the UTF-8 `text` + "\n". CR and LF are ASCII
// and never occur inside a multi-byte UTF-8 sequence, so splitting the bytes
// splits the text.
void appendLines(QByteArray &out, QByteArrayView prefix, QByteArrayView text)
{
    const char *p = text.data();
    const char *const end = p + text.size();
    while (true) {
        const char *lineEnd = p;
        while (lineEnd < end && *lineEnd != '\n' && *lineEnd != '\r')
            ++lineEnd;
        out.append(prefix);
        out.append(p, lineEnd - p);
        out.append('\n');
        if (lineEnd == end)
            return;
        p = lineEnd + 1;
        if (*lineEnd == '\r' && p < end && *p == '\n')
            ++p;
    }
}

bool hasLineBreak(QStringView text)
{
    return text.contains(u'\n') || text.contains(u'\r');
}

} // namespace

QString SseWriter::idProblem(QStringView id)
{
    if (hasLineBreak(id))
        return u"an event id cannot contain a line break"_s;
    if (id.contains(QChar(0)))
        return u"an event id cannot contain NUL (receivers ignore such ids)"_s;
    return {};
}

QString SseWriter::typeProblem(QStringView type)
{
    if (hasLineBreak(type))
        return u"an event type cannot contain a line break"_s;
    return {};
}

Status SseWriter::appendEvent(QByteArray &out, const SseEvent &event)
{
    if (QString problem = idProblem(event.id); !problem.isEmpty())
        return invalid(problem);
    if (QString problem = typeProblem(event.type); !problem.isEmpty())
        return invalid(problem);
    if (event.retryMs && *event.retryMs < 0)
        return invalid(u"a retry time cannot be negative"_s);

    const QByteArray data = event.data.toUtf8();
    if (!event.id.isEmpty()) {
        out.append("id: ");
        out.append(event.id.toUtf8());
        out.append('\n');
    }
    if (!event.type.isEmpty() && event.type != "message"_L1) {
        out.append("event: ");
        out.append(event.type.toUtf8());
        out.append('\n');
    }
    if (event.retryMs) {
        out.append("retry: ");
        out.append(QByteArray::number(*event.retryMs));
        out.append('\n');
    }
    // Always at least one data line: an empty data buffer dispatches nothing,
    // "data: \n" dispatches an event with empty data.
    appendLines(out, "data: ", data);
    out.append('\n');
    return Done {};
}

Result<QByteArray> SseWriter::event(const SseEvent &event)
{
    QByteArray out;
    if (Status status = appendEvent(out, event); !status)
        return status.error();
    return out;
}

void SseWriter::appendJsonEvent(QByteArray &out, qint64 id, QLatin1StringView type,
                                QByteArrayView json)
{
    Q_ASSERT(!json.contains('\n') && !json.contains('\r'));
    out.append("id: ");
    out.append(QByteArray::number(id));
    out.append("\nevent: ");
    out.append(type.data(), type.size());
    out.append("\ndata: ");
    out.append(json);
    out.append("\n\n");
}

void SseWriter::appendComment(QByteArray &out, QStringView text)
{
    appendLines(out, ": ", text.toUtf8());
    out.append('\n');
}

QByteArray SseWriter::comment(QStringView text)
{
    QByteArray out;
    appendComment(out, text);
    return out;
}

QByteArray SseWriter::heartbeat()
{
    return QByteArrayLiteral(": ping\n\n");
}

Result<QByteArray> SseWriter::retry(int ms)
{
    if (ms < 0)
        return invalid(u"a retry time cannot be negative"_s);
    return QByteArray("retry: " + QByteArray::number(ms) + "\n\n");
}

Result<QByteArray> SseEvent::serialize() const
{
    return SseWriter::event(*this);
}

} // namespace parlance
