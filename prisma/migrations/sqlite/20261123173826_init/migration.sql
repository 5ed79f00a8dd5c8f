-- CreateTable
CREATE TABLE "IndexerCheckpoint" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "chainId" INTEGER NOT NULL,
    "blockNumber" INTEGER NOT NULL,
    "blockHash" TEXT NOT NULL,
    "headBlock" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RecentBlock" (
    "number" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hash" TEXT NOT NULL,
    "parentHash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "LedgerEvent" (
    "chainId" INTEGER NOT NULL,
    "blockNumber" INTEGER NOT NULL,
    "transactionIndex" INTEGER NOT NULL,
    "logIndex" INTEGER NOT NULL,
    "blockHash" TEXT NOT NULL,
    "transactionHash" TEXT NOT NULL,
    "contract" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "receivableId" TEXT,
    "member" TEXT,
    "args" TEXT NOT NULL,

    PRIMARY KEY ("chainId", "blockNumber", "transactionIndex", "logIndex")
);

-- CreateTable
CREATE TABLE "Member" (
    "address" TEXT NOT NULL PRIMARY KEY,
    "roles" INTEGER NOT NULL,
    "expiresAt" INTEGER NOT NULL,
    "suspended" BOOLEAN NOT NULL,
    "admittedAtBlock" INTEGER NOT NULL,
    "updatedAtBlock" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "Receivable" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "updatedBlock" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "ReceivableVersion" (
    "id" TEXT NOT NULL,
    "validFrom" INTEGER NOT NULL,
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

-- CreateTable
CREATE TABLE "PartyBalance" (
    "address" TEXT NOT NULL,
    "side" TEXT NOT NULL,
    "openBalance" TEXT NOT NULL,
    "openCount" INTEGER NOT NULL,
    "confirmedOpen" TEXT NOT NULL,
    "exposure" TEXT NOT NULL,
    "updatedBlock" INTEGER NOT NULL,

    PRIMARY KEY ("address", "side")
);

-- CreateTable
CREATE TABLE "CompanyProfile" (
    "address" TEXT NOT NULL PRIMARY KEY,
    "legalName" TEXT NOT NULL,
    "taxId" TEXT NOT NULL,
    "contacts" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedBy" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Document" (
    "receivableId" TEXT NOT NULL PRIMARY KEY,
    "contentType" TEXT NOT NULL,
    "bytes" BLOB NOT NULL,
    "hash" TEXT NOT NULL,
    "uploadedBy" TEXT NOT NULL,
    "uploadedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AuthNonce" (
    "nonce" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Session" (
    "token" TEXT NOT NULL PRIMARY KEY,
    "address" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "LedgerEvent_receivableId_blockNumber_idx" ON "LedgerEvent"("receivableId", "blockNumber");

-- CreateIndex
CREATE INDEX "LedgerEvent_member_blockNumber_idx" ON "LedgerEvent"("member", "blockNumber");

-- CreateIndex
CREATE INDEX "LedgerEvent_blockNumber_idx" ON "LedgerEvent"("blockNumber");

-- CreateIndex
CREATE INDEX "Receivable_seller_registeredBlock_idx" ON "Receivable"("seller", "registeredBlock");

-- CreateIndex
CREATE INDEX "Receivable_buyer_registeredBlock_idx" ON "Receivable"("buyer", "registeredBlock");

-- CreateIndex
CREATE INDEX "Receivable_holder_registeredBlock_idx" ON "Receivable"("holder", "registeredBlock");

-- CreateIndex
CREATE INDEX "Receivable_status_registeredBlock_idx" ON "Receivable"("status", "registeredBlock");

-- CreateIndex
CREATE INDEX "Receivable_dueDate_idx" ON "Receivable"("dueDate");

-- CreateIndex
CREATE INDEX "Receivable_faceAmount_idx" ON "Receivable"("faceAmount");

-- CreateIndex
CREATE INDEX "Receivable_registeredBlock_idx" ON "Receivable"("registeredBlock");

-- CreateIndex
CREATE INDEX "ReceivableVersion_validFrom_idx" ON "ReceivableVersion"("validFrom");
