-- CreateTable
CREATE TABLE "CollectionPolicy" (
    "creditor" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "levels" TEXT NOT NULL,
    "promiseGraceDays" INTEGER NOT NULL,
    "brokenPromiseLevel" INTEGER,
    "updatedBy" TEXT NOT NULL,
    "actor" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CollectionPolicy_pkey" PRIMARY KEY ("creditor","tier")
);

-- CreateTable
CREATE TABLE "CollectionCustomer" (
    "creditor" TEXT NOT NULL,
    "buyer" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "email" TEXT,
    "language" TEXT NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CollectionCustomer_pkey" PRIMARY KEY ("creditor","buyer")
);

-- CreateTable
CREATE TABLE "CollectionSettings" (
    "creditor" TEXT NOT NULL,
    "defaultCollector" TEXT,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CollectionSettings_pkey" PRIMARY KEY ("creditor")
);

-- CreateTable
CREATE TABLE "CollectionRule" (
    "id" TEXT NOT NULL,
    "creditor" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "buyer" TEXT,
    "tier" TEXT,
    "minAmount" TEXT,
    "maxAmount" TEXT,
    "collector" TEXT NOT NULL,

    CONSTRAINT "CollectionRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CollectionCase" (
    "id" TEXT NOT NULL,
    "receivableId" TEXT NOT NULL,
    "creditor" TEXT NOT NULL,
    "buyer" TEXT NOT NULL,
    "seller" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "collector" TEXT,
    "status" TEXT NOT NULL,
    "suppressed" TEXT,
    "outstanding" TEXT NOT NULL,
    "paidSeen" TEXT NOT NULL,
    "dueDate" INTEGER NOT NULL,
    "daysPastDue" INTEGER NOT NULL,
    "level" INTEGER,
    "nextLevel" INTEGER,
    "nextActionDay" INTEGER,
    "brokenPromises" INTEGER NOT NULL DEFAULT 0,
    "pausedUntilDay" INTEGER,
    "scoreAmount" INTEGER NOT NULL DEFAULT 0,
    "scoreDays" INTEGER NOT NULL DEFAULT 0,
    "scoreRisk" INTEGER NOT NULL DEFAULT 0,
    "scorePromises" INTEGER NOT NULL DEFAULT 0,
    "score" INTEGER NOT NULL DEFAULT 0,
    "finalBlock" INTEGER NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "CollectionCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CollectionAction" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "channels" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "paidAtDecision" TEXT NOT NULL,
    "decidedDay" INTEGER NOT NULL,
    "decidedBlock" INTEGER NOT NULL,
    "decidedAt" TIMESTAMP(3) NOT NULL,
    "approvedBy" TEXT,
    "cancelReason" TEXT,

    CONSTRAINT "CollectionAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CollectionCharge" (
    "key" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "amount" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "chargedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CollectionCharge_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "CollectionContact" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "person" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "day" INTEGER NOT NULL,

    CONSTRAINT "CollectionContact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CollectionPromise" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "creditor" TEXT NOT NULL,
    "amount" TEXT NOT NULL,
    "promisedDay" INTEGER NOT NULL,
    "graceDays" INTEGER NOT NULL,
    "receivables" TEXT NOT NULL,
    "paidBaseline" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdDay" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "resolvedDay" INTEGER,

    CONSTRAINT "CollectionPromise_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CollectionPayment" (
    "id" SERIAL NOT NULL,
    "caseId" TEXT NOT NULL,
    "collector" TEXT,
    "delta" TEXT NOT NULL,
    "day" INTEGER NOT NULL,
    "block" INTEGER NOT NULL,

    CONSTRAINT "CollectionPayment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CollectionRule_creditor_position_idx" ON "CollectionRule"("creditor", "position");

-- CreateIndex
CREATE INDEX "CollectionCase_creditor_status_score_idx" ON "CollectionCase"("creditor", "status", "score");

-- CreateIndex
CREATE INDEX "CollectionCase_collector_status_score_idx" ON "CollectionCase"("collector", "status", "score");

-- CreateIndex
CREATE UNIQUE INDEX "CollectionCase_receivableId_creditor_key" ON "CollectionCase"("receivableId", "creditor");

-- CreateIndex
CREATE INDEX "CollectionAction_decidedDay_idx" ON "CollectionAction"("decidedDay");

-- CreateIndex
CREATE UNIQUE INDEX "CollectionAction_caseId_level_key" ON "CollectionAction"("caseId", "level");

-- CreateIndex
CREATE INDEX "CollectionCharge_caseId_idx" ON "CollectionCharge"("caseId");

-- CreateIndex
CREATE INDEX "CollectionContact_caseId_at_idx" ON "CollectionContact"("caseId", "at");

-- CreateIndex
CREATE INDEX "CollectionContact_person_day_idx" ON "CollectionContact"("person", "day");

-- CreateIndex
CREATE INDEX "CollectionPromise_caseId_idx" ON "CollectionPromise"("caseId");

-- CreateIndex
CREATE INDEX "CollectionPromise_creditor_status_idx" ON "CollectionPromise"("creditor", "status");

-- CreateIndex
CREATE INDEX "CollectionPayment_caseId_idx" ON "CollectionPayment"("caseId");

-- CreateIndex
CREATE INDEX "CollectionPayment_day_idx" ON "CollectionPayment"("day");
