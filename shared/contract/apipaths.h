#pragma once

#include <QLatin1StringView>
#include <QString>

// Every path of the HTTP API in one place, so the server's router, the client
// and the tests cannot drift apart. Templates use Qt HttpServer's "<arg>"
// placeholder; the builders below fill them in for clients.
namespace parlance::api {

inline constexpr QLatin1StringView Prefix{"/api/v1"};

// Operations (no prefix: probes and scrapers expect them at the root).
inline constexpr QLatin1StringView Healthz{"/healthz"};
inline constexpr QLatin1StringView Readyz{"/readyz"};
inline constexpr QLatin1StringView Metrics{"/metrics"};
inline constexpr QLatin1StringView OpenApi{"/api/v1/openapi.json"};

// Accounts
inline constexpr QLatin1StringView AuthRegister{"/api/v1/auth/register"};
inline constexpr QLatin1StringView AuthLogin{"/api/v1/auth/login"};
inline constexpr QLatin1StringView AuthRefresh{"/api/v1/auth/refresh"};
inline constexpr QLatin1StringView AuthLogout{"/api/v1/auth/logout"};
inline constexpr QLatin1StringView AuthMe{"/api/v1/auth/me"};
inline constexpr QLatin1StringView AuthPassword{"/api/v1/auth/password"};

// Conversations, folders, messages
inline constexpr QLatin1StringView Conversations{"/api/v1/conversations"};
inline constexpr QLatin1StringView Conversation{"/api/v1/conversations/<arg>"};
inline constexpr QLatin1StringView ConversationRestore{"/api/v1/conversations/<arg>/restore"};
inline constexpr QLatin1StringView ConversationMessages{"/api/v1/conversations/<arg>/messages"};
inline constexpr QLatin1StringView ConversationShare{"/api/v1/conversations/<arg>/share"};
inline constexpr QLatin1StringView Folders{"/api/v1/folders"};
inline constexpr QLatin1StringView Folder{"/api/v1/folders/<arg>"};
inline constexpr QLatin1StringView Tags{"/api/v1/tags"};
inline constexpr QLatin1StringView Message{"/api/v1/messages/<arg>"};
inline constexpr QLatin1StringView MessageStop{"/api/v1/messages/<arg>/stop"};
inline constexpr QLatin1StringView MessageRegenerate{"/api/v1/messages/<arg>/regenerate"};

// Streaming and models
inline constexpr QLatin1StringView Stream{"/api/v1/stream/<arg>"};
inline constexpr QLatin1StringView Models{"/api/v1/models"};

// Files, sharing, search, usage
inline constexpr QLatin1StringView FilesUpload{"/api/v1/files/upload"};
inline constexpr QLatin1StringView File{"/api/v1/files/<arg>"};
inline constexpr QLatin1StringView SharedPage{"/s/<arg>"};
inline constexpr QLatin1StringView Search{"/api/v1/search"};
inline constexpr QLatin1StringView UserUsage{"/api/v1/user/usage"};

// Administration
inline constexpr QLatin1StringView AdminMetrics{"/api/v1/admin/dashboard/metrics"};
inline constexpr QLatin1StringView AdminUsers{"/api/v1/admin/users"};
inline constexpr QLatin1StringView AdminUser{"/api/v1/admin/users/<arg>"};
inline constexpr QLatin1StringView AdminProviders{"/api/v1/admin/providers"};

// Fills the "<arg>" placeholders of a template in order: path(Conversation, id).
[[nodiscard]] QString path(QLatin1StringView templ, const QString &arg);
[[nodiscard]] QString path(QLatin1StringView templ, const QString &arg, const QString &arg2);

} // namespace parlance::api
