#pragma once

#include "benchseed.h"
#include "loadrun.h"

#include <QList>
#include <QString>

namespace parlance::bench {

// Messages stored per second without HTTP: ConversationService::postUserMessage
// (the call behind POST …/messages) on `threads` threads of this process, each
// with its own database connection, for `seconds`, spread over every plain
// conversation of `users`. The fallback for when POST …/messages also starts
// an LLM generation, which the store target does not measure. requestsPerSecond
// is rows counted in the table per second; p50/p99 are per call.
[[nodiscard]] RunFigures storeThroughService(const QString &databaseUrl, const QString &dataDir,
                                             const QList<SeededUser> &users, int threads,
                                             double seconds);

} // namespace parlance::bench
