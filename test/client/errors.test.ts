// One decoder for the custom errors of every consortium contract (issue 9, item 21). No browser: the
// readable-error function the pages call, fed the revert viem reports.
import { expect } from "chai";
import { ContractFunctionRevertedError, encodeErrorResult } from "viem";
import { factoringMarketAbi, receivableLedgerAbi } from "../../deployments/contracts.ts";
import { describeError, nameModules } from "../../client/src/chain.ts";

const MARKET = "0x00000000000000000000000000000000000000aa";

describe("readable contract errors", function () {
  before(() => nameModules({ FactoringMarket: MARKET }));

  it("names the factoring market, not its address, when a listed receivable is locked", function () {
    const data = encodeErrorResult({ abi: receivableLedgerAbi, errorName: "LedgerLocked", args: [1n, MARKET] });
    const text = describeError(new ContractFunctionRevertedError({ abi: receivableLedgerAbi, data, functionName: "acceptCreditNote" }));
    expect(text).to.include("listed on the factoring market");
    expect(text.toLowerCase()).to.not.include(MARKET);
  });

  it("decodes an error raised by another contract than the one called", function () {
    const data = encodeErrorResult({ abi: factoringMarketAbi, errorName: "MarketNotListed", args: [7n] });
    const text = describeError(new ContractFunctionRevertedError({ abi: receivableLedgerAbi, data, functionName: "pay" }));
    expect(text).to.include("not listed for factoring");
    expect(text).to.not.match(/0x[0-9a-f]{8}/);
  });
});
