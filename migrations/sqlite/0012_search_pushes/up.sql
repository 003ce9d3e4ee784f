-- A search engine shared by every node (Meilisearch) follows the change log from one cursor,
-- kept here: the node holding the lease pushes each change once and moves the cursor.
CREATE TABLE "search_pushes" ( "engine" varchar(120) NOT NULL PRIMARY KEY, "position" bigint NOT NULL DEFAULT 0, "holder" varchar(64) NULL, "lease_until" timestamp_with_timezone_text NULL, "updated_at" timestamp_with_timezone_text NOT NULL );
