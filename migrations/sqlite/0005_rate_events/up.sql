-- Counted events behind the limits on forms that e-mail a typed address.
-- Written by SeaORM releases as migration m0005_rate_events; kept byte for byte so their databases are adopted as they are.
CREATE TABLE "rate_events" ( "id" uuid_text NOT NULL PRIMARY KEY, "kind" varchar(32) NOT NULL, "key" varchar(254) NOT NULL, "at" timestamp_with_timezone_text NOT NULL );
CREATE INDEX "idx_rate_events_kind_key_at" ON "rate_events" ("kind", "key", "at");
