-- Counted events behind the limits on forms that e-mail a typed address.
-- Written by SeaORM releases as migration m0005_rate_events; kept byte for byte so their databases are adopted as they are.
CREATE TABLE "rate_events" ( "id" uuid NOT NULL PRIMARY KEY, "kind" varchar(32) NOT NULL, "key" varchar(254) NOT NULL, "at" timestamp with time zone NOT NULL );
CREATE INDEX "idx_rate_events_kind_key_at" ON "rate_events" ("kind", "key", "at");
