// The one amount parser every amount field uses, and the display rule for amounts (issue 9, item 21). No
// browser: these are the pure functions the pages call.
import { expect } from "chai";
import { parseAmount } from "../../common/money.ts";
import { money, moneyExact } from "../../client/src/format.ts";

const UNIT = 1_000_000n;

describe("amounts typed and shown", function () {
  describe("parseAmount", function () {
    it("accepts thousands separators, full-width digits and plain decimals alike", function () {
      for (const text of ["24450", "24,450", "24 450", "24\u00a0450", "２４，４５０", "２４４５０", " 24,450.00 "])
        expect(parseAmount(text), text).to.equal(24_450n * UNIT);
      expect(parseAmount("1,234,567.89")).to.equal(1_234_567_890_000n);
      expect(parseAmount("0.000001")).to.equal(1n);
    });

    it("refuses ambiguous or malformed input with a message that says why", function () {
      expect(() => parseAmount("24,45")).to.throw(/ambiguous: use a point for decimals/);
      expect(() => parseAmount("1.234,56")).to.throw(/ambiguous/);
      expect(() => parseAmount("2,4450")).to.throw(/group thousands in threes/);
      expect(() => parseAmount("1,234 567")).to.throw(/group thousands in threes/);
      expect(() => parseAmount("-5")).to.throw(/without a sign/);
      expect(() => parseAmount("1.0000001")).to.throw(/more than 6 decimals/);
      expect(() => parseAmount("")).to.throw(/Enter an amount/);
      expect(() => parseAmount("1e5")).to.throw(/not an amount/);
    });
  });

  describe("money and moneyExact", function () {
    it("shows amounts to the cent, rounded half up, and the full precision only with moneyExact", function () {
      expect(money(6_760_000_001n)).to.equal("6,760.00");
      expect(money(6_760_005_000n)).to.equal("6,760.01");
      expect(money("125000000000")).to.equal("125,000.00");
      expect(money(-1_234_567_890n)).to.equal("-1,234.57");
      expect(moneyExact(6_760_000_001n)).to.equal("6,760.000001");
      expect(moneyExact(125_000n * UNIT)).to.equal("125,000.00");
    });
  });
});
