// The shared kernel's pure parts against hand computations: units, money, pricing, ids, and the lifecycle
// table's own consistency (the contract side is in contracts.test.ts).
import { expect } from "chai";
import { DAY_S, DAY_MS, YEAR_S, daysCeil } from "../../common/units.ts";
import { formatAmount, parseAmount, currencyToBytes3, currencyFromBytes3, UNIT } from "../../common/money.ts";
import { applyBps, pricing, daysToMaturity, discounted, principalFor, lateInterest, amountDue } from "../../common/pricing.ts";
import { receivableIdHex, normaliseReceivableId, isReceivableId, splitPartId, isSplitPartId } from "../../common/ids.ts";
import { Role, ALL_ROLES, roleNames, roleBits, hasRole } from "../../common/roles.ts";
import {
  STATUSES,
  STATUS,
  TRANSITIONS,
  ACTIONS,
  OPEN,
  COLLECTABLE,
  PAYABLE,
  EXPOSURE,
  NO_CLAIM,
  CONFIRMED,
  FINAL,
  allows,
  canTransition,
  statusIndex,
  statusName,
  overdueness,
  type ReceivableStatus,
} from "../../common/lifecycle.ts";

describe("common kernel", () => {
  describe("units", () => {
    it("counts a day as 86,400 s and 86,400,000 ms, a year as 365 days", () => {
      expect(DAY_S).to.equal(24 * 60 * 60);
      expect(DAY_MS).to.equal(86_400_000);
      expect(YEAR_S).to.equal(31_536_000);
    });
    it("rounds part of a day up", () => {
      expect(daysCeil(1)).to.equal(1);
      expect(daysCeil(DAY_S)).to.equal(1);
      expect(daysCeil(DAY_S + 1)).to.equal(2);
      expect(daysCeil(0)).to.equal(0);
    });
  });

  describe("money", () => {
    it("formats and parses base units with the token's six decimals", () => {
      expect(UNIT).to.equal(1_000_000n);
      expect(formatAmount(1_234_500_000n)).to.equal("1234.50");
      expect(formatAmount(-1n)).to.equal("-0.000001");
      expect(parseAmount("1,234,567.89")).to.equal(1_234_567_890_000n);
      expect(() => parseAmount("24,45")).to.throw(/ambiguous/);
    });
    it("stores ISO 4217 codes as bytes3 and reads them back", () => {
      expect(currencyToBytes3(" usd ")).to.equal("0x555344");
      expect(currencyFromBytes3("0x455552")).to.equal("EUR");
      expect(() => currencyToBytes3("US")).to.throw(/3-letter/);
    });
  });

  describe("pricing", () => {
    it("takes basis points rounded down", () => {
      expect(applyBps(10_000n * UNIT, 8_000)).to.equal(8_000n * UNIT);
      expect(applyBps(3n, 5_000)).to.equal(1n); // 1.5 → 1
    });
    it("prices a factoring sale: 100,000 bought for 98,000 with 73 days to go is a 2.00% discount and 10.20% a year", () => {
      // discount = 2,000 / 100,000 = 200 bps; yield = 2,000 / 98,000 × 365 / 73 = 0.10204… → 1,020 bps
      expect(pricing(100_000n * UNIT, 98_000n * UNIT, 73)).to.deep.equal({ discountBps: 200, yieldBps: 1_020 });
      expect(pricing(100_000n * UNIT, 98_000n * UNIT, 0)).to.deep.equal({ discountBps: 200, yieldBps: null });
      expect(pricing(0n, 1n, 10)).to.deep.equal({ discountBps: 0, yieldBps: null });
    });
    it("counts days to maturity rounded up, never below 0", () => {
      expect(daysToMaturity(1_000 + 10 * DAY_S, 1_000)).to.equal(10);
      expect(daysToMaturity(1_000 + 10 * DAY_S + 1, 1_000)).to.equal(11);
      expect(daysToMaturity(1_000, 1_000 + DAY_S)).to.equal(0);
    });
    it("computes the payment terms like PaymentTerms.sol: 2/10 net 30, 12% late interest after 5 days' grace", () => {
      const face = 10_000n * UNIT;
      expect(discounted(face, 200)).to.equal(9_800n * UNIT);
      expect(discounted(1n, 200)).to.equal(1n); // 0.98 rounded up: the receiving party is favoured
      expect(principalFor(4_900n * UNIT, 200)).to.equal(5_000n * UNIT);
      // 10,000 × 12% × 30 / 365 = 98.630136… → 98.630136
      expect(lateInterest(face, 1_200, 0, 30 * DAY_S + 5)).to.deep.equal({ interest: 98_630_136n, wholeDays: 30 });
      const r = { outstanding: face, issueDate: 0, dueDate: 30 * DAY_S, terms: { discountBps: 200, discountDays: 10, lateInterestBps: 1_200, graceDays: 5 } };
      expect(amountDue(r, 10 * DAY_S)).to.equal(9_800n * UNIT); // last second of the window
      expect(amountDue(r, 10 * DAY_S + 1)).to.equal(face);
      expect(amountDue(r, 35 * DAY_S)).to.equal(face); // end of grace
      expect(amountDue(r, 36 * DAY_S)).to.equal(face + (face * 1_200n) / (10_000n * 365n)); // one day late
      expect(amountDue({ ...r, interestPaidUntil: 40 * DAY_S }, 45 * DAY_S)).to.equal(face + (face * 1_200n * 5n) / (10_000n * 365n));
    });
  });

  describe("ids", () => {
    it("shows ids as 0x and 64 lower-case hex digits, from any form", () => {
      expect(receivableIdHex(255n)).to.equal("0x" + "0".repeat(62) + "ff");
      expect(normaliseReceivableId("0xFF")).to.equal(receivableIdHex(255n));
      expect(normaliseReceivableId("255")).to.equal(receivableIdHex(255n));
      expect(isReceivableId(receivableIdHex(1n))).to.equal(true);
      expect(isReceivableId("0x1")).to.equal(false);
      expect(() => normaliseReceivableId("0xzz")).to.throw(/not a receivable id/);
    });
    it("puts split parts in the 'part' id space", () => {
      const part = splitPartId(123n, 0);
      expect(receivableIdHex(part).slice(0, 10)).to.equal("0x70617274");
      expect(isSplitPartId(part)).to.equal(true);
      expect(isSplitPartId(123n)).to.equal(false);
      expect(splitPartId(123n, 1)).to.not.equal(part);
    });
  });

  describe("roles", () => {
    it("names the bits of a member's roles", () => {
      expect(ALL_ROLES).to.equal(31);
      expect(roleNames(Role.Buyer | Role.Seller)).to.deep.equal(["Seller", "Buyer"]);
      expect(roleBits(["Financier", "Insurer"])).to.equal(20);
      expect(() => roleBits(["Operator"])).to.throw(/unknown role/);
      expect(hasRole(23, "Auditor")).to.equal(false);
    });
  });

  describe("lifecycle", () => {
    it("numbers the statuses in enum order, both ways", () => {
      STATUSES.forEach((name, i) => {
        expect(STATUS[name]).to.equal(i);
        expect(statusName(i)).to.equal(name);
        expect(statusIndex(name)).to.equal(i);
      });
      expect(() => statusName(9)).to.throw(/unknown/);
      expect(() => statusIndex("Open")).to.throw(/unknown/);
    });

    it("moves only along the transitions table, and every action that changes the status is one of them", () => {
      for (const [action, a] of Object.entries(ACTIONS)) {
        for (const from of a.from) {
          if (a.to !== null) expect(canTransition(from, a.to), `${action}: ${from} → ${a.to}`).to.equal(true);
        }
      }
      // Every transition is taken by some action.
      for (const from of STATUSES) {
        for (const to of TRANSITIONS[from]) {
          const by = Object.values(ACTIONS).some((a) => a.to === to && (a.from as readonly string[]).includes(from));
          expect(by, `${from} → ${to}`).to.equal(true);
        }
      }
      expect(allows("confirm", "Disputed")).to.equal(true);
      expect(allows("confirmWithSignature", "Disputed")).to.equal(false);
      expect(allows("split", "Defaulted")).to.equal(false);
    });

    it("defines each named set as DOMAIN.md says, by name and by index", () => {
      expect(OPEN.names).to.deep.equal(["Registered", "Confirmed", "Disputed", "Defaulted"]);
      expect(COLLECTABLE.names).to.deep.equal(["Confirmed", "Defaulted"]);
      expect(PAYABLE.names).to.deep.equal(["Confirmed", "Defaulted"]);
      expect(EXPOSURE.names).to.deep.equal(["Registered", "Confirmed", "Defaulted"]);
      expect(NO_CLAIM.names).to.deep.equal(["Cancelled", "Split"]);
      expect(FINAL.names).to.deep.equal(["Cancelled", "Paid", "WrittenOff", "Split"]);
      expect(OPEN.indexes).to.deep.equal([1, 2, 3, 6]);
      expect(OPEN.has("Disputed") && OPEN.has(3) && !OPEN.has("Paid") && !OPEN.has(5)).to.equal(true);
      // OPEN is exactly what is neither final nor None; COLLECTABLE ⊂ EXPOSURE ⊂ OPEN.
      for (const s of STATUSES) {
        expect(OPEN.has(s), s).to.equal(s !== "None" && !FINAL.has(s));
        if (COLLECTABLE.has(s)) expect(EXPOSURE.has(s), s).to.equal(true);
        if (EXPOSURE.has(s)) expect(OPEN.has(s), s).to.equal(true);
      }
    });

    it("CONFIRMED is Confirmed and every status reachable from it", () => {
      const reach = new Set<ReceivableStatus>(["Confirmed"]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const s of [...reach]) for (const t of TRANSITIONS[s]) if (!reach.has(t)) reach.add(t), (grew = true);
      }
      expect([...CONFIRMED.names].sort()).to.deep.equal([...reach].sort());
    });

    it("calls a receivable overdue only when collectable, unpaid and past its due date by chain time", () => {
      const due = 1_000_000;
      expect(overdueness({ status: "Confirmed", outstanding: 1n, dueDate: due }, due + 1)).to.deep.equal({ overdue: true, daysOverdue: 1 });
      expect(overdueness({ status: STATUS.Defaulted, outstanding: 1n, dueDate: due }, due + DAY_S + 1)).to.deep.equal({ overdue: true, daysOverdue: 2 });
      expect(overdueness({ status: "Confirmed", outstanding: 1n, dueDate: due }, due).overdue).to.equal(false);
      expect(overdueness({ status: "Registered", outstanding: 1n, dueDate: due }, due + DAY_S).overdue).to.equal(false);
      expect(overdueness({ status: "Disputed", outstanding: 1n, dueDate: due }, due + DAY_S).overdue).to.equal(false);
      expect(overdueness({ status: "Confirmed", outstanding: 0n, dueDate: due }, due + DAY_S)).to.deep.equal({ overdue: false, daysOverdue: 0 });
    });
  });
});
