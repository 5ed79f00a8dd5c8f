-- AlterTable
ALTER TABLE "FinOffer" ADD COLUMN     "listingSeq" INTEGER,
ADD COLUMN     "offeredTo" TEXT;

-- CreateTable
CREATE TABLE "FinLoanRequest" (
    "receivableId" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "FinLoanRequest_pkey" PRIMARY KEY ("receivableId","holder")
);

-- CreateIndex
CREATE INDEX "FinLoanRequest_holder_idx" ON "FinLoanRequest"("holder");
