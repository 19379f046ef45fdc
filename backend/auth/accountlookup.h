#pragma once

#include "common/result.h"

#include <QString>

#include <optional>

namespace parlance {

// What token decisions need to know about an account right now.
struct AccountSnapshot
{
    QString userId;
    QString role;
    bool disabled = false;
};

// Read access to accounts for the refresh flow, so a disabled or deleted
// account stops getting tokens and a changed role shows in the next access
// token. The users repository in storage/ implements it; it blocks, so it is
// called on a worker thread.
class AccountLookup
{
public:
    virtual ~AccountLookup() = default;

    // nullopt when no account has this id (any more).
    [[nodiscard]] virtual Result<std::optional<AccountSnapshot>>
    findAccount(const QString &userId) = 0;

protected:
    AccountLookup() = default;
    AccountLookup(const AccountLookup &) = default;
    AccountLookup &operator=(const AccountLookup &) = default;
};

} // namespace parlance
