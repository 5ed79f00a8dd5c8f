-- AlterTable
ALTER TABLE "CreditLimit" ADD COLUMN "actor" TEXT;

-- AlterTable
ALTER TABLE "CompanyProfile" ADD COLUMN "actor" TEXT;

-- AlterTable
ALTER TABLE "Document" ADD COLUMN "actor" TEXT;

-- AlterTable
ALTER TABLE "InvoiceDetail" ADD COLUMN "actor" TEXT;

-- AlterTable
ALTER TABLE "ReasonText" ADD COLUMN "actor" TEXT;

-- AlterTable
ALTER TABLE "DisputeMessage" ADD COLUMN "actor" TEXT;

-- AlterTable
ALTER TABLE "DisputeAttachment" ADD COLUMN "actor" TEXT;

-- CreateTable
CREATE TABLE "StaffMember" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "member" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "deskRoles" TEXT NOT NULL,
    "authorityAmount" TEXT,
    "addedBy" TEXT NOT NULL,
    "addedAt" DATETIME NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "removedAt" DATETIME,
    "removedBy" TEXT
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "dedupeKey" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "actor" TEXT,
    "recipient" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT,
    "language" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "cancelReason" TEXT,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "providerReply" TEXT
);

-- CreateIndex
CREATE INDEX "StaffMember_address_removedAt_idx" ON "StaffMember"("address", "removedAt");

-- CreateIndex
CREATE INDEX "StaffMember_member_removedAt_idx" ON "StaffMember"("member", "removedAt");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_dedupeKey_key" ON "OutboxMessage"("dedupeKey");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_sender_createdAt_idx" ON "OutboxMessage"("sender", "createdAt");
