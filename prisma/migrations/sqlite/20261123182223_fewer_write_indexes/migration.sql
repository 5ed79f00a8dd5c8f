-- DropIndex
DROP INDEX "LedgerEvent_blockNumber_idx";

-- DropIndex
DROP INDEX "Receivable_buyer_registeredBlock_idx";

-- DropIndex
DROP INDEX "Receivable_dueDate_idx";
