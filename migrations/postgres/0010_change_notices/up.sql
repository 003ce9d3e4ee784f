-- PostgreSQL tells every node when the tables behind the read caches change, whoever writes
-- them (Faro also notifies on each commit; these cover SQL run by hand). Session rows notify
-- only when deleted.
-- Written by SeaORM releases as migration m0010_change_notices; kept byte for byte so their databases are adopted as they are.
CREATE FUNCTION faro_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('faro_changed', TG_TABLE_NAME); RETURN NULL; END $$;
CREATE TRIGGER users_changed AFTER INSERT OR UPDATE OR DELETE ON users FOR EACH STATEMENT EXECUTE FUNCTION faro_changed();
CREATE TRIGGER memberships_changed AFTER INSERT OR UPDATE OR DELETE ON memberships FOR EACH STATEMENT EXECUTE FUNCTION faro_changed();
CREATE TRIGGER sessions_changed AFTER DELETE ON sessions FOR EACH STATEMENT EXECUTE FUNCTION faro_changed();
CREATE TRIGGER kb_articles_changed AFTER INSERT OR UPDATE OR DELETE ON kb_articles FOR EACH STATEMENT EXECUTE FUNCTION faro_changed();
CREATE TRIGGER kb_categories_changed AFTER INSERT OR UPDATE OR DELETE ON kb_categories FOR EACH STATEMENT EXECUTE FUNCTION faro_changed();
CREATE TRIGGER kb_comments_changed AFTER INSERT OR UPDATE OR DELETE ON kb_comments FOR EACH STATEMENT EXECUTE FUNCTION faro_changed();
CREATE TRIGGER kb_feedback_changed AFTER INSERT OR UPDATE OR DELETE ON kb_feedback FOR EACH STATEMENT EXECUTE FUNCTION faro_changed();
