-- BEGIN hand-written
-- ReceivableVersion changes meaning (from "every state" to "past states"): the projections are derived from the
-- chain, so they are emptied and the indexer re-indexes from the deployment block at the next start.
DELETE FROM "ReceivableVersion";
DELETE FROM "Receivable";
DELETE FROM "PartyBalance";
DELETE FROM "Member";
DELETE FROM "LedgerEvent";
DELETE FROM "RecentBlock";
DELETE FROM "IndexerCheckpoint";
-- END hand-written
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ReceivableVersion" (
    "id" TEXT NOT NULL,
    "validFrom" INTEGER NOT NULL,
    "validTo" INTEGER NOT NULL,
    "seller" TEXT NOT NULL,
    "buyer" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "faceAmount" TEXT NOT NULL,
    "paid" TEXT NOT NULL,
    "outstanding" TEXT NOT NULL,
    "issueDate" INTEGER NOT NULL,
    "dueDate" INTEGER NOT NULL,
    "documentHash" TEXT NOT NULL,
    "discountBps" INTEGER NOT NULL,
    "discountDays" INTEGER NOT NULL,
    "lateInterestBps" INTEGER NOT NULL,
    "graceDays" INTEGER NOT NULL,
    "parentId" TEXT,
    "lockedBy" TEXT,
    "listed" BOOLEAN NOT NULL DEFAULT false,
    "registeredBlock" INTEGER NOT NULL,
    "registeredTx" TEXT NOT NULL,

    PRIMARY KEY ("id", "validFrom")
);
INSERT INTO "new_ReceivableVersion" ("buyer", "discountBps", "discountDays", "documentHash", "dueDate", "faceAmount", "graceDays", "holder", "id", "issueDate", "lateInterestBps", "listed", "lockedBy", "outstanding", "paid", "parentId", "registeredBlock", "registeredTx", "seller", "status", "validFrom") SELECT "buyer", "discountBps", "discountDays", "documentHash", "dueDate", "faceAmount", "graceDays", "holder", "id", "issueDate", "lateInterestBps", "listed", "lockedBy", "outstanding", "paid", "parentId", "registeredBlock", "registeredTx", "seller", "status", "validFrom" FROM "ReceivableVersion";
DROP TABLE "ReceivableVersion";
ALTER TABLE "new_ReceivableVersion" RENAME TO "ReceivableVersion";
CREATE INDEX "ReceivableVersion_validTo_idx" ON "ReceivableVersion"("validTo");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
