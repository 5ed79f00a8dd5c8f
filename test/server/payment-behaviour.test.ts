// Payment behaviour of a buyer (issue 11, item 4): the arithmetic on its own, then end to end on a real chain,
// database and HTTP server — a hand-computed ledger of one buyer (an early payment, payments late by 20 to 99
// days, a partial then final payment, a bank-attested payment, disputes resolved both ways and one still open,
// a credit note accepted and one pending, invoices of every size); as of an earlier block and date; a custom
// period; what a seller sees; bad input.
import { expect } from "chai";
import { Contract, type JsonRpcProvider } from "ethers";
import { keccak256, toHex } from "viem";
import { memberRegistryAbi, receivableLedgerAbi, settlementTokenAbi } from "../../deployments/contracts.ts";
import { daysToPayOf, lateBucketOf } from "../../server/reports/service.ts";
import { startEnv, api, login, addressOf, waitForHead, DATABASES, type TestEnv } from "./helpers.ts";

const DAY_S = 86_400;
const U = 1_000_000n; // one token in base units (6 decimals)
const t = (tokens: number) => (BigInt(Math.round(tokens * 1000)) * U) / 1000n; // tokens → base units
const k = (n: number) => t(n * 1000);
const iso = (day: number) => new Date(day * DAY_S * 1000).toISOString().slice(0, 10);
const monthOf = (day: number) => iso(day).slice(0, 7);

