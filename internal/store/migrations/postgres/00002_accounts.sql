-- +goose Up
-- Plan credits: the part of users.balance that came from the plan's
-- allowance for the current billing cycle [cycle_start, cycle_end). They
-- expire when the cycle ends; the rest of the balance (packages) never does.
ALTER TABLE users ADD COLUMN plan_credit BIGINT NOT NULL DEFAULT 0 CHECK (plan_credit >= 0);
ALTER TABLE users ADD COLUMN cycle_start BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN cycle_end   BIGINT NOT NULL DEFAULT 0;
CREATE INDEX users_cycle_end ON users (cycle_end);

-- Dashboard sessions. The cookie holds a random secret; only its SHA-256
-- is kept here.
CREATE TABLE sessions (
    id_hash    TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Usage pages list a user's calls newest first.
CREATE INDEX calls_app_id ON calls (app_id, id);

-- +goose Down
DROP INDEX calls_app_id;
DROP TABLE sessions;
DROP INDEX users_cycle_end;
ALTER TABLE users DROP COLUMN cycle_end;
ALTER TABLE users DROP COLUMN cycle_start;
ALTER TABLE users DROP COLUMN plan_credit;
