#pragma once

#include "api/apitypes.h"
#include "common/result.h"
#include "domain/folder.h"
#include "domain/usagesummary.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <chrono>
#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;
QT_END_NAMESPACE

namespace parlance::client {

// The client's side of the HTTP API (docs/client-api.md): one
// QNetworkAccessManager, the server's base URL, the access token (memory only)
// and the refresh token (memory here; the session persists it in the OS
// keychain on refreshTokenChanged).
//
// Every call is asynchronous and answers exactly once through a callback that
// receives a Result: the server's error JSON becomes the ApiError as it is;
// transport failures get the client-side codes of contract/errorcodes.h
// (network_unreachable, tls_error, timeout, network_error,
// malformed_response). A callback is bound to a context QObject: it never runs
// after the context was destroyed (and never synchronously inside the call).
//
// Authenticated calls that come back 401 while a refresh token is held wait
// for ONE refresh shared by all of them (the server rotates refresh tokens and
// treats a concurrent second use as theft), then each is sent again once. A
// refresh the server refuses clears both tokens and emits sessionExpired(); a
// refresh that fails in transit keeps the tokens and hands the waiting calls
// the transport error.
class ApiClient : public QObject
{
    Q_OBJECT

public:
    template<typename T> using Callback = std::function<void(Result<T>)>;
    using JsonCallback = Callback<QJsonObject>;
    using StatusCallback = std::function<void(Status)>;

    enum class Auth {
        Bearer, // send the access token; a 401 triggers the shared refresh
        None, // public routes (register, login, refresh, logout)
    };

    explicit ApiClient(QObject *parent = nullptr);
    ~ApiClient() override;

    // e.g. http://127.0.0.1:8080 (a path prefix, for a server behind a proxy
    // under /parlance, is kept). Does not touch the tokens.
    void setBaseUrl(const QUrl &url);
    [[nodiscard]] QUrl baseUrl() const { return m_baseUrl; }

    // No byte moving for this long fails a call with `timeout` (30 s by
    // default; 0 turns it off). Streams use their own, see StreamClient.
    void setTransferTimeout(std::chrono::milliseconds timeout) { m_transferTimeout = timeout; }
    [[nodiscard]] std::chrono::milliseconds transferTimeout() const { return m_transferTimeout; }

    // Tokens. setSession/clearSession emit refreshTokenChanged when the
    // refresh token changes.
    void setSession(const QString &accessToken, const QString &refreshToken);
    void clearSession();
    [[nodiscard]] QString accessToken() const { return m_accessToken; }
    [[nodiscard]] QString refreshToken() const { return m_refreshToken; }
    [[nodiscard]] bool hasRefreshToken() const { return !m_refreshToken.isEmpty(); }
    // True while the one shared refresh is on the wire.
    [[nodiscard]] bool isRefreshing() const { return m_refreshInFlight; }
    // How many POST auth/refresh this client sent (tests check that
    // concurrent 401s share one).
    [[nodiscard]] int refreshCount() const { return m_refreshCount; }

    // ---- The generic call -------------------------------------------------
    // `method` is GET, POST, PATCH, DELETE...; `path` one of contract/apipaths.h
    // (filled with api::path()). A body is sent as JSON when not empty or when
    // the method is POST/PATCH/PUT. A 2xx answer without a body (204) yields
    // an empty object; a 2xx answer that is not a JSON object is
    // `malformed_response`.
    void call(QByteArrayView method, const QString &path, const QJsonObject &body,
              const QUrlQuery &query, QObject *context, JsonCallback done,
              Auth auth = Auth::Bearer);
    void get(const QString &path, const QUrlQuery &query, QObject *context, JsonCallback done);
    void post(const QString &path, const QJsonObject &body, QObject *context, JsonCallback done);
    void patch(const QString &path, const QJsonObject &body, QObject *context, JsonCallback done);
    void deleteResource(const QString &path, QObject *context, JsonCallback done);

    // Joins the refresh in flight or starts one (POST auth/refresh with the
    // held refresh token; the answer's tokens are adopted). `unauthenticated`
    // without a refresh token. Used by the 401 path and by StreamClient.
    void refreshSession(QObject *context, StatusCallback done);

    // For StreamClient and other raw users: the absolute URL of a path, and a
    // request with the bearer token (if any) and the transfer timeout set.
    [[nodiscard]] QUrl urlFor(const QString &path, const QUrlQuery &query = {}) const;
    [[nodiscard]] QNetworkRequest authorizedRequest(const QUrl &url) const;
    [[nodiscard]] QNetworkAccessManager *network() const { return m_network; }
    // Maps a finished reply to its error (transport, TLS, timeout, HTTP
    // status + error JSON); nullopt for a 2xx answer. `sslReason` is the text
    // collected from sslErrors(), if any.
    [[nodiscard]] static std::optional<ApiError>
    replyError(QNetworkReply *reply, const QByteArray &body, const QString &sslReason = {});

