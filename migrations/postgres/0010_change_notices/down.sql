DROP TRIGGER kb_feedback_changed ON kb_feedback;
DROP TRIGGER kb_comments_changed ON kb_comments;
DROP TRIGGER kb_categories_changed ON kb_categories;
DROP TRIGGER kb_articles_changed ON kb_articles;
DROP TRIGGER sessions_changed ON sessions;
DROP TRIGGER memberships_changed ON memberships;
DROP TRIGGER users_changed ON users;
DROP FUNCTION faro_changed();
