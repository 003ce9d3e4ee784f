DROP TABLE "api_keys";
DROP TABLE "refresh_tokens";
ALTER TABLE "audit_events" DROP COLUMN "api_key_id";
ALTER TABLE "users" DROP COLUMN "token_version";