    // ---- Accounts (docs/auth.md). Successful sign-ins adopt the tokens. ----
    void registerAccount(const QString &email, const QString &password, const QString &displayName,
                         QObject *context, Callback<AuthSession> done);
    void login(const QString &email, const QString &password, QObject *context,
               Callback<AuthSession> done);
    // The shared refresh, returning the new session.
    void refresh(QObject *context, Callback<AuthSession> done);
    // Ends this sign-in on the server (its refresh-token family) and clears
    // the tokens whatever the server said (a signed-out user must stay out).
    void logout(QObject *context, StatusCallback done);
    void me(QObject *context, Callback<User> done);
    // Success revokes every other session of the account; this client gets
    // (and adopts) a new pair.
    void changePassword(const QString &currentPassword, const QString &newPassword,
                        QObject *context, Callback<AuthSession> done);

    // ---- Conversations, folders, tags (docs/conversations.md) -------------
    void listConversations(const ConversationQuery &query, QObject *context,
                           Callback<ConversationPage> done);
    void getConversation(const QString &id, QObject *context, Callback<Conversation> done);
    void createConversation(const NewConversation &fields, QObject *context,
                            Callback<Conversation> done);
    void updateConversation(const QString &id, const ConversationChange &change, QObject *context,
                            Callback<Conversation> done);
    // To the trash (restorable for 30 days).
    void deleteConversation(const QString &id, QObject *context, StatusCallback done);
    void restoreConversation(const QString &id, QObject *context, Callback<Conversation> done);

    void listFolders(QObject *context, Callback<QList<Folder>> done);
    // parentId: empty for a top-level folder.
    void createFolder(const QString &name, const QString &parentId, QObject *context,
                      Callback<Folder> done);
    void renameFolder(const QString &id, const QString &name, QObject *context,
                      Callback<Folder> done);
    // Its conversations leave the folder; nothing the user wrote is deleted.
    void deleteFolder(const QString &id, QObject *context, StatusCallback done);
    void listTags(QObject *context, Callback<QList<TagCount>> done);

    // ---- Messages and answers (docs/streaming.md "Generation end to end") -
    void listMessages(const QString &conversationId, const MessageWindow &window, QObject *context,
                      Callback<MessagePage> done);
    void getMessage(const QString &id, QObject *context, Callback<MessageDetail> done);
    // Stores the user message and starts its answer.
    void sendMessage(const QString &conversationId, const QList<ContentPart> &content,
                     const MessageParent &parent, QObject *context, Callback<StartedAnswer> done);
    // Edit and resend: a sibling user message with the new content, then its
    // answer (nothing is overwritten).
    void editMessage(const QString &messageId, const QList<ContentPart> &content, QObject *context,
                     Callback<StartedAnswer> done);
    // A new answer beside this assistant message.
    void regenerate(const QString &assistantMessageId, QObject *context,
                    Callback<StartedAnswer> done);
    void stopGeneration(const QString &assistantMessageId, QObject *context,
                        Callback<StopResult> done);

    // ---- Models and usage --------------------------------------------------
    void listModels(QObject *context, Callback<ModelList> done);
    void usage(QObject *context, Callback<UsageSummary> done);

Q_SIGNALS:
    // The refresh token was set, rotated or cleared (empty): persist it.
    void refreshTokenChanged(const QString &refreshToken);
    void accessTokenChanged();
    // The server refused the refresh token (expired, reused, revoked,
    // account disabled): the tokens are gone, the user must sign in again.
    void sessionExpired();

private:
    struct PendingCall;
    void send(const std::shared_ptr<PendingCall> &call);
    void onFinished(const std::shared_ptr<PendingCall> &call, QNetworkReply *reply,
                    const QString &sslReason);
    void deliver(const std::shared_ptr<PendingCall> &call, Result<QJsonObject> result);
    void startRefresh();
    void finishRefresh(Status status);
    void adoptSession(const AuthSession &session);

    // Parses the answer of a call with `parse` and hands it to `done`.
    template<typename T, typename Parse>
    void typed(QByteArrayView method, const QString &path, const QJsonObject &body,
               const QUrlQuery &query, QObject *context, Callback<T> done, Parse parse,
               Auth auth = Auth::Bearer);

    QNetworkAccessManager *m_network = nullptr;
    QUrl m_baseUrl;
    QString m_accessToken;
    QString m_refreshToken;
    std::chrono::milliseconds m_transferTimeout { 30'000 };
    bool m_refreshInFlight = false;
    int m_refreshCount = 0;
    QList<StatusCallback> m_refreshWaiters;
};

} // namespace parlance::client
