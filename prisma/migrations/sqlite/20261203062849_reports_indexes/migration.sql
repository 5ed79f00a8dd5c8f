-- CreateIndex
CREATE INDEX "ReceivableVersion_seller_validTo_idx" ON "ReceivableVersion"("seller", "validTo");

-- CreateIndex
CREATE INDEX "ReceivableVersion_buyer_validTo_idx" ON "ReceivableVersion"("buyer", "validTo");

-- CreateIndex
CREATE INDEX "ReceivableVersion_holder_validTo_idx" ON "ReceivableVersion"("holder", "validTo");
