DROP INDEX "idx_kb_shares_user";
DROP TABLE "kb_shares";
DROP TABLE "kb_images";
DROP INDEX "idx_kb_feedback_article_user";
DROP TABLE "kb_feedback";
DROP INDEX "idx_kb_comments_article";
DROP TABLE "kb_comments";
