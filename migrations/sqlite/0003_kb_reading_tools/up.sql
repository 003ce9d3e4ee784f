-- What readers do with articles: comments, "was it helpful?" answers, images, e-mailed
-- articles.
-- Written by SeaORM releases as migration m0003_kb_reading_tools; kept byte for byte so their databases are adopted as they are.
CREATE TABLE "kb_comments" ( "id" uuid_text NOT NULL PRIMARY KEY, "article_id" uuid_text NOT NULL, "author_id" uuid_text NULL, "author_name" varchar(120) NOT NULL, "body" text NOT NULL, "hidden" boolean NOT NULL, "created_at" timestamp_with_timezone_text NOT NULL, FOREIGN KEY ("article_id") REFERENCES "kb_articles" ("id") ON DELETE CASCADE );
CREATE INDEX "idx_kb_comments_article" ON "kb_comments" ("article_id");
CREATE TABLE "kb_feedback" ( "id" uuid_text NOT NULL PRIMARY KEY, "article_id" uuid_text NOT NULL, "user_id" uuid_text NOT NULL, "helpful" boolean NOT NULL, "remark" text NOT NULL, "created_at" timestamp_with_timezone_text NOT NULL, FOREIGN KEY ("article_id") REFERENCES "kb_articles" ("id") ON DELETE CASCADE );
CREATE UNIQUE INDEX "idx_kb_feedback_article_user" ON "kb_feedback" ("article_id", "user_id");
CREATE TABLE "kb_images" ( "id" uuid_text NOT NULL PRIMARY KEY, "article_id" uuid_text NOT NULL, "content_type" varchar(64) NOT NULL, "file_name" varchar(200) NOT NULL, "bytes" blob NOT NULL, "sha256" varchar(64) NOT NULL, "created_at" timestamp_with_timezone_text NOT NULL, FOREIGN KEY ("article_id") REFERENCES "kb_articles" ("id") ON DELETE CASCADE );
CREATE TABLE "kb_shares" ( "id" uuid_text NOT NULL PRIMARY KEY, "article_id" uuid_text NOT NULL, "user_id" uuid_text NOT NULL, "to_address" varchar(254) NOT NULL, "created_at" timestamp_with_timezone_text NOT NULL, FOREIGN KEY ("article_id") REFERENCES "kb_articles" ("id") ON DELETE CASCADE );
CREATE INDEX "idx_kb_shares_user" ON "kb_shares" ("user_id", "created_at");
