-- CreateTable
CREATE TABLE "IndexerCheckpoint" (
    "id" INTEGER NOT NULL,
    "chainId" INTEGER NOT NULL,
    "blockNumber" INTEGER NOT NULL,
    "blockHash" TEXT NOT NULL,
    "headBlock" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IndexerCheckpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecentBlock" (
    "number" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "parentHash" TEXT NOT NULL,

    CONSTRAINT "RecentBlock_pkey" PRIMARY KEY ("number")
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

    CONSTRAINT "LedgerEvent_pkey" PRIMARY KEY ("chainId","blockNumber","transactionIndex","logIndex")
);

-- CreateTable
CREATE TABLE "Member" (
    "address" TEXT NOT NULL,
    "roles" INTEGER NOT NULL,
    "expiresAt" INTEGER NOT NULL,
    "suspended" BOOLEAN NOT NULL,
    "admittedAtBlock" INTEGER NOT NULL,
    "updatedAtBlock" INTEGER NOT NULL,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "Receivable" (
    "id" TEXT NOT NULL,
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
    "updatedBlock" INTEGER NOT NULL,

    CONSTRAINT "Receivable_pkey" PRIMARY KEY ("id")
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

    CONSTRAINT "ReceivableVersion_pkey" PRIMARY KEY ("id","validFrom")
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

    CONSTRAINT "PartyBalance_pkey" PRIMARY KEY ("address","side")
);

-- CreateTable
CREATE TABLE "CompanyProfile" (
    "address" TEXT NOT NULL,
    "legalName" TEXT NOT NULL,
    "taxId" TEXT NOT NULL,
    "contacts" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT NOT NULL,

    CONSTRAINT "CompanyProfile_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "Document" (
    "receivableId" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "hash" TEXT NOT NULL,
    "uploadedBy" TEXT NOT NULL,
    "uploadedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Document_pkey" PRIMARY KEY ("receivableId")
);

-- CreateTable
CREATE TABLE "AuthNonce" (
    "nonce" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuthNonce_pkey" PRIMARY KEY ("nonce")
);

-- CreateTable
CREATE TABLE "Session" (
    "token" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("token")
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
