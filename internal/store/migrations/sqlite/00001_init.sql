-- +goose Up
-- Times are Unix milliseconds (UTC) in both databases, so comparisons are exact
-- and one code path reads them.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL DEFAULT '',
    plan          TEXT    NOT NULL,
    is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
    balance       INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),
    created_at    INTEGER NOT NULL
);

CREATE TABLE apps (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    token_prefix TEXT    NOT NULL,
    balance      INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX apps_user ON apps (user_id);

-- A hold reserves credits of an app for one model call until it is settled
-- or released; an open hold past expires_at is released by the sweeper.
CREATE TABLE holds (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id     INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    amount     INTEGER NOT NULL CHECK (amount > 0),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    closed_at  INTEGER
);
CREATE INDEX holds_open ON holds (expires_at) WHERE closed_at IS NULL;

-- Every change of a balance is one row here, written in the same transaction
-- as the balance. Exactly one of user_id and app_id is set.
CREATE TABLE ledger (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER,
    app_id        INTEGER,
    delta         INTEGER NOT NULL,
    balance_after INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    ref           TEXT    NOT NULL DEFAULT '',
    note          TEXT    NOT NULL DEFAULT '',
    idem_key      TEXT UNIQUE,
    created_at    INTEGER NOT NULL,
    CHECK ((user_id IS NULL) <> (app_id IS NULL))
);
CREATE INDEX ledger_user ON ledger (user_id, id);
CREATE INDEX ledger_app ON ledger (app_id, id);

CREATE TABLE chats (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id        INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    assistant_id  INTEGER NOT NULL,
    title         TEXT    NOT NULL,
    message_count INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX chats_app_assistant ON chats (app_id, assistant_id, updated_at);

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    role       TEXT    NOT NULL,
    content    TEXT    NOT NULL,
    tokens     INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX messages_chat ON messages (chat_id, id);

-- One row per metered call; kept when its chat is deleted, for usage reports.
CREATE TABLE calls (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id          INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    chat_id         INTEGER NOT NULL,
    assistant_id    INTEGER NOT NULL,
    model           TEXT    NOT NULL,
    message_tokens  INTEGER NOT NULL,
    response_tokens INTEGER NOT NULL,
    credits         INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX calls_app ON calls (app_id, created_at);

-- +goose Down
DROP TABLE calls;
DROP TABLE messages;
DROP TABLE chats;
DROP TABLE ledger;
DROP TABLE holds;
DROP TABLE apps;
DROP TABLE users;
