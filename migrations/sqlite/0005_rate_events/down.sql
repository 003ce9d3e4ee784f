DROP INDEX "idx_rate_events_kind_key_at";
DROP TABLE "rate_events";
