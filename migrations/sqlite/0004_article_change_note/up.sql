-- Articles keep the note of their latest revision (what changed, for readers).
-- Written by SeaORM releases as migration m0004_article_change_note; kept byte for byte so their databases are adopted as they are.
ALTER TABLE "kb_articles" ADD COLUMN "last_change_note" varchar(300) NOT NULL DEFAULT '';
