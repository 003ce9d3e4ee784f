ALTER TABLE "kb_articles" DROP COLUMN "last_change_note";
