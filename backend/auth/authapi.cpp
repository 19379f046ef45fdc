#include "auth/authapi.h"

#include "auth/accountservice.h"
#include "auth/loginthrottle.h"
#include "contract/apipaths.h"
#include "http/requestcontext.h"
#include "http/router.h"

using namespace Qt::StringLiterals;
using namespace parlance::http;

namespace parlance {

namespace {

using Accounts = std::shared_ptr<AccountService>;

// Reads string fields of the JSON body; answers the error itself and returns
// nullopt when the body or a field is wrong. Passwords use string() rather
// than nonEmptyString(): an empty password is the policy's to refuse
// (weak_password) on register, and simply wrong on login.
std::optional<QStringList> readFields(RequestContext &ctx, QList<QLatin1StringView> required,
                                      QList<QLatin1StringView> optional = {})
{
    const auto json = ctx.jsonObject();
    if (!json) {
        ctx.respondError(json.error());
        return std::nullopt;
    }
    JsonReader reader(*json);
    QStringList values;
    for (QLatin1StringView key : required)
        values.append(reader.string(key));
    for (QLatin1StringView key : optional) {
        const QJsonValue value = json->value(key);
        values.append(value.isUndefined() || value.isNull() ? QString() : reader.string(key));
    }
    if (!reader.ok()) {
        ctx.respondError(*reader.error());
        return std::nullopt;
    }
    return values;
}

// The done-callback answering a Result<Session>.
auto answerSession(RequestContext &ctx, int status)
{
    return [&ctx, status](Result<Session> session) {
        if (!session)
            return ctx.respondError(session.error());
        // Tokens must not end up in shared caches or browser history.
        ctx.addResponseHeader("Cache-Control", "no-store");
        ctx.respondJson(status, session->toJson());
    };
}

QString addressKeyOf(const RequestContext &ctx)
{
    return LoginThrottle::addressKey(ctx.peerAddress());
}

} // namespace

AuthApi::AuthApi(Accounts accounts)
    : m_accounts(std::move(accounts))
{ }

void AuthApi::registerRoutes(Router &router) const
{
    const Accounts accounts = m_accounts;

    router.add(
        Method::Post, api::AuthRegister, Access::Public,
        u"Create an account (email, password, optional display_name) and sign in"_s,
        [accounts](RequestContext &ctx) {
            const auto f = readFields(ctx, { "email"_L1, "password"_L1 }, { "display_name"_L1 });
            if (!f)
                return;
            ctx.runOnWorker(
                [accounts, f = *f, address = addressKeyOf(ctx)] {
                    return accounts->registerAccount(f[0], f[1], f[2], address);
                },
                answerSession(ctx, 201));
        });

    router.add(Method::Post, api::AuthLogin, Access::Public,
               u"Sign in with email and password: access and refresh tokens"_s,
               [accounts](RequestContext &ctx) {
                   const auto f = readFields(ctx, { "email"_L1, "password"_L1 });
                   if (!f)
                       return;
                   ctx.runOnWorker(
                       [accounts, f = *f, address = addressKeyOf(ctx)] {
                           return accounts->signIn(f[0], f[1], address);
                       },
                       answerSession(ctx, 200));
               });

    router.add(
        Method::Post, api::AuthRefresh, Access::Public,
        u"Exchange a refresh token for a new token pair (rotation; reuse ends the session)"_s,
        [accounts](RequestContext &ctx) {
            const auto f = readFields(ctx, { "refresh_token"_L1 });
            if (!f)
                return;
            ctx.runOnWorker([accounts, token = f->at(0)] { return accounts->refresh(token); },
                            answerSession(ctx, 200));
        });

    router.add(
        Method::Post, api::AuthLogout, Access::Public,
        u"End the session of a refresh token (idempotent)"_s, [accounts](RequestContext &ctx) {
            const auto f = readFields(ctx, { "refresh_token"_L1 });
            if (!f)
                return;
            ctx.runOnWorker([accounts, token = f->at(0)] { return accounts->signOut(token); },
                            [&ctx](Status ended) {
                                if (!ended)
                                    return ctx.respondError(ended.error());
                                ctx.respondEmpty();
                            });
        });

    router.add(Method::Get, api::AuthMe, Access::User, u"The signed-in account"_s,
               [accounts](RequestContext &ctx) {
                   ctx.runOnWorker(
                       [accounts, user = ctx.user().userId] { return accounts->currentUser(user); },
                       [&ctx](Result<User> user) {
                           if (!user)
                               return ctx.respondError(user.error());
                           ctx.respondJson(200, user->toJson());
                       });
               });

    router.add(Method::Post, api::AuthPassword, Access::User,
               u"Change the password (current_password, new_password); ends every other "
               u"session and returns new tokens"_s,
               [accounts](RequestContext &ctx) {
                   const auto f = readFields(ctx, { "current_password"_L1, "new_password"_L1 });
                   if (!f)
                       return;
                   ctx.runOnWorker(
                       [accounts, f = *f, user = ctx.user().userId, address = addressKeyOf(ctx)] {
                           return accounts->changePassword(user, f[0], f[1], address);
                       },
                       answerSession(ctx, 200));
               });
}

} // namespace parlance
