DROP TABLE "search_changes";
DROP INDEX "idx_kb_revisions_article_number";
DROP TABLE "kb_revisions";
DROP INDEX "idx_kb_articles_updated";
DROP INDEX "idx_kb_articles_membership";
DROP TABLE "kb_articles";
DROP TABLE "kb_categories";
