-- AlterTable
ALTER TABLE "CreditLimit" ADD COLUMN     "actor" TEXT;

-- AlterTable
ALTER TABLE "CompanyProfile" ADD COLUMN     "actor" TEXT;

-- AlterTable
ALTER TABLE "Document" ADD COLUMN     "actor" TEXT;

-- AlterTable
ALTER TABLE "InvoiceDetail" ADD COLUMN     "actor" TEXT;

-- AlterTable
ALTER TABLE "ReasonText" ADD COLUMN     "actor" TEXT;

-- AlterTable
ALTER TABLE "DisputeMessage" ADD COLUMN     "actor" TEXT;

-- AlterTable
ALTER TABLE "DisputeAttachment" ADD COLUMN     "actor" TEXT;

-- CreateTable
CREATE TABLE "StaffMember" (
    "id" TEXT NOT NULL,
    "member" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "deskRoles" TEXT NOT NULL,
    "authorityAmount" TEXT,
    "addedBy" TEXT NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "removedAt" TIMESTAMP(3),
    "removedBy" TEXT,

    CONSTRAINT "StaffMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" SERIAL NOT NULL,
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
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "cancelReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "providerReply" TEXT,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
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
