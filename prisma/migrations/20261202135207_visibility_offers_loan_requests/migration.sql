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

-- CreateIndex
CREATE INDEX "FinLoanRequest_holder_idx" ON "FinLoanRequest"("holder");
