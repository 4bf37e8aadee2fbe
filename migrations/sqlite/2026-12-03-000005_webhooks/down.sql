-- Subscriptions and their delivery state go.
DROP TABLE webhook_redeliveries;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP INDEX changes_collection_seq;
