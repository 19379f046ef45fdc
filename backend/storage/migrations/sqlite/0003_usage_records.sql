-- One row per finished generation, for billing and quotas (docs/streaming.md).
-- Written once, when the assistant message is stored; never updated. Costs are
-- micro-dollars (DESIGN.md: money is integers); `estimated` marks usage the
-- provider did not report (the core's TokenEstimate). No foreign key to the
-- message: billing history outlives a purged conversation.

CREATE TABLE usage_records (
    id             TEXT PRIMARY KEY NOT NULL,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message_id     TEXT NOT NULL,
    model          TEXT NOT NULL,
    deployment     TEXT NOT NULL DEFAULT '',
    input_tokens   INTEGER NOT NULL DEFAULT 0,
    output_tokens  INTEGER NOT NULL DEFAULT 0,
    cached_tokens  INTEGER NOT NULL DEFAULT 0,
    cost_micros    INTEGER NOT NULL DEFAULT 0,
    estimated      INTEGER NOT NULL DEFAULT 0 CHECK (estimated IN (0, 1)),
    status         TEXT NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX usage_records_message ON usage_records (message_id);
CREATE INDEX usage_records_user_time ON usage_records (user_id, created_at);
