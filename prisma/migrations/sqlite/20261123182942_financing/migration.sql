-- BEGIN hand-written
-- The indexer now also follows the financing modules (FactoringMarket, PledgeLoans, CreditInsurance), whose
-- logs earlier runs never fetched: the projections are derived from the chain, so they are emptied and the
-- indexer re-indexes from the deployment block at the next start.
DELETE FROM "ReceivableVersion";
DELETE FROM "Receivable";
DELETE FROM "PartyBalance";
DELETE FROM "Member";
DELETE FROM "LedgerEvent";
DELETE FROM "RecentBlock";
DELETE FROM "IndexerCheckpoint";
-- END hand-written
-- CreateTable
CREATE TABLE "FinListing" (
    "receivableId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "lister" TEXT NOT NULL,
    "reserve" TEXT NOT NULL,
    "deadline" INTEGER NOT NULL,
    "withRecourse" BOOLEAN NOT NULL,
    "recourseRateBps" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "listedBlock" INTEGER NOT NULL,
    "listedTx" TEXT NOT NULL,
    "endedBlock" INTEGER,

    PRIMARY KEY ("receivableId", "seq")
);

-- CreateTable
CREATE TABLE "FinSale" (
    "receivableId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "seller" TEXT NOT NULL,
    "financier" TEXT NOT NULL,
    "price" TEXT NOT NULL,
    "withRecourse" BOOLEAN NOT NULL,
    "recourseRateBps" INTEGER NOT NULL,
    "nonce" TEXT NOT NULL,
    "soldBlock" INTEGER NOT NULL,
    "soldTx" TEXT NOT NULL,
    "recourseStatus" TEXT NOT NULL,
    "recourseAmount" TEXT,
    "recourseBlock" INTEGER,
    "forwarded" TEXT NOT NULL,

    PRIMARY KEY ("receivableId", "seq")
);

-- CreateTable
CREATE TABLE "FinLoan" (
    "receivableId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "borrower" TEXT NOT NULL,
    "lender" TEXT NOT NULL,
    "principal" TEXT NOT NULL,
    "rateBps" INTEGER NOT NULL,
    "nonce" TEXT NOT NULL,
    "openedBlock" INTEGER NOT NULL,
    "openedTx" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "paidToLender" TEXT NOT NULL,
    "paidToHolder" TEXT NOT NULL,
    "owed" TEXT NOT NULL,
    "closedBlock" INTEGER,

    PRIMARY KEY ("receivableId", "seq")
);

-- CreateTable
CREATE TABLE "FinLoanRepayment" (
    "receivableId" TEXT NOT NULL,
    "loanSeq" INTEGER NOT NULL,
    "blockNumber" INTEGER NOT NULL,
    "transactionIndex" INTEGER NOT NULL,
    "logIndex" INTEGER NOT NULL,
    "transactionHash" TEXT NOT NULL,
    "lender" TEXT NOT NULL,
    "toLender" TEXT NOT NULL,
    "toHolder" TEXT NOT NULL,
    "owedAfter" TEXT NOT NULL,

    PRIMARY KEY ("receivableId", "blockNumber", "transactionIndex", "logIndex")
);

-- CreateTable
CREATE TABLE "FinPolicy" (
    "receivableId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "insurer" TEXT NOT NULL,
    "coverageBps" INTEGER NOT NULL,
    "premium" TEXT NOT NULL,
    "expiry" INTEGER NOT NULL,
    "escrow" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "holder" TEXT,
    "payout" TEXT,
    "offeredBlock" INTEGER NOT NULL,
    "updatedBlock" INTEGER NOT NULL,

    PRIMARY KEY ("receivableId", "seq")
);

-- CreateTable
CREATE TABLE "FinCancelledNonce" (
    "contract" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "blockNumber" INTEGER NOT NULL,

    PRIMARY KEY ("contract", "account", "nonce")
);

-- CreateTable
CREATE TABLE "FinOffer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "receivableId" TEXT NOT NULL,
    "bidder" TEXT NOT NULL,
    "price" TEXT,
    "advanceBps" INTEGER,
    "rateBps" INTEGER,
    "nonce" TEXT NOT NULL,
    "expiry" INTEGER NOT NULL,
    "signature" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "withdrawnAt" DATETIME
);

-- CreateTable
CREATE TABLE "CreditLimit" (
    "buyer" TEXT NOT NULL PRIMARY KEY,
    "limitAmount" TEXT NOT NULL,
    "externalRating" TEXT,
    "note" TEXT,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "FinListing_status_listedBlock_idx" ON "FinListing"("status", "listedBlock");

-- CreateIndex
CREATE INDEX "FinListing_lister_idx" ON "FinListing"("lister");

-- CreateIndex
CREATE INDEX "FinSale_financier_idx" ON "FinSale"("financier");

-- CreateIndex
CREATE INDEX "FinSale_seller_idx" ON "FinSale"("seller");

-- CreateIndex
CREATE INDEX "FinLoan_lender_idx" ON "FinLoan"("lender");

-- CreateIndex
CREATE INDEX "FinLoan_borrower_idx" ON "FinLoan"("borrower");

-- CreateIndex
CREATE INDEX "FinPolicy_insurer_idx" ON "FinPolicy"("insurer");

-- CreateIndex
CREATE INDEX "FinCancelledNonce_blockNumber_idx" ON "FinCancelledNonce"("blockNumber");

-- CreateIndex
CREATE INDEX "FinOffer_receivableId_kind_idx" ON "FinOffer"("receivableId", "kind");

-- CreateIndex
CREATE INDEX "FinOffer_bidder_idx" ON "FinOffer"("bidder");

-- CreateIndex
CREATE UNIQUE INDEX "FinOffer_kind_bidder_nonce_key" ON "FinOffer"("kind", "bidder", "nonce");
