-- CreateIndex
CREATE INDEX "LedgerEvent_name_blockNumber_idx" ON "LedgerEvent"("name", "blockNumber");

-- CreateIndex
CREATE INDEX "ReceivableVersion_seller_validTo_idx" ON "ReceivableVersion"("seller", "validTo");

-- CreateIndex
CREATE INDEX "ReceivableVersion_buyer_validTo_idx" ON "ReceivableVersion"("buyer", "validTo");

-- CreateIndex
CREATE INDEX "ReceivableVersion_holder_validTo_idx" ON "ReceivableVersion"("holder", "validTo");
