-- The REST API's credentials: rotating refresh tokens (the SPA's cookie) and API keys for
-- integrations, both stored as SHA-256 digests; a per-person token version that signed access
-- tokens must match; the API key behind each audited change.
ALTER TABLE "users" ADD COLUMN "token_version" integer NOT NULL DEFAULT 0;
ALTER TABLE "audit_events" ADD COLUMN "api_key_id" uuid NULL;
CREATE TABLE "refresh_tokens" ( "id" uuid NOT NULL PRIMARY KEY, "family_id" uuid NOT NULL, "user_id" uuid NOT NULL, "digest" varchar(64) NOT NULL UNIQUE, "created_at" timestamp with time zone NOT NULL, "expires_at" timestamp with time zone NOT NULL, "used_at" timestamp with time zone NULL, "revoked_at" timestamp with time zone NULL, "ip" varchar(64) NULL, "user_agent" varchar(256) NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE );
CREATE INDEX "idx_refresh_tokens_family" ON "refresh_tokens" ("family_id");
CREATE INDEX "idx_refresh_tokens_user" ON "refresh_tokens" ("user_id");
CREATE TABLE "api_keys" ( "id" uuid NOT NULL PRIMARY KEY, "user_id" uuid NOT NULL, "name" varchar(80) NOT NULL, "prefix" varchar(16) NOT NULL, "digest" varchar(64) NOT NULL UNIQUE, "scope" varchar(16) NOT NULL, "service" bool NOT NULL, "created_by" uuid NULL, "created_at" timestamp with time zone NOT NULL, "expires_at" timestamp with time zone NULL, "last_used_at" timestamp with time zone NULL, "last_used_ip" varchar(64) NULL, "revoked_at" timestamp with time zone NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE );
CREATE INDEX "idx_api_keys_user" ON "api_keys" ("user_id", "created_at");
