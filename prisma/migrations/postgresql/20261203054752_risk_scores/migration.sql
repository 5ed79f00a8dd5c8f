-- CreateTable
CREATE TABLE "RiskDirtyBuyer" (
    "buyer" TEXT NOT NULL,
    "markedBlock" INTEGER NOT NULL,

    CONSTRAINT "RiskDirtyBuyer_pkey" PRIMARY KEY ("buyer")
);

-- CreateTable
CREATE TABLE "RiskBlockTime" (
    "number" INTEGER NOT NULL,
    "timestamp" INTEGER NOT NULL,

    CONSTRAINT "RiskBlockTime_pkey" PRIMARY KEY ("number")
);

-- CreateTable
CREATE TABLE "RiskScore" (
    "receivableId" TEXT NOT NULL,
    "buyer" TEXT NOT NULL,
    "probability" DOUBLE PRECISION NOT NULL,
    "reasons" TEXT NOT NULL,
    "features" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "scoredBlock" INTEGER NOT NULL,
    "scoredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RiskScore_pkey" PRIMARY KEY ("receivableId")
);

-- CreateTable
CREATE TABLE "RiskBuyer" (
    "buyer" TEXT NOT NULL,
    "features" TEXT NOT NULL,
    "trendDays" DOUBLE PRECISION NOT NULL,
    "scoredBlock" INTEGER NOT NULL,
    "scoredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RiskBuyer_pkey" PRIMARY KEY ("buyer")
);

-- CreateTable
CREATE TABLE "RiskThreshold" (
    "creditor" TEXT NOT NULL,
    "probability" DOUBLE PRECISION NOT NULL,
    "trendDays" DOUBLE PRECISION NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "actor" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RiskThreshold_pkey" PRIMARY KEY ("creditor")
);

-- CreateTable
CREATE TABLE "RiskAlert" (
    "id" SERIAL NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "creditor" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "receivableId" TEXT,
    "buyer" TEXT NOT NULL,
    "probability" DOUBLE PRECISION,
    "threshold" DOUBLE PRECISION NOT NULL,
    "before" DOUBLE PRECISION,
    "after" DOUBLE PRECISION NOT NULL,
    "block" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RiskAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RiskScore_buyer_idx" ON "RiskScore"("buyer");

-- CreateIndex
CREATE INDEX "RiskScore_probability_idx" ON "RiskScore"("probability");

-- CreateIndex
CREATE UNIQUE INDEX "RiskAlert_dedupeKey_key" ON "RiskAlert"("dedupeKey");

-- CreateIndex
CREATE INDEX "RiskAlert_creditor_createdAt_idx" ON "RiskAlert"("creditor", "createdAt");
