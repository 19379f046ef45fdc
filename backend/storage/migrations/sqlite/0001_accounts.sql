-- Accounts and refresh tokens (SQLite). Conventions (docs/storage.md): ids are
-- TEXT UUIDs made in C++, times are INTEGER milliseconds since the epoch (UTC),
-- booleans are INTEGER 0/1, binary is BLOB.

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    -- normalised by EmailAddress::normalise (trimmed, lower-cased, NFC), so a
    -- plain unique index is the case-insensitive uniqueness rule
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    tier TEXT NOT NULL DEFAULT 'free',
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    display_name TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    family_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    family_expires_at INTEGER NOT NULL,
    used_at INTEGER,
    replaced_by TEXT,
    revoked_at INTEGER
);
CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
