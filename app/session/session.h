#pragma once

#include "api/apiclient.h"
#include "domain/user.h"

#include <QObject>
#include <QPointer>
#include <QSettings>
#include <QString>

#include <memory>
class SecretStore;

// Who is signed in where, for QML (the singleton "Session" of
// Parlance.Client) and for the C++ controllers (apiClient()).
//
// The server URL is kept in QSettings. The refresh token lives only in the
// secret store (the OS keychain), under one entry per server and account
// (secretKey()); the access token only in the ApiClient's memory. At start
// restore() reads the refresh token of the last account on this server,
// refreshes it (which rotates it; the new one is written back) and loads the
// user. A refresh the server refuses, or sign-out, removes the entry.
class Session : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString serverUrl READ serverUrl WRITE setServerUrl NOTIFY serverUrlChanged)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY stateChanged)
    Q_PROPERTY(bool signedIn READ isSignedIn NOTIFY stateChanged)
    Q_PROPERTY(bool restoring READ isRestoring NOTIFY stateChanged)
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)
    Q_PROPERTY(QString errorCode READ errorCode NOTIFY errorMessageChanged)
    Q_PROPERTY(QString userId READ userId NOTIFY userChanged)
    Q_PROPERTY(QString email READ email NOTIFY userChanged)
    Q_PROPERTY(QString displayName READ displayName NOTIFY userChanged)
    Q_PROPERTY(QString role READ role NOTIFY userChanged)
    Q_PROPERTY(bool isAdmin READ isAdmin NOTIFY userChanged)

public:
    enum class State {
        Restoring, // looking for a saved sign-in at start
        SignedOut,
        Working, // signing in, registering, changing the password, signing out
        SignedIn,
    };
    Q_ENUM(State)

    // `settings` null: the application's default QSettings. Neither the API
    // client nor the store is owned.
    Session(parlance::client::ApiClient *api, SecretStore *secrets,
            std::unique_ptr<QSettings> settings = {}, QObject *parent = nullptr);
    ~Session() override;

    [[nodiscard]] parlance::client::ApiClient *apiClient() const { return m_api; }

    [[nodiscard]] QString serverUrl() const { return m_serverUrl; }
    // Saved at once. Meant for the signed-out screen: changing the server
    // while signed in signs out first.
    void setServerUrl(const QString &url);
    // The --server option: used only when no server was saved yet.
    void setInitialServerUrl(const QString &url);

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] bool busy() const
    {
        return m_state == State::Working || m_state == State::Restoring;
    }
    [[nodiscard]] bool isSignedIn() const { return m_state == State::SignedIn; }
    [[nodiscard]] bool isRestoring() const { return m_state == State::Restoring; }
    [[nodiscard]] QString errorMessage() const { return m_errorMessage; }
    [[nodiscard]] QString errorCode() const { return m_errorCode; }
    [[nodiscard]] const parlance::User &user() const { return m_user; }
    [[nodiscard]] QString userId() const { return m_user.id; }
    [[nodiscard]] QString email() const { return m_user.email; }
    [[nodiscard]] QString displayName() const { return m_user.displayName; }
    [[nodiscard]] QString role() const { return QString(parlance::User::roleName(m_user.role)); }
    [[nodiscard]] bool isAdmin() const { return m_user.isAdmin(); }

    // The secret store's entry for an account on a server.
    [[nodiscard]] static QString secretKey(const QString &serverUrl, const QString &email);

    Q_INVOKABLE void restore();
    Q_INVOKABLE void signIn(const QString &email, const QString &password);
    Q_INVOKABLE void registerAccount(const QString &email, const QString &password);
    Q_INVOKABLE void signOut();
    Q_INVOKABLE void changePassword(const QString &currentPassword, const QString &newPassword);
    Q_INVOKABLE void clearError();

Q_SIGNALS:
    void serverUrlChanged();
    void stateChanged();
    void errorMessageChanged();
    void userChanged();
    // changePassword() succeeded (other devices are signed out).
    void passwordChanged();
    // The saved refresh token was written, rotated or removed (tests and
    // diagnostics; the token itself is never passed around).
    void secretSaved();
    void secretRemoved();

private:
    void signedIn(const parlance::client::AuthSession &session);
    void persistRefreshToken(const QString &token);
    void forgetSavedSession(const QString &email);
    void setState(State state);
    void setUser(const parlance::User &user);
    void setError(const parlance::ApiError &error);
    void setErrorText(const QString &code, const QString &message);
    [[nodiscard]] QString messageFor(const parlance::ApiError &error) const;

    QPointer<parlance::client::ApiClient> m_api;
    QPointer<SecretStore> m_secrets;
    std::unique_ptr<QSettings> m_settings;
    QString m_serverUrl;
    State m_state = State::SignedOut;
    parlance::User m_user;
    // The signed-in account's email, part of the keychain entry's name; empty
    // while nobody is (or while a sign-in is still on the wire).
    QString m_account;
    QString m_errorMessage;
    QString m_errorCode;
};
