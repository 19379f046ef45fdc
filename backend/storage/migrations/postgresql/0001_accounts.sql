-- Accounts and refresh tokens (PostgreSQL). Conventions (docs/storage.md): ids
-- are TEXT UUIDs made in C++, times are BIGINT milliseconds since the epoch
-- (UTC), booleans are BOOLEAN, binary is BYTEA.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    -- normalised by EmailAddress::normalise (trimmed, lower-cased, NFC), so a
    -- plain unique index is the case-insensitive uniqueness rule
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    tier TEXT NOT NULL DEFAULT 'free',
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    display_name TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    family_expires_at BIGINT NOT NULL,
    used_at BIGINT,
    replaced_by TEXT,
    revoked_at BIGINT
);
CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