describe("payment behaviour: definitions (pure)", () => {
  it("buckets days late: on time up to the due day, then 1-30, 31-60, 61-90, over 90", () => {
    expect([-3, 0, 1, 30, 31, 60, 61, 90, 91, 400].map(lateBucketOf)).to.deep.equal([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it("averages and medians days to pay over receivables and weights days late by amount", () => {
    // three receivables: 10 days to pay (5 early), 20 (on the day), 41 (11 late); amounts 100, 300, 600
    const r = daysToPayOf([
      { day: 100, daysToPay: 10, daysLate: -5, count: 1, amount: 100n },
      { day: 100, daysToPay: 20, daysLate: 0, count: 1, amount: 300n },
      { day: 101, daysToPay: 41, daysLate: 11, count: 1, amount: 600n },
    ]);
    expect(r.settledCount).to.equal(3);
    expect(r.settledAmount).to.equal(1000n);
    expect(r.averageDaysToPay).to.equal(23.6667); // 71 / 3
    expect(r.medianDaysToPay).to.equal(20);
    expect(r.weightedAverageDaysLate).to.equal(6.6); // (100×0 + 300×0 + 600×11) / 1000: early counts 0
    expect(r.buckets.map((b) => [b.bucket, b.count, b.amount])).to.deep.equal([
      ["on-time", 2, 400n],
      ["1-30", 1, 600n],
      ["31-60", 0, 0n],
      ["61-90", 0, 0n],
      ["over-90", 0, 0n],
    ]);
    // an even count: the mean of the two middle values, with groups of several receivables
    const even = daysToPayOf([
      { day: 1, daysToPay: 7, daysLate: 0, count: 3, amount: 3n },
      { day: 2, daysToPay: 12, daysLate: 0, count: 3, amount: 3n },
    ]);
    expect(even.medianDaysToPay).to.equal(9.5);
    expect(daysToPayOf([])).to.deep.include({ settledCount: 0, averageDaysToPay: null, medianDaysToPay: null, weightedAverageDaysLate: null });
  });
});

// ───────────────────────────────────────────────────────────── end to end ──

const BUYER = 9; // a buyer of its own (the demo invoices address buyers 3 and 4)
const SELLER = 1;
const SELLER2 = 4; // sells to the buyer too (buyer and seller roles)
const OTHER_SELLER = 2; // never sold to it

/** A receivable of the hand-computed ledger: days relative to D0 (the day the ledger starts). */
interface Spec {
  seller: number;
  amount: bigint;
  issue: number;
  due: number;
}

const LEDGER: Record<string, Spec> = {
  A: { seller: SELLER, amount: k(10), issue: -20, due: 10 }, // paid in full at +5: 5 days early
  B: { seller: SELLER, amount: k(20), issue: -10, due: 10 }, // paid at +30: 20 days late
  C: { seller: SELLER, amount: k(30), issue: -5, due: 10 }, // 12k at +30, the last 18k at +55: 45 days late
  D: { seller: SELLER, amount: k(40), issue: 0, due: 20 }, // a credit note of 1k issued (not accepted); bank-attested at +100: 80 late
  E: { seller: SELLER, amount: k(50), issue: 0, due: 1 }, // paid at +100: 99 days late
  F: { seller: SELLER, amount: k(5), issue: 0, due: 30 }, // disputed at 0, confirmed at +5 (resolved), paid at +30 on the due day
  G: { seller: SELLER, amount: k(8), issue: -2, due: 20 }, // credit note 3k accepted at +5, the 5k left paid at +55: 35 late
  H: { seller: SELLER, amount: k(7), issue: 0, due: 60 }, // disputed at +5, still open
  I: { seller: SELLER2, amount: k(100), issue: -1, due: 15 }, // seller 4's: paid at +30: 15 days late
  J: { seller: SELLER, amount: k(1_500), issue: 0, due: 200 }, // 1.5M tokens, registered only
  K: { seller: SELLER, amount: t(500), issue: 0, due: 200 }, // 500 tokens, confirmed, open
  L: { seller: SELLER, amount: k(2), issue: 0, due: 40 }, // disputed at +5, cancelled at +30 (resolved)
};
// M (200 tokens, issued +60) is registered at +100, after the earlier as-of block.

/** The settlements, by hand: [receivable, settlement day, days to pay, days late, settled face amount]. */
const SETTLED: [string, number, number, number, bigint][] = [
  ["A", 5, 25, -5, k(10)],
  ["F", 30, 30, 0, k(5)],
  ["B", 30, 40, 20, k(20)],
  ["I", 30, 31, 15, k(100)],
  ["C", 55, 60, 45, k(30)],
  ["G", 55, 57, 35, k(5)],
  ["D", 100, 100, 80, k(40)],
  ["E", 100, 100, 99, k(50)],
];

function chainHelpers(provider: JsonRpcProvider, deployment: TestEnv["deployment"]) {
  const ledgerAs = async (i: number) => new Contract(deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, await provider.getSigner(i));
  const send = async (i: number, fn: string, ...args: unknown[]) => await (await (await ledgerAs(i)).getFunction(fn)(...args)).wait();
  return {
    ledgerAs,
    send,
    async register(tag: string, s: Spec, d0: number, buyer = BUYER): Promise<bigint> {
      const fingerprint = keccak256(toHex(`behaviour:${tag}`));
      await send(s.seller, "register", {
        fingerprint,
        documentHash: keccak256(toHex(`doc:${tag}`)),
        buyer: addressOf(buyer),
        amount: s.amount,
        currency: "0x555344",
        issueDate: (d0 + s.issue) * DAY_S + 12 * 3600,
        dueDate: (d0 + s.due) * DAY_S + 12 * 3600,
        terms: { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 },
      });
      return BigInt(fingerprint);
    },
    async pay(buyer: number, id: bigint, amount: bigint) {
      const token = new Contract(deployment.contracts.SettlementToken, settlementTokenAbi as any, await provider.getSigner(buyer));
      await (await token.getFunction("approve")(deployment.contracts.ReceivableLedger, amount)).wait();
      await send(buyer, "pay", id, amount);
    },
    async issueCreditNote(buyer: number, id: bigint, amount: bigint): Promise<bigint> {
      const b = await ledgerAs(buyer);
      const rc = await (await b.getFunction("issueCreditNote")(id, amount, keccak256(toHex("credit")))).wait();
      const issued = rc.logs
        .map((l: any) => {
          try {
            return b.interface.parseLog(l);
          } catch {
            return null;
          }
        })
        .find((x: any) => x?.name === "CreditNoteIssued");
      return issued!.args.noteId as bigint;
    },
    async chainDay(): Promise<number> {
      const b = await provider.send("eth_getBlockByNumber", ["latest", false]);
      return Math.floor(Number(b.timestamp) / DAY_S);
    },
    async travel(days: number) {
      await provider.send("evm_increaseTime", [days * DAY_S]);
      await provider.send("evm_mine", []);
    },
  };
}

/** The day a year before `day` (the same date; a month end stays a month end), plus one: the default period's start. */
function yearBeforePlusOne(day: number): number {
  const d = new Date(day * DAY_S * 1000);
  const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  const atEnd = dd === new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const last = new Date(Date.UTC(y - 1, m + 1, 0)).getUTCDate();
  return Date.UTC(y - 1, m, atEnd ? last : Math.min(dd, last)) / 1000 / DAY_S + 1;
}

/** Every calendar month from `fromDay`'s to `toDay`'s, YYYY-MM. */
function monthsBetween(fromDay: number, toDay: number): string[] {
  const out: string[] = [];
  const d = new Date(fromDay * DAY_S * 1000);
  for (let y = d.getUTCFullYear(), m = d.getUTCMonth(); `${y}-${String(m + 1).padStart(2, "0")}` <= monthOf(toDay); m === 11 ? ((m = 0), y++) : m++)
    out.push(`${y}-${String(m + 1).padStart(2, "0")}`);
  return out;
}

const share = (a: bigint, b: bigint) => (b === 0n ? null : Math.round(Number((a * 100_000_000n) / b)) / 1_000_000); // exact to 6 places, then compared at 4
const lateSections = (body: any) => Object.fromEntries(body.daysToPay.buckets.map((b: any) => [b.bucket, [b.count, BigInt(b.amount)]]));
const amountSections = (body: any) => Object.fromEntries(body.invoiceAmounts.buckets.map((b: any) => [b.bucket, [b.count, BigInt(b.amount)]]));

for (const database of DATABASES) {
  describe(`payment behaviour: end to end (${database})`, function () {
    let env: TestEnv;
    let h: ReturnType<typeof chainHelpers>;
    let auditor: string;
    let seller1: string;
    let seller4: string;
    let seller2: string;
    let buyer: string;
    let D0: number;
    let midBlock: number; // the head at the end of day D0+30
    let headBlock: number;
    const B9 = addressOf(BUYER);
    const ids: Record<string, bigint> = {};

    before(async () => {
      env = await startEnv({ database, server: { finalityDepth: 12 } });
      h = chainHelpers(env.provider, env.deployment);
      const p = env.provider;
      // Start the ledger at 01:00 UTC of the next day, so a day's transactions never straddle midnight.
      D0 = (await h.chainDay()) + 1;
      await p.send("evm_setNextBlockTimestamp", [D0 * DAY_S + 3600]);
      await p.send("evm_mine", []);
      const op = await p.getSigner(0);
      const registry = new Contract(env.deployment.contracts.MemberRegistry, memberRegistryAbi as any, op);
      await (await registry.getFunction("admit")(addressOf(BUYER), 2 /* Buyer */, D0 * DAY_S + 400 * DAY_S)).wait();
      const token = new Contract(env.deployment.contracts.SettlementToken, settlementTokenAbi as any, op);
      await (await token.getFunction("mint")(addressOf(BUYER), k(1_000))).wait();

      // Day D0: everything registered; all but J, F, H, L confirmed; F disputed.
      for (const [name, spec] of Object.entries(LEDGER)) ids[name] = await h.register(name, spec, D0);
      for (const n of ["A", "B", "C", "D", "E", "G", "I", "K"]) await h.send(BUYER, "confirm", ids[n]!);
      await h.send(BUYER, "dispute", ids["F"]!, keccak256(toHex("wrong quantity")));
      // D0+5: A paid early; F's dispute resolved by confirmation; H and L disputed; G's credit note of 3k accepted; D's of 1k pending.
      await h.travel(5);
      await h.pay(BUYER, ids["A"]!, k(10));
      await h.send(BUYER, "confirm", ids["F"]!);
      await h.send(BUYER, "dispute", ids["H"]!, keccak256(toHex("not delivered")));
      await h.send(BUYER, "dispute", ids["L"]!, keccak256(toHex("duplicate")));
      const note = await h.issueCreditNote(BUYER, ids["G"]!, k(3));
      await h.send(SELLER, "acceptCreditNote", ids["G"]!, note);
      await h.issueCreditNote(BUYER, ids["D"]!, k(1));
      // D0+30: B, F (on its due day) and I paid; C paid 12k of 30k; L cancelled.
      await h.travel(25);
      await h.pay(BUYER, ids["B"]!, k(20));
      await h.pay(BUYER, ids["F"]!, k(5));
      await h.pay(BUYER, ids["I"]!, k(100));
      await h.pay(BUYER, ids["C"]!, k(12));
      await h.send(SELLER, "cancel", ids["L"]!);
      midBlock = (await waitForHead(env)).number;
      expect(await h.chainDay()).to.equal(D0 + 30);
      // D0+55: C's last 18k; G's 5k.
      await h.travel(25);
      await h.pay(BUYER, ids["C"]!, k(18));
      await h.pay(BUYER, ids["G"]!, k(5));
      // D0+100: D attested from a bank statement by the operator; E paid; M registered (issued D0+60).
      await h.travel(45);
      await h.send(0, "attestBankPayment", ids["D"]!, k(40), keccak256(toHex("BANK-REF-D")));
      await h.pay(BUYER, ids["E"]!, k(50));
      ids["M"] = await h.register("M", { seller: SELLER, amount: t(200), issue: 60, due: 150 }, D0);
      headBlock = (await waitForHead(env)).number;
      expect(await h.chainDay()).to.equal(D0 + 100);
      [auditor, seller1, seller4, seller2, buyer] = await Promise.all([
        login(env.server.url, 7),
        login(env.server.url, SELLER),
        login(env.server.url, SELLER2),
        login(env.server.url, OTHER_SELLER),
        login(env.server.url, BUYER),
      ]);
    });
    after(async () => env?.stop());

    const get = async (path: string, token = auditor) => {
      const r = await api(env.server.url, path, { token });
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const path = (q = "") => `/api/reports/payment-behaviour?buyer=${B9}${q}`;

    it("distributes days to pay and days late of the receivables settled in the default period (12 months to the as-of date)", async () => {
      const r = await get(path());
      expect(r.asOf.block.number).to.equal(headBlock);
      expect(r.asOf.reportDate).to.equal(iso(D0 + 100));
      expect(r.period).to.deep.include({ from: iso(yearBeforePlusOne(D0 + 100)), to: iso(D0 + 100), closingDate: iso(D0 + 100), closingBlock: headBlock });
      // 8 settled (C only once: its partial payment does not settle it), 260k (G at its face after the credit note: 5k)
      expect(r.daysToPay.settledCount).to.equal(8);
      expect(r.daysToPay.settledAmount).to.equal(k(260).toString());
      // on time: A (−5), F (0) 15k; 1-30: B (20), I (15) 120k; 31-60: C (45), G (35) 35k; 61-90: D (80) 40k; over 90: E (99) 50k
      expect(lateSections(r)).to.deep.equal({ "on-time": [2, k(15)], "1-30": [2, k(120)], "31-60": [2, k(35)], "61-90": [1, k(40)], "over-90": [1, k(50)] });
      // days to pay 25, 30, 40, 31, 60, 57, 100, 100: mean 443/8, median (40 + 57)/2
      expect(r.daysToPay.averageDaysToPay).to.equal(55.375);
      expect(r.daysToPay.medianDaysToPay).to.equal(48.5);
      // (20×20 + 100×15 + 30×45 + 5×35 + 40×80 + 50×99) / 260 = 11575 / 260 = 44.519230…
      expect(r.daysToPay.weightedAverageDaysLate).to.equal(44.5192);
    });

    it("gives the on-time share by calendar month of settlement, null for months with nothing settled", async () => {
      const r = await get(path());
      const months = monthsBetween(yearBeforePlusOne(D0 + 100), D0 + 100);
      expect(r.onTimeByMonth.map((m: any) => m.month)).to.deep.equal(months);
      const want = new Map<string, { n: number; a: bigint; on: number; onA: bigint }>();
      for (const [, day, , late, amount] of SETTLED) {
        const m = want.get(monthOf(D0 + day)) ?? { n: 0, a: 0n, on: 0, onA: 0n };
        m.n++;
        m.a += amount;
        if (late <= 0) m.on++, (m.onA += amount);
        want.set(monthOf(D0 + day), m);
      }
      for (const row of r.onTimeByMonth) {
        const w = want.get(row.month) ?? { n: 0, a: 0n, on: 0, onA: 0n };
        expect([row.count, row.amount, row.onTimeCount, row.onTimeAmount], row.month).to.deep.equal([w.n, w.a.toString(), w.on, w.onA.toString()]);
        if (w.n === 0) expect(row.onTimeShare, row.month).to.deep.equal({ count: null, amount: null });
        else {
          expect(row.onTimeShare.count, row.month).to.be.closeTo(share(BigInt(w.on), BigInt(w.n))!, 5e-5);
          expect(row.onTimeShare.amount, row.month).to.be.closeTo(share(w.onA, w.a)!, 5e-5);
        }
      }
      // the whole period: 8 settled in the months, 2 on time
      expect(r.onTimeByMonth.reduce((s: number, m: any) => s + m.count, 0)).to.equal(8);
      expect(r.onTimeByMonth.reduce((s: number, m: any) => s + m.onTimeCount, 0)).to.equal(2);
    });

    it("distributes the invoices issued in the period by face amount, and counts disputes and credit notes", async () => {
      const r = await get(path());
      // under 1k: K 500, M 200; 1k-10k: F 5k, G 8k (registered amount), H 7k; 10k-100k: A, B, C, D, E (10k is the
      // lower edge); 100k-1m: I 100k; 1m-10m: J 1.5M. L was cancelled: not counted.
      expect(amountSections(r)).to.deep.equal({
        "under-1k": [2, t(700)],
        "1k-10k": [3, k(20)],
        "10k-100k": [5, k(150)],
        "100k-1m": [1, k(100)],
        "1m-10m": [1, k(1_500)],
        "10m-and-over": [0, 0n],
      });
      expect(r.invoiceAmounts.count).to.equal(12);
      expect(r.invoiceAmounts.amount).to.equal(t(1_770_700).toString());
      expect(r.invoiceAmounts.buckets[2]).to.deep.include({ from: k(10).toString(), to: k(100).toString() });
      expect(r.invoiceAmounts.buckets[5]).to.deep.include({ from: k(10_000).toString(), to: null });
      // disputes: F, H, L raised (5k + 7k + 2k); F resolved by confirmation, L by cancellation; H open
      expect(r.disputes).to.deep.equal({
        raised: { count: 3, amount: k(14).toString() },
        resolved: {
          count: 2,
          amount: k(7).toString(),
          byConfirmation: { count: 1, amount: k(5).toString() },
          byCancellation: { count: 1, amount: k(2).toString() },
        },
        openAtAsOf: { count: 1, amount: k(7).toString() },
      });
      // credit notes: G's 3k and D's 1k issued; G's 3k accepted
      expect(r.creditNotes).to.deep.equal({ issued: { count: 2, amount: k(4).toString() }, accepted: { count: 1, amount: k(3).toString() } });
    });

    it("answers as of an earlier block and the same date the way the ledger stood then", async () => {
      const then = await get(path(`&asOfBlock=${midBlock}`));
      expect(then.asOf.block.number).to.equal(midBlock);
      expect(then.period).to.deep.include({ from: iso(yearBeforePlusOne(D0 + 30)), to: iso(D0 + 30), closingBlock: midBlock });
      // settled by then: A (25 days, −5), F (30, 0), B (40, 20), I (31, 15); C only partly paid
      expect(then.daysToPay.settledCount).to.equal(4);
      expect(then.daysToPay.settledAmount).to.equal(k(135).toString());
      expect(lateSections(then)).to.deep.equal({ "on-time": [2, k(15)], "1-30": [2, k(120)], "31-60": [0, 0n], "61-90": [0, 0n], "over-90": [0, 0n] });
      expect(then.daysToPay.averageDaysToPay).to.equal(31.5); // 126 / 4
      expect(then.daysToPay.medianDaysToPay).to.equal(30.5); // (30 + 31) / 2
      expect(then.daysToPay.weightedAverageDaysLate).to.equal(14.0741); // (20×20 + 100×15) / 135
      // M was not registered yet; the disputes and credit notes had all happened
      expect(amountSections(then)["under-1k"]).to.deep.equal([1, t(500)]);
      expect(then.invoiceAmounts.count).to.equal(11);
      expect(then.disputes.raised).to.deep.equal({ count: 3, amount: k(14).toString() });
      expect(then.disputes.resolved.count).to.equal(2);
      expect(then.disputes.openAtAsOf).to.deep.equal({ count: 1, amount: k(7).toString() });
      expect(then.creditNotes.accepted).to.deep.equal({ count: 1, amount: k(3).toString() });
      // as of the date D0+30: its last block is the same block, and the same answer
      const byDate = await get(path(`&asOfDate=${iso(D0 + 30)}`));
      expect(byDate).to.deep.equal(then);
      // as of the first day (before any payment): nothing settled, F disputed and open
      const first = await get(path(`&asOfDate=${iso(D0)}`));
      expect(first.daysToPay.settledCount).to.equal(0);
      expect(first.daysToPay.averageDaysToPay).to.equal(null);
      expect(first.disputes.openAtAsOf).to.deep.equal({ count: 1, amount: k(5).toString() });
      expect(first.creditNotes.issued.count).to.equal(0);
    });

    it("reports a custom period: from D0+31 to D0+100, and one closed before the as-of date", async () => {
      const r = await get(path(`&from=${iso(D0 + 31)}&to=${iso(D0 + 100)}`));
      expect(r.period).to.deep.include({ from: iso(D0 + 31), to: iso(D0 + 100), days: 70, openingBlock: midBlock, closingBlock: headBlock, complete: true });
      // C (60 days to pay, 45 late) 30k, G (57, 35) 5k, D (100, 80) 40k, E (100, 99) 50k
      expect(r.daysToPay.settledCount).to.equal(4);
      expect(lateSections(r)).to.deep.equal({ "on-time": [0, 0n], "1-30": [0, 0n], "31-60": [2, k(35)], "61-90": [1, k(40)], "over-90": [1, k(50)] });
      expect(r.daysToPay.averageDaysToPay).to.equal(79.25); // 317 / 4
      expect(r.daysToPay.medianDaysToPay).to.equal(80); // (60 + 100) / 2
      expect(r.daysToPay.weightedAverageDaysLate).to.equal(77.4); // 9675 / 125
      expect(r.invoiceAmounts.count).to.equal(1); // M only
      expect(r.disputes.raised.count).to.equal(0);
      expect(r.disputes.resolved.count).to.equal(0);
      expect(r.disputes.openAtAsOf.count).to.equal(1);
      expect(r.creditNotes).to.deep.equal({ issued: { count: 0, amount: "0" }, accepted: { count: 0, amount: "0" } });
      expect(r.onTimeByMonth.map((m: any) => m.month)).to.deep.equal(monthsBetween(D0 + 31, D0 + 100));
      // ended before the as-of date: closes at its last day's last block (the day D0+5 actions)
      const early = await get(path(`&from=${iso(D0 - 20)}&to=${iso(D0 + 29)}`));
      expect(early.period).to.deep.include({ closingDate: iso(D0 + 29), complete: true });
      expect(early.period.closingBlock).to.be.lessThan(midBlock);
      expect(early.daysToPay.settledCount).to.equal(1); // A
      expect(lateSections(early)["on-time"]).to.deep.equal([1, k(10)]);
      expect(early.disputes.resolved).to.deep.include({ count: 1, amount: k(5).toString() }); // F; L's cancellation came at D0+30
    });

    it("shows a seller only its own receivables' behaviour for the buyer; another seller gets a 404", async () => {
      // seller 4 sold only I: 100k, 31 days to pay, 15 late
      const own = await get(path(), seller4);
      expect(own.daysToPay).to.deep.include({
        settledCount: 1,
        settledAmount: k(100).toString(),
        averageDaysToPay: 31,
        medianDaysToPay: 31,
        weightedAverageDaysLate: 15,
      });
      expect(lateSections(own)["1-30"]).to.deep.equal([1, k(100)]);
      expect(own.invoiceAmounts.count).to.equal(1);
      expect(own.disputes.raised.count).to.equal(0);
      // the auditor narrowing to seller 4 sees the same figures
      const narrowed = await get(path(`&seller=${addressOf(SELLER2)}`));
      for (const key of ["daysToPay", "onTimeByMonth", "invoiceAmounts", "disputes", "creditNotes"]) expect(narrowed[key], key).to.deep.equal(own[key]);
      // seller 1: everything but I
      const s1 = await get(path(), seller1);
      expect(s1.daysToPay.settledCount).to.equal(7);
      expect(s1.daysToPay.settledAmount).to.equal(k(160).toString());
      expect(s1.disputes.raised.count).to.equal(3);
      // the buyer itself sees all of its payables, as the auditor does
      const all = await get(path());
      expect((await get(path(), buyer)).daysToPay).to.deep.equal(all.daysToPay);
      // seller 4 narrowing to seller 1's receivables of the buyer: none of them is in its scope, nothing counts
      // (seller 4 may name seller 1: as a buyer it sees seller 1's demo invoices to it)
      const cross = await get(path(`&seller=${addressOf(SELLER)}`), seller4);
      expect(cross.daysToPay.settledCount).to.equal(0);
      expect(cross.invoiceAmounts.count).to.equal(0);
      expect(cross.disputes.raised.count).to.equal(0);
      // seller 2 never sold to the buyer: 404
      const r = await api(env.server.url, path(), { token: seller2 });
      expect(r.status).to.equal(404);
      expect(r.body.error.message).to.match(/buyer: no receivables of 0x[0-9a-f]{40} are visible to you/);
      expect((await api(env.server.url, path())).status).to.equal(401);
    });

    it("refuses bad input with a 400 naming the problem", async () => {
      const cases: [string, RegExp][] = [
        [`/api/reports/payment-behaviour`, /buyer: required/],
        [`/api/reports/payment-behaviour?buyer=0x12`, /buyer: must be a 0x-prefixed 20-byte hex address/],
        [`/api/reports/payment-behaviour?buyer=0x000000000000000000000000000000000000dEaD`, /buyer: 0x0+dead is not a member of the consortium/],
        [path(`&seller=0x000000000000000000000000000000000000bEEF`), /seller: 0x0+beef is not a member of the consortium/],
        [path(`&from=${iso(D0 + 30)}&to=${iso(D0 + 10)}`), new RegExp(`to: the period ends \\(${iso(D0 + 10)}\\) before it starts \\(${iso(D0 + 30)}\\)`)],
        [path(`&from=${iso(D0 - 700)}&to=${iso(D0 + 100)}`), /to: the period is 801 days long; at most 731/],
        [path(`&from=${iso(D0)}`), /to: required with from/],
        [path(`&from=${iso(D0 + 60)}&to=${iso(D0 + 90)}&asOfBlock=${midBlock}`), /from: the period starts .* after the as-of date/],
        [path(`&asOfBlock=${headBlock + 1000}`), /asOfBlock: block \d+ is beyond the indexed head/],
        [path(`&asOfDate=${iso(D0 + 101)}`), /asOfDate: .* is after the indexed head/],
        [path(`&asOfDate=${iso(D0)}&asOfBlock=${midBlock}`), /give one of them, not both/],
        [path(`&to=2026-02-30`), /to: is not a real calendar date/],
        [path(`&groupBy=buyer`), /unknown field "groupBy"/],
      ];
      for (const [p, message] of cases) {
        const r = await api(env.server.url, p, { token: auditor });
        expect(r.status, p).to.equal(400);
        expect(r.body.error.message, p).to.match(message);
      }
    });

    it("documents the route and its response in the OpenAPI description", async () => {
      const doc = (await api(env.server.url, "/api/openapi.json")).body;
      const op = doc.paths["/api/reports/payment-behaviour"].get;
      expect(op.description).to.match(/weightedAverageDaysLate = Σ\(amount × max\(0, days late\)\) \/ Σ amount/);
      expect(op.parameters.map((p: any) => p.name)).to.include.members(["buyer", "seller", "holder", "from", "to", "asOfBlock", "asOfDate"]);
      expect(op.parameters.find((p: any) => p.name === "buyer").required).to.equal(true);
      expect(op.parameters.find((p: any) => p.name === "seller").required).to.equal(false);
      expect(JSON.stringify(op.responses)).to.include("onTimeByMonth");
    });
  });
}
