-- CreateTable
CREATE TABLE "DeferredIndex" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "definition" TEXT NOT NULL
);
