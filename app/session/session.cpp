#include "session/session.h"

#include "contract/errorcodes.h"
#include "platform/secretstore.h"

#include <QLoggingCategory>
#include <QSettings>
#include <QTimer>
#include <QUrl>

using namespace Qt::StringLiterals;
using parlance::ApiError;
using parlance::Result;
using parlance::Status;
using parlance::client::AuthSession;

namespace {

Q_LOGGING_CATEGORY(lcSession, "parlance.session")

const QString ServerKey = u"server/url"_s;
// The last account signed in, and on which server: what restore() looks for.
const QString SavedServerKey = u"session/server"_s;
const QString SavedEmailKey = u"session/email"_s;
const QString SavedUserIdKey = u"session/userId"_s;

} // namespace

Session::Session(parlance::client::ApiClient *api, SecretStore *secrets,
                 std::unique_ptr<QSettings> settings, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_secrets(secrets)
    , m_settings(settings ? std::move(settings) : std::make_unique<QSettings>())
{
    m_serverUrl = m_settings->value(ServerKey).toString();
    if (m_api) {
        m_api->setBaseUrl(QUrl(m_serverUrl));
        // Every refresh rotates the token: the keychain must follow, or the
        // next start would present a spent token (and the server would end
        // the whole sign-in as stolen).
        connect(m_api, &parlance::client::ApiClient::refreshTokenChanged, this,
                [this](const QString &token) {
                    if (!token.isEmpty() && !m_account.isEmpty())
                        persistRefreshToken(token);
                });
        connect(m_api, &parlance::client::ApiClient::sessionExpired, this, [this] {
            if (m_state != State::SignedIn)
                return;
            const QString email = m_account;
            m_account.clear();
            setUser({});
            forgetSavedSession(email);
            setErrorText(QString(parlance::errc::InvalidToken),
                         tr("Your session has ended. Please sign in again."));
            setState(State::SignedOut);
        });
    }
}

Session::~Session() = default;

QString Session::savedUserId() const
{
    return m_settings->value(SavedUserIdKey).toString();
}

void Session::setServerUrl(const QString &url)
{
    const QString trimmed = url.trimmed();
    if (trimmed == m_serverUrl)
        return;
    if (m_state == State::SignedIn)
        signOut();
    m_serverUrl = trimmed;
    m_settings->setValue(ServerKey, m_serverUrl);
    if (m_api)
        m_api->setBaseUrl(QUrl(m_serverUrl));
    Q_EMIT serverUrlChanged();
}

void Session::setInitialServerUrl(const QString &url)
{
    if (m_serverUrl.isEmpty() && !url.trimmed().isEmpty())
        setServerUrl(url);
}

QString Session::secretKey(const QString &serverUrl, const QString &email)
{
    return u"refresh-token %1 %2"_s.arg(serverUrl, email);
}

void Session::restore()
{
    const QString email = m_settings->value(SavedEmailKey).toString();
    const bool saved = !email.isEmpty() && !m_serverUrl.isEmpty()
        && m_settings->value(SavedServerKey).toString() == m_serverUrl;
    if (!saved || !m_api || !m_secrets) {
        setState(State::SignedOut);
        return;
    }
    setState(State::Restoring);
    m_secrets->read(secretKey(m_serverUrl, email), this,
                    [this, email](Result<std::optional<QString>> secret) {
                        if (!secret) {
                            setError(secret.error());
                            return setState(State::SignedOut);
                        }
                        if (!secret->has_value())
                            return setState(State::SignedOut);
                        m_api->setBaseUrl(QUrl(m_serverUrl));
                        m_api->setSession({}, **secret);
                        // From now on rotations are written back (not the
                        // token just read).
                        m_account = email;
                        m_api->refresh(this, [this, email](Result<AuthSession> session) {
                            if (session) {
                                setUser(session->user);
                                return setState(State::SignedIn);
                            }
                            // A refused token is gone for good; a server we
                            // cannot reach may take it tomorrow, so keep it
                            // and show the cached chats meanwhile.
                            const bool refused = !m_api->hasRefreshToken();
                            if (refused)
                                forgetSavedSession(email);
                            m_api->clearSession();
                            m_account.clear();
                            setError(session.error());
                            if (refused)
                                return setState(State::SignedOut);
                            parlance::User saved;
                            saved.id = savedUserId();
                            saved.email = email;
                            setUser(saved);
                            setState(State::Offline);
                            QTimer::singleShot(RetryIntervalMs, this, [this] {
                                if (m_state == State::Offline)
                                    restore();
                            });
                        });
                    });
}

void Session::signIn(const QString &email, const QString &password)
{
    if (busy() || !m_api)
        return;
    clearError();
    setState(State::Working);
    m_account.clear();
    m_api->setBaseUrl(QUrl(m_serverUrl));
    m_api->login(email, password, this, [this](Result<AuthSession> session) {
        if (!session) {
            setError(session.error());
            return setState(State::SignedOut);
        }
        signedIn(*session);
    });
}

void Session::registerAccount(const QString &email, const QString &password)
{
    if (busy() || !m_api)
        return;
    clearError();
    setState(State::Working);
    m_account.clear();
    m_api->setBaseUrl(QUrl(m_serverUrl));
    m_api->registerAccount(email, password, {}, this, [this](Result<AuthSession> session) {
        if (!session) {
            setError(session.error());
            return setState(State::SignedOut);
        }
        signedIn(*session);
    });
}

void Session::signedIn(const AuthSession &session)
{
    m_account = session.user.email;
    m_settings->setValue(SavedServerKey, m_serverUrl);
    m_settings->setValue(SavedEmailKey, m_account);
    m_settings->setValue(SavedUserIdKey, session.user.id);
    setUser(session.user);
    persistRefreshToken(session.refreshToken);
    setState(State::SignedIn);
}

void Session::signOut()
{
    if (!m_api)
        return;
    // Offline, the account is only known from the saved settings.
    const QString email =
        m_account.isEmpty() ? m_settings->value(SavedEmailKey).toString() : m_account;
    m_account.clear();
    setState(State::Working);
    // Ends the sign-in on the server in the background; the tokens are
    // dropped at once whatever the network does.
    m_api->logout(this, [](Status status) {
        if (!status)
            qCInfo(lcSession) << "logout not confirmed:" << status.error().code;
    });
    setUser({});
    m_settings->remove(SavedEmailKey);
    m_settings->remove(SavedUserIdKey);
    if (email.isEmpty() || !m_secrets)
        return setState(State::SignedOut);
    m_secrets->remove(secretKey(m_serverUrl, email), this, [this](Status removed) {
        if (!removed)
            setError(removed.error());
        else
            Q_EMIT secretRemoved();
        setState(State::SignedOut);
    });
}

void Session::changePassword(const QString &currentPassword, const QString &newPassword)
{
    if (m_state != State::SignedIn || !m_api)
        return;
    clearError();
    setState(State::Working);
    // The new refresh token reaches the keychain through refreshTokenChanged.
    m_api->changePassword(currentPassword, newPassword, this, [this](Result<AuthSession> session) {
        if (m_state != State::Working)
            return; // signed out meanwhile
        if (!session) {
            setError(session.error());
            return setState(State::SignedIn);
        }
        setUser(session->user);
        setState(State::SignedIn);
        Q_EMIT passwordChanged();
    });
}

void Session::clearError()
{
    setErrorText({}, {});
}

void Session::persistRefreshToken(const QString &token)
{
    if (!m_secrets)
        return;
    m_secrets->write(secretKey(m_serverUrl, m_account), token, this, [this](Status written) {
        if (!written) {
            // Still signed in for this run; the user learns why the next
            // start will ask for the password again.
            setErrorText(written.error().code,
                         tr("Signed in, but the system keychain could not keep the sign-in: %1")
                             .arg(written.error().message));
            return;
        }
        Q_EMIT secretSaved();
    });
}

void Session::forgetSavedSession(const QString &email)
{
    if (email.isEmpty() || !m_secrets)
        return;
    m_secrets->remove(secretKey(m_serverUrl, email), this, [this](Status removed) {
        if (removed)
            Q_EMIT secretRemoved();
    });
}

void Session::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged();
}

