-- Webhook subscriptions and their delivery state (SQLite). Kept in step with ../../postgres/<same folder>.

-- A subscription's position is a change-feed seq: every entry up to it has been delivered (or
-- does not concern it), so a restart resumes exactly after it. `attempts`, `failing_since` and
-- `next_attempt_at` describe the entry after it while it fails; the lease says which instance
-- delivers for the subscription now (one at a time).
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY NOT NULL,
    url TEXT NOT NULL,
    collections TEXT,
    description TEXT,
    secret_sealed TEXT NOT NULL,
    previous_secret_sealed TEXT,
    previous_secret_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT,
    state TEXT NOT NULL,
    state_reason TEXT,
    position BIGINT NOT NULL,
    attempts INTEGER NOT NULL,
    failing_since TIMESTAMP,
    next_attempt_at TIMESTAMP,
    lease_owner TEXT,
    lease_until TIMESTAMP
);

-- Every attempt to deliver an entry, kept for the subscription's owner to read.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    attempt INTEGER NOT NULL,
    manual BOOLEAN NOT NULL,
    at TIMESTAMP NOT NULL,
    status INTEGER,
    duration_ms INTEGER NOT NULL,
    error TEXT,
    outcome TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);

-- Entries asked to be delivered again (POST .../deliveries/{id}/retry) after they were delivered.
CREATE TABLE webhook_redeliveries (
    webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    PRIMARY KEY (webhook_id, seq)
);

-- Streams and subscriptions that follow some collections read the feed by collection.
CREATE INDEX changes_collection_seq ON changes (collection, seq);
