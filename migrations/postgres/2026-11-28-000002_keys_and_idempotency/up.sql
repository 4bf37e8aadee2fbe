-- API keys and idempotent POSTs (PostgreSQL). Kept in step with ../../sqlite/<same folder>.

-- A key is `lrg_<key_id>_<secret>`: `key_id` finds the row, the secret is only stored hashed.
CREATE TABLE api_keys (
    name TEXT PRIMARY KEY NOT NULL,
    key_id TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);

-- The first response to a POST with an Idempotency-Key, per API key, replayed on retries.
CREATE TABLE idempotency_keys (
    key_name TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    location TEXT NOT NULL,
    etag TEXT NOT NULL,
    content_language TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (key_name, idempotency_key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- Secrets the service makes for itself (the key that signs paging cursors), shared by every
-- instance on the database so that a cursor from one is valid on another.
CREATE TABLE service_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