void Session::setUser(const parlance::User &user)
{
    if (m_user == user)
        return;
    m_user = user;
    Q_EMIT userChanged();
}

void Session::setError(const ApiError &error)
{
    setErrorText(error.code, messageFor(error));
}

void Session::setErrorText(const QString &code, const QString &message)
{
    if (m_errorCode == code && m_errorMessage == message)
        return;
    m_errorCode = code;
    m_errorMessage = message;
    Q_EMIT errorMessageChanged();
}

QString Session::messageFor(const ApiError &error) const
{
    namespace errc = parlance::errc;
    const QString &code = error.code;
    if (code == errc::InvalidCredentials)
        return tr("Wrong email or password.");
    if (code == errc::NetworkUnreachable)
        return tr("Cannot reach the server at %1.").arg(m_serverUrl);
    if (code == errc::TlsError)
        return tr("The server's TLS certificate is not trusted: %1").arg(error.message);
    if (code == errc::Timeout)
        return tr("The server at %1 did not answer in time.").arg(m_serverUrl);
    if (code == errc::EmailTaken)
        return tr("This email is already registered.");
    if (code == errc::AccountDisabled)
        return tr("This account is disabled.");
    if (code == errc::TokenReused || code == errc::InvalidToken || code == errc::TokenExpired)
        return tr("Your session has ended. Please sign in again.");
    if (code == errc::TooManyAttempts) {
        if (error.retryAfterSeconds)
            return tr("Too many attempts. Try again in %n second(s).", nullptr,
                      *error.retryAfterSeconds);
        return tr("Too many attempts. Try again later.");
    }
    if (code == SecretStore::Unavailable || code == SecretStore::AccessDenied
        || code == SecretStore::Failed)
        return tr("The system keychain is not available: %1").arg(error.message);
    // Validation (weak_password, invalid_field, missing_field) and everything
    // else: the server's own sentence says what to fix.
    if (!error.message.isEmpty())
        return error.message;
    return tr("Something went wrong (%1).").arg(code);
}
