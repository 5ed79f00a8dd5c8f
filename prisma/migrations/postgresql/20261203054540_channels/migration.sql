-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "payload" TEXT,
ADD COLUMN     "recipientMember" TEXT;

-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "outboxId" INTEGER NOT NULL,
    "member" TEXT NOT NULL,
    "person" TEXT,
    "sender" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "link" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "readAt" TIMESTAMP(3),
    "readBy" TEXT,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" SERIAL NOT NULL,
    "member" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "description" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "disabledAt" TIMESTAMP(3),
    "disabledBy" TEXT,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" SERIAL NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "outboxId" INTEGER NOT NULL,
    "endpointId" INTEGER NOT NULL,
    "member" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "lastAttemptAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Letter" (
    "id" SERIAL NOT NULL,
    "outboxId" INTEGER NOT NULL,
    "sender" TEXT NOT NULL,
    "recipientMember" TEXT,
    "addressee" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Letter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CallTask" (
    "id" SERIAL NOT NULL,
    "outboxId" INTEGER NOT NULL,
    "member" TEXT NOT NULL,
    "assignee" TEXT,
    "callee" TEXT NOT NULL,
    "recipientMember" TEXT,
    "subject" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "doneAt" TIMESTAMP(3),
    "doneBy" TEXT,
    "outcome" TEXT,

    CONSTRAINT "CallTask_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Notification_outboxId_key" ON "Notification"("outboxId");

-- CreateIndex
CREATE INDEX "Notification_member_readAt_id_idx" ON "Notification"("member", "readAt", "id");

-- CreateIndex
CREATE INDEX "WebhookEndpoint_member_idx" ON "WebhookEndpoint"("member");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_deliveryId_key" ON "WebhookDelivery"("deliveryId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_member_id_idx" ON "WebhookDelivery"("member", "id");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_outboxId_endpointId_key" ON "WebhookDelivery"("outboxId", "endpointId");

-- CreateIndex
CREATE UNIQUE INDEX "Letter_outboxId_key" ON "Letter"("outboxId");

-- CreateIndex
CREATE INDEX "Letter_sender_id_idx" ON "Letter"("sender", "id");

-- CreateIndex
CREATE INDEX "Letter_recipientMember_id_idx" ON "Letter"("recipientMember", "id");

-- CreateIndex
CREATE UNIQUE INDEX "CallTask_outboxId_key" ON "CallTask"("outboxId");

-- CreateIndex
CREATE INDEX "CallTask_member_doneAt_dueAt_idx" ON "CallTask"("member", "doneAt", "dueAt");
