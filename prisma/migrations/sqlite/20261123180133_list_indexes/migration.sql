-- CreateIndex
CREATE INDEX "Receivable_buyer_dueDate_idx" ON "Receivable"("buyer", "dueDate");

-- CreateIndex
CREATE INDEX "Receivable_status_dueDate_idx" ON "Receivable"("status", "dueDate");
