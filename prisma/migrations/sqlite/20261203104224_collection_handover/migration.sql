-- CreateTable
CREATE TABLE "CollectionHandover" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "receivableId" TEXT NOT NULL,
    "creditor" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "agency" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "person" TEXT NOT NULL,
    "handedOverAt" DATETIME NOT NULL,
    "block" INTEGER NOT NULL,
    "level" INTEGER,
    "recalledAt" DATETIME,
    "recalledBy" TEXT,
    "recallNote" TEXT,
    "evidencePdf" BLOB NOT NULL,
    "evidenceZip" BLOB NOT NULL,
    "zipSha256" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "CollectionHandover_caseId_handedOverAt_idx" ON "CollectionHandover"("caseId", "handedOverAt");

-- CreateIndex
CREATE INDEX "CollectionHandover_creditor_recalledAt_idx" ON "CollectionHandover"("creditor", "recalledAt");
