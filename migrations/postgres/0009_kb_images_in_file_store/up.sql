-- Article images move to the file store: kb_images.file_id points at a stored_files row (rows
-- written before keep their bytes until the start-up task moves them).
-- Written by SeaORM releases as migration m0009_kb_images_in_file_store; kept byte for byte so their databases are adopted as they are.
ALTER TABLE "kb_images" ADD COLUMN "file_id" uuid NULL;
