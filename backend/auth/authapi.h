#pragma once

#include <memory>

namespace parlance {

class AccountService;

namespace http {
class Router;
}

// The HTTP face of accounts (docs/auth.md): /api/v1/auth/register, login,
// refresh, logout, me and password. Handlers parse the body on the event
// loop and run everything else (Argon2, the database) on the worker pool.
// Sign-in answers use the client address from the socket for the login
// throttle.
class AuthApi
{
public:
    explicit AuthApi(std::shared_ptr<AccountService> accounts);
    void registerRoutes(http::Router &router) const;

private:
    std::shared_ptr<AccountService> m_accounts;
};

} // namespace parlance
