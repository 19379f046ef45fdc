#pragma once

#include "common/result.h"

#include <QString>

#include <cstdio>
#include <memory>
#include <mutex>

namespace parlance::http {

// One JSON line per answered request:
// {"ts","request_id","user_id","method","path","status","duration_ms","bytes","thread"}.
// Never bodies, headers or query strings (they may carry tokens).
// Thread-safe: every event-loop thread writes through one instance.
class AccessLog
{
public:
    struct Entry
    {
        QString requestId;
        QString userId; // empty: anonymous
        QString method;
        QString path;
        int status = 0;
        double durationMs = 0;
        qint64 bytes = 0; // response body bytes
        // The event-loop thread that served the connection ("http-0", ...):
        // shows how SO_REUSEPORT spread the connections over the threads.
        QString thread;
    };

    // "-" is stdout; anything else a file opened for appending.
    [[nodiscard]] static Result<std::unique_ptr<AccessLog>> open(const QString &target);
    ~AccessLog();

    void write(const Entry &entry);

private:
    AccessLog(std::FILE *file, bool owned)
        : m_file(file)
        , m_owned(owned)
    { }

    std::mutex m_mutex;
    std::FILE *m_file;
    bool m_owned;
};

} // namespace parlance::http
