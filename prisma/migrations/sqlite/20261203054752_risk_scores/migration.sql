-- CreateTable
CREATE TABLE "RiskDirtyBuyer" (
    "buyer" TEXT NOT NULL PRIMARY KEY,
    "markedBlock" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "RiskBlockTime" (
    "number" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "timestamp" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "RiskScore" (
    "receivableId" TEXT NOT NULL PRIMARY KEY,
    "buyer" TEXT NOT NULL,
    "probability" REAL NOT NULL,
    "reasons" TEXT NOT NULL,
    "features" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "scoredBlock" INTEGER NOT NULL,
    "scoredAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RiskBuyer" (
    "buyer" TEXT NOT NULL PRIMARY KEY,
    "features" TEXT NOT NULL,
    "trendDays" REAL NOT NULL,
    "scoredBlock" INTEGER NOT NULL,
    "scoredAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RiskThreshold" (
    "creditor" TEXT NOT NULL PRIMARY KEY,
    "probability" REAL NOT NULL,
    "trendDays" REAL NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "actor" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RiskAlert" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "dedupeKey" TEXT NOT NULL,
    "creditor" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "receivableId" TEXT,
    "buyer" TEXT NOT NULL,
    "probability" REAL,
    "threshold" REAL NOT NULL,
    "before" REAL,
    "after" REAL NOT NULL,
    "block" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "RiskScore_buyer_idx" ON "RiskScore"("buyer");

-- CreateIndex
CREATE INDEX "RiskScore_probability_idx" ON "RiskScore"("probability");

-- CreateIndex
CREATE UNIQUE INDEX "RiskAlert_dedupeKey_key" ON "RiskAlert"("dedupeKey");

-- CreateIndex
CREATE INDEX "RiskAlert_creditor_createdAt_idx" ON "RiskAlert"("creditor", "createdAt");
