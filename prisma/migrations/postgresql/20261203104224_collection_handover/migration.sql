-- CreateTable
CREATE TABLE "CollectionHandover" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "receivableId" TEXT NOT NULL,
    "creditor" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "agency" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "person" TEXT NOT NULL,
    "handedOverAt" TIMESTAMP(3) NOT NULL,
    "block" INTEGER NOT NULL,
    "level" INTEGER,
    "recalledAt" TIMESTAMP(3),
    "recalledBy" TEXT,
    "recallNote" TEXT,
    "evidencePdf" BYTEA NOT NULL,
    "evidenceZip" BYTEA NOT NULL,
    "zipSha256" TEXT NOT NULL,

    CONSTRAINT "CollectionHandover_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CollectionHandover_caseId_handedOverAt_idx" ON "CollectionHandover"("caseId", "handedOverAt");

-- CreateIndex
CREATE INDEX "CollectionHandover_creditor_recalledAt_idx" ON "CollectionHandover"("creditor", "recalledAt");
