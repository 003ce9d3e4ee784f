DROP TABLE "search_pushes";
