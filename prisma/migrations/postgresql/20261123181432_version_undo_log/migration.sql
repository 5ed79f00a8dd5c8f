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
-- DropIndex
DROP INDEX "ReceivableVersion_validFrom_idx";

-- AlterTable
ALTER TABLE "ReceivableVersion" ADD COLUMN     "validTo" INTEGER NOT NULL;

-- CreateIndex
CREATE INDEX "ReceivableVersion_validTo_idx" ON "ReceivableVersion"("validTo");
