-- CreateTable
CREATE TABLE "DeferredIndex" (
    "name" TEXT NOT NULL,
    "definition" TEXT NOT NULL,

    CONSTRAINT "DeferredIndex_pkey" PRIMARY KEY ("name")
);
