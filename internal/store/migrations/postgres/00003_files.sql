-- +goose Up
-- Files of messages: attachments of user messages, images and documents of
-- replies. The bytes live in blob storage under `name`. No foreign keys tie a
-- file to its chat or message: when a chat is deleted its files are marked
-- (deleted_at) in the same transaction, and their blobs are removed after it
-- commits, then the rows; a crash in between leaves marked rows to finish.
CREATE TABLE files (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    app_id     BIGINT  NOT NULL,
    chat_id    BIGINT  NOT NULL,
    message_id BIGINT  NOT NULL,
    kind       TEXT    NOT NULL,
    title      TEXT    NOT NULL DEFAULT '',
    mime       TEXT    NOT NULL,
    size       BIGINT  NOT NULL CHECK (size >= 0),
    sha256     TEXT    NOT NULL,
    text       TEXT    NOT NULL DEFAULT '',
    created_at BIGINT  NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX files_chat ON files (chat_id, message_id) WHERE deleted_at IS NULL;
CREATE INDEX files_deleted ON files (deleted_at) WHERE deleted_at IS NOT NULL;

-- +goose Down
DROP TABLE files;
