-- AlterTable
ALTER TABLE "CompanyProfile" ADD COLUMN     "actor" TEXT;

-- AlterTable
ALTER TABLE "Document" ADD COLUMN     "actor" TEXT;

-- AlterTable
ALTER TABLE "CreditLimit" ADD COLUMN     "actor" TEXT;

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

-- CreateIndex
CREATE INDEX "StaffMember_address_removedAt_idx" ON "StaffMember"("address", "removedAt");

-- CreateIndex
CREATE INDEX "StaffMember_member_removedAt_idx" ON "StaffMember"("member", "removedAt");
