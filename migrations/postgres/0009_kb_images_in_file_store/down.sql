ALTER TABLE "kb_images" DROP COLUMN "file_id";
