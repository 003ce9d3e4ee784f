-- Memberships, people, sessions, single-use tokens, the mail outbox, the audit log, sign-in
-- failures and settings.
-- Written by SeaORM releases as migration m0001_foundation; kept byte for byte so their databases are adopted as they are.
CREATE TABLE "memberships" ( "id" uuid NOT NULL PRIMARY KEY, "name" varchar(160) NOT NULL UNIQUE, "tax_id" varchar(20) NULL, "coordinator_email" varchar(254) NULL, "contract_state" varchar(16) NOT NULL, "active" bool NOT NULL, "invitation_code" varchar(16) NOT NULL UNIQUE, "code_expires_at" timestamp with time zone NULL, "created_at" timestamp with time zone NOT NULL, "updated_at" timestamp with time zone NOT NULL );
CREATE TABLE "users" ( "id" uuid NOT NULL PRIMARY KEY, "email" varchar(254) NOT NULL UNIQUE, "name" varchar(120) NOT NULL, "password_hash" varchar NULL, "role" varchar(16) NOT NULL, "membership_id" uuid NULL, "language" varchar(8) NOT NULL, "active" bool NOT NULL, "created_at" timestamp with time zone NOT NULL, "last_sign_in_at" timestamp with time zone NULL, FOREIGN KEY ("membership_id") REFERENCES "memberships" ("id") ON DELETE RESTRICT );
CREATE INDEX "idx_users_membership" ON "users" ("membership_id");
CREATE TABLE "sessions" ( "id" varchar(64) NOT NULL PRIMARY KEY, "user_id" uuid NOT NULL, "created_at" timestamp with time zone NOT NULL, "last_seen_at" timestamp with time zone NOT NULL, "expires_at" timestamp with time zone NOT NULL, "ip" varchar(64) NULL, "user_agent" varchar(256) NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE );
CREATE INDEX "idx_sessions_user" ON "sessions" ("user_id");
CREATE TABLE "tokens" ( "id" varchar(64) NOT NULL PRIMARY KEY, "purpose" varchar(32) NOT NULL, "user_id" uuid NULL, "membership_id" uuid NULL, "payload" text NULL, "created_at" timestamp with time zone NOT NULL, "expires_at" timestamp with time zone NOT NULL, "used_at" timestamp with time zone NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE );
CREATE TABLE "outbox" ( "id" uuid NOT NULL PRIMARY KEY, "to_address" varchar(254) NOT NULL, "subject" varchar NOT NULL, "text_body" text NOT NULL, "html_body" text NOT NULL, "attachments" text NULL, "created_at" timestamp with time zone NOT NULL, "attempts" integer NOT NULL, "next_attempt_at" timestamp with time zone NOT NULL, "claimed_until" timestamp with time zone NULL, "sent_at" timestamp with time zone NULL, "last_error" text NULL );
CREATE INDEX "idx_outbox_due" ON "outbox" ("sent_at", "next_attempt_at");
CREATE TABLE "audit_events" ( "id" uuid NOT NULL PRIMARY KEY, "at" timestamp with time zone NOT NULL, "actor_id" uuid NULL, "actor_email" varchar(254) NULL, "action" varchar(48) NOT NULL, "subject" varchar NOT NULL, "membership_id" uuid NULL, "ip" varchar(64) NULL );
CREATE INDEX "idx_audit_at" ON "audit_events" ("at");
CREATE TABLE "login_failures" ( "id" uuid NOT NULL PRIMARY KEY, "email" varchar(254) NOT NULL, "ip" varchar(64) NOT NULL, "at" timestamp with time zone NOT NULL );
CREATE INDEX "idx_login_failures_email" ON "login_failures" ("email", "at");
CREATE INDEX "idx_login_failures_ip" ON "login_failures" ("ip", "at");
CREATE TABLE "settings" ( "key" varchar(64) NOT NULL PRIMARY KEY, "value" text NOT NULL );
