#pragma once

#include <QLoggingCategory>

namespace parlance::http {
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
} // namespace parlance::http
