-- Downloads and resources: the register of stored files, items, their audience, versions, who
-- fetched what, and the resources catalogue.
-- Written by SeaORM releases as migration m0006_downloads; kept byte for byte so their databases are adopted as they are.
CREATE TABLE "stored_files" ( "id" uuid NOT NULL PRIMARY KEY, "object_key" varchar(200) NOT NULL UNIQUE, "file_name" varchar(200) NOT NULL, "size" bigint NOT NULL, "sha256" varchar(64) NOT NULL, "state" varchar(16) NOT NULL, "created_at" timestamp with time zone NOT NULL );
CREATE INDEX "idx_stored_files_state" ON "stored_files" ("state", "created_at");
CREATE TABLE "download_items" ( "id" uuid NOT NULL PRIMARY KEY, "slug" varchar(120) NOT NULL UNIQUE, "kind" varchar(16) NOT NULL, "title" varchar(200) NOT NULL, "description" text NOT NULL, "category" varchar(80) NOT NULL, "all_clients" bool NOT NULL, "created_at" timestamp with time zone NOT NULL, "updated_at" timestamp with time zone NOT NULL );
CREATE TABLE "download_audience" ( "item_id" uuid NOT NULL, "membership_id" uuid NOT NULL, PRIMARY KEY ("item_id", "membership_id"), FOREIGN KEY ("item_id") REFERENCES "download_items" ("id") ON DELETE CASCADE, FOREIGN KEY ("membership_id") REFERENCES "memberships" ("id") ON DELETE CASCADE );
CREATE INDEX "idx_download_audience_membership" ON "download_audience" ("membership_id");
CREATE TABLE "download_versions" ( "id" uuid NOT NULL PRIMARY KEY, "item_id" uuid NOT NULL, "label" varchar(64) NOT NULL, "notes" text NOT NULL, "file_id" uuid NOT NULL, "published_by" uuid NULL, "published_by_name" varchar(120) NOT NULL, "published_at" timestamp with time zone NOT NULL, "withdrawn_at" timestamp with time zone NULL, "withdrawn_reason" text NULL, FOREIGN KEY ("item_id") REFERENCES "download_items" ("id") ON DELETE CASCADE, FOREIGN KEY ("file_id") REFERENCES "stored_files" ("id") );
CREATE UNIQUE INDEX "idx_download_versions_item_label" ON "download_versions" ("item_id", "label");
CREATE TABLE "download_events" ( "id" uuid NOT NULL PRIMARY KEY, "item_id" uuid NOT NULL, "version_id" uuid NOT NULL, "user_id" uuid NOT NULL, "membership_id" uuid NULL, "at" timestamp with time zone NOT NULL, FOREIGN KEY ("item_id") REFERENCES "download_items" ("id") ON DELETE CASCADE );
CREATE INDEX "idx_download_events_item" ON "download_events" ("item_id", "version_id");
CREATE INDEX "idx_download_events_user" ON "download_events" ("user_id", "item_id");
CREATE TABLE "download_visits" ( "user_id" uuid NOT NULL PRIMARY KEY, "seen_at" timestamp with time zone NOT NULL );
CREATE TABLE "resources" ( "id" uuid NOT NULL PRIMARY KEY, "slug" varchar(120) NOT NULL UNIQUE, "name" varchar(200) NOT NULL, "description" text NOT NULL, "category" varchar(80) NOT NULL, "url" varchar(2000) NOT NULL, "file_id" uuid NULL, "file_version" varchar(64) NOT NULL, "verified_on" date NULL, "created_at" timestamp with time zone NOT NULL, "updated_at" timestamp with time zone NOT NULL, FOREIGN KEY ("file_id") REFERENCES "stored_files" ("id") );
