-- Conversations, folders, tags and the message tree (docs/conversations.md).
-- Conventions (docs/storage.md): ids are TEXT UUIDs made in C++, times are
-- milliseconds since the epoch (UTC), booleans INTEGER 0/1 (SQLite) or BOOLEAN. Every row
-- carries user_id and every index used by a user's request starts with it, so
-- the tables can be distributed by user_id.

CREATE TABLE folders (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- One level of nesting: a parent is always a top-level folder of the same
    -- user (checked by FolderRepository). Deleting a parent moves its children
    -- to the top level.
    parent_id   TEXT REFERENCES folders (id) ON DELETE SET NULL,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX folders_user_parent ON folders (user_id, parent_id);

CREATE TABLE conversations (
    id                TEXT PRIMARY KEY NOT NULL,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    folder_id         TEXT REFERENCES folders (id) ON DELETE SET NULL,
    title             TEXT NOT NULL DEFAULT '',
    model             TEXT NOT NULL,
    system_prompt     TEXT NOT NULL DEFAULT '',
    pinned            BOOLEAN NOT NULL DEFAULT FALSE,
    archived          BOOLEAN NOT NULL DEFAULT FALSE,
    message_count     BIGINT NOT NULL DEFAULT 0,
    -- End of the branch the user looks at; no foreign key, so the tree and
    -- its conversation can be deleted in any order.
    selected_leaf_id  TEXT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    -- The list's sort key: created_at until the first message, then the time
    -- of the newest message. Never null, so keyset pagination stays simple.
    last_activity_at  BIGINT NOT NULL,
    last_message_at   BIGINT,
    deleted_at        BIGINT
);
-- The conversation list (newest activity first, id breaks ties).
CREATE INDEX conversations_user_activity
    ON conversations (user_id, last_activity_at DESC, id DESC) WHERE deleted_at IS NULL;
-- The trash view (same order as the list).
CREATE INDEX conversations_user_trash
    ON conversations (user_id, last_activity_at DESC, id DESC) WHERE deleted_at IS NOT NULL;
-- Moving a deleted folder's conversations out of it.
CREATE INDEX conversations_user_folder
    ON conversations (user_id, folder_id) WHERE folder_id IS NOT NULL;
-- The purge job looks across users for rows deleted long ago.
CREATE INDEX conversations_purge ON conversations (deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE conversation_tags (
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    conversation_id  TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    tag              TEXT NOT NULL,
    PRIMARY KEY (user_id, conversation_id, tag)
);
-- Filter by tag and the tag list with counts.
CREATE INDEX conversation_tags_user_tag ON conversation_tags (user_id, tag, conversation_id);

CREATE TABLE messages (
    id                TEXT PRIMARY KEY NOT NULL,
    conversation_id   TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The tree: null for a first message; otherwise a message of the same
    -- conversation (checked by MessageRepository).
    parent_id         TEXT,
    -- 1, 2, 3 … per conversation in insertion order: orders siblings and
    -- names the "most recent child" without relying on clock resolution.
    seq               BIGINT NOT NULL,
    role              TEXT NOT NULL,
    content           TEXT NOT NULL,          -- JSON array of content parts
    status            TEXT NOT NULL,
    error_code        TEXT,
    error_message     TEXT,
    model             TEXT NOT NULL DEFAULT '',
    deployment        TEXT,
    input_tokens      BIGINT,                -- usage: all null when none
    output_tokens     BIGINT,
    cached_tokens     BIGINT,
    usage_estimated   BOOLEAN,
    cost_micros       BIGINT,
    ttft_ms           BIGINT,
    total_ms          BIGINT,
    created_at        BIGINT NOT NULL
);
CREATE UNIQUE INDEX messages_user_conversation_seq ON messages (user_id, conversation_id, seq);
-- Children of a message (sibling counts, branch selection).
CREATE INDEX messages_user_parent ON messages (user_id, conversation_id, parent_id, seq);
