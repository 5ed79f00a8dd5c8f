-- AlterTable
ALTER TABLE "FinPolicy" ADD COLUMN "recovered" TEXT;

-- AlterTable
ALTER TABLE "FinOffer" ADD COLUMN "listingSeq" INTEGER;
ALTER TABLE "FinOffer" ADD COLUMN "offeredTo" TEXT;

-- CreateTable
CREATE TABLE "FinLoanRequest" (
    "receivableId" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "closedAt" DATETIME,

    PRIMARY KEY ("receivableId", "holder")
);

-- CreateTable
CREATE TABLE "InvoiceDetail" (
    "receivableId" TEXT NOT NULL PRIMARY KEY,
    "sellerTaxId" TEXT NOT NULL,
    "sellerTaxIdKey" TEXT NOT NULL,
    "buyerTaxId" TEXT NOT NULL,
    "buyerTaxIdKey" TEXT NOT NULL,
    "invoiceNumber" TEXT NOT NULL,
    "invoiceNumberKey" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "amount" TEXT NOT NULL,
    "issueDate" TEXT NOT NULL,
    "documentHash" TEXT NOT NULL,
    "submittedBy" TEXT NOT NULL,
    "submittedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ReasonText" (
    "receivableId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "submittedBy" TEXT NOT NULL,
    "submittedAt" DATETIME NOT NULL,

    PRIMARY KEY ("receivableId", "kind", "hash")
);

-- CreateTable
CREATE TABLE "DisputeMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "receivableId" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DisputeAttachment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "receivableId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "bytes" BLOB NOT NULL,
    "hash" TEXT NOT NULL,
    "uploadedBy" TEXT NOT NULL,
    "uploadedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "FinLoanRequest_holder_idx" ON "FinLoanRequest"("holder");

-- CreateIndex
CREATE INDEX "InvoiceDetail_invoiceNumberKey_idx" ON "InvoiceDetail"("invoiceNumberKey");

-- CreateIndex
CREATE INDEX "InvoiceDetail_documentHash_idx" ON "InvoiceDetail"("documentHash");

-- CreateIndex
CREATE INDEX "InvoiceDetail_sellerTaxIdKey_invoiceNumberKey_idx" ON "InvoiceDetail"("sellerTaxIdKey", "invoiceNumberKey");

-- CreateIndex
CREATE INDEX "InvoiceDetail_buyerTaxIdKey_idx" ON "InvoiceDetail"("buyerTaxIdKey");

-- CreateIndex
CREATE INDEX "DisputeMessage_receivableId_createdAt_idx" ON "DisputeMessage"("receivableId", "createdAt");

-- CreateIndex
CREATE INDEX "DisputeAttachment_receivableId_uploadedAt_idx" ON "DisputeAttachment"("receivableId", "uploadedAt");
