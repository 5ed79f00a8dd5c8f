// AR reports (issue 11): the definitions as pure functions (the DOMAIN.md countback example), then end to end on
// a real chain, database and HTTP server — hand-computed ledgers with a partial payment, a credit note, a split, a
// transfer, a default and a write-off; as of a past block and a date; visibility; bad input; a reorganisation.
import { expect } from "chai";
import { Contract, type JsonRpcProvider } from "ethers";
import { keccak256, toHex } from "viem";
import { receivableLedgerAbi, settlementTokenAbi } from "../../deployments/contracts.ts";
import { startServer } from "../../server/main.ts";
import { countbackDso, kpisOf, ratio, bucketOf, daysPastDue, monthsBefore, countbackWindows, resolvePeriod } from "../../server/reports/service.ts";
import { startEnv, api, login, addressOf, waitForHead, freshDatabase, DATABASES, type TestEnv } from "./helpers.ts";

const DAY_S = 86_400;
const U = 1_000_000n; // one token in base units
const k = (n: number) => BigInt(n) * 1_000n * U;
const day = (iso: string) => Math.floor(Date.parse(iso + "T00:00:00Z") / 1000 / DAY_S);

describe("reports: definitions (pure)", () => {
  it("countback DSO of the DOMAIN.md example is 73.7 days", () => {
    // sales 70k, 80k, 100k (oldest to newest) in 30-day months, AR 212k: 30 + 30 + 32/70 × 30
    const r = countbackDso(k(212), [
      { sales: k(100), days: 30 },
      { sales: k(80), days: 30 },
      { sales: k(70), days: 30 },
    ]);
    expect(r.days).to.be.closeTo(73.7143, 0.0001);
    expect(r.days.toFixed(1)).to.equal("73.7");
    expect(r.exhausted).to.equal(false);
  });

  it("countback DSO counts every window when the AR exceeds all sales, and 0 without AR", () => {
    expect(
      countbackDso(k(300), [
        { sales: k(100), days: 30 },
        { sales: k(100), days: 31 },
      ]),
    ).to.deep.equal({ days: 61, exhausted: true });
    expect(countbackDso(0n, [{ sales: k(100), days: 30 }])).to.deep.equal({ days: 0, exhausted: false });
    // exactly the latest month's sales: that month's days
    expect(
      countbackDso(k(100), [
        { sales: k(100), days: 30 },
        { sales: k(5), days: 30 },
      ]).days,
    ).to.equal(30);
  });

  it("computes every KPI of a period from its figures", () => {
    const kp = kpisOf({
      openingAr: k(50),
      closing: { total: k(212), totalCount: 10, current: k(150), currentCount: 6, pastDue: k(62), pastDueCount: 4, atRisk: k(12), atRiskCount: 1 },
      creditSales: k(250),
      cashApplied: k(80),
      days: 90,
      countback: [
        { sales: k(100), days: 30 },
        { sales: k(80), days: 30 },
        { sales: k(70), days: 30 },
      ],
    });
    expect(kp.dsoSimple).to.equal(76.32); // 212/250 × 90
    expect(kp.bpdso).to.equal(54); // 150/250 × 90
    expect(kp.add).to.equal(22.32);
    expect(kp.dsoCountback).to.be.closeTo(73.7143, 1e-4);
    expect(kp.cei).to.equal(58.6667); // (50 + 250 − 212) / (50 + 250 − 150) × 100 = 88/150
    expect(kp.collectionRate).to.equal(26.6667); // 80 / 300 × 100
    expect(kp.overdueRatio).to.deep.equal({ amount: 29.2453, count: 40 }); // 62/212, 4/10
    expect(kp.atRiskRate).to.deep.equal({ amount: 5.6604, count: 10 }); // 12/212, 1/10
  });

  it("rounds ratios half up and answers null for a zero denominator", () => {
    expect(ratio(2n, 3n, 100)).to.equal(66.6667);
    expect(ratio(1n, 3n, 100)).to.equal(33.3333);
    expect(ratio(5n, 0n)).to.equal(null);
  });

  it("ages by UTC calendar days: not due, 1-30, 31-60, 61-90, 91-120, over 120", () => {
    const d = day("2026-11-30");
    const due = (iso: string, hour = 12) => day(iso) * DAY_S + hour * 3600;
    expect(daysPastDue(due("2026-11-30", 23), d)).to.equal(0);
    expect(bucketOf(daysPastDue(due("2026-11-30"), d))).to.equal(0);
    expect(bucketOf(daysPastDue(due("2026-11-29"), d))).to.equal(1);
    expect(bucketOf(daysPastDue(due("2026-10-31"), d))).to.equal(1); // 30 days
    expect(bucketOf(daysPastDue(due("2026-10-30"), d))).to.equal(2); // 31 days
    expect(bucketOf(daysPastDue(due("2026-09-01"), d))).to.equal(3); // 90 days
    expect(bucketOf(daysPastDue(due("2026-08-31"), d))).to.equal(4); // 91
    expect(bucketOf(daysPastDue(due("2026-08-01"), d))).to.equal(5); // 121
  });

  it("steps calendar months back keeping month ends, and builds countback windows", () => {
    expect(monthsBefore(day("2026-03-31"), 1)).to.equal(day("2026-02-28"));
    expect(monthsBefore(day("2026-11-30"), 1)).to.equal(day("2026-10-31"));
    expect(monthsBefore(day("2026-11-15"), 12)).to.equal(day("2025-11-15"));
    const cal = countbackWindows(day("2026-11-30"), "calendar", 2);
    expect(cal).to.deep.equal([
      { first: day("2026-11-01"), last: day("2026-11-30"), days: 30 },
      { first: day("2026-10-01"), last: day("2026-10-31"), days: 31 },
    ]);
    const d30 = countbackWindows(day("2026-11-30"), "30", 2);
    expect(d30[1]).to.deep.equal({ first: day("2026-10-02"), last: day("2026-10-31"), days: 30 });
  });

  it("resolves periods: months, quarters, 30-day basis, and refuses bad ones naming the field", () => {
    const asOf = day("2026-12-02");
    expect(resolvePeriod({}, asOf)).to.include({ label: "2026-12", days: 31 });
    expect(resolvePeriod({ period: "quarter", month: { y: 2026, m: 10 } }, asOf)).to.include({
      label: "2026-Q4",
      fromDay: day("2026-10-01"),
      toDay: day("2026-12-31"),
      days: 92,
    });
    expect(resolvePeriod({ period: "month", month: { y: 2026, m: 1 }, monthBasis: "30" }, asOf)).to.include({ days: 30, toDay: day("2026-02-28") });
    expect(() => resolvePeriod({ from: day("2026-11-30"), to: day("2026-11-01") }, asOf)).to.throw(/to: the period ends \(2026-11-01\) before it starts/);
    expect(() => resolvePeriod({ from: day("2000-01-01"), to: day("2027-05-18") }, asOf)).to.throw(/to: the period is 10000 days long/);
    expect(() => resolvePeriod({ from: day("2026-11-01") }, asOf)).to.throw(/to: required/);
  });
});

// ───────────────────────────────────────────────────────────── end to end ──

interface Reg {
  amount: bigint;
  issueDay: number;
  dueDay: number;
  graceDays?: number;
}

function chainHelpers(provider: JsonRpcProvider, deployment: TestEnv["deployment"]) {
  const ledgerAs = async (i: number) => new Contract(deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, await provider.getSigner(i));
  let seq = 0;
  return {
    ledgerAs,
    async register(seller: number, buyer: number, r: Reg, tag: string): Promise<bigint> {
      const fingerprint = keccak256(toHex(`reports:${tag}:${++seq}`));
      const ledger = await ledgerAs(seller);
      await (
        await ledger.getFunction("register")({
          fingerprint,
          documentHash: keccak256(toHex(`doc:${tag}:${seq}`)),
          buyer: addressOf(buyer),
          amount: r.amount,
          currency: "0x555344",
          issueDate: r.issueDay * DAY_S + 12 * 3600,
          dueDate: r.dueDay * DAY_S + 12 * 3600,
          terms: { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: r.graceDays ?? 0 },
        })
      ).wait();
      return BigInt(fingerprint);
    },
    async confirm(buyer: number, id: bigint) {
      await (await (await ledgerAs(buyer)).getFunction("confirm")(id)).wait();
    },
    async pay(buyer: number, id: bigint, amount: bigint) {
      const signer = await provider.getSigner(buyer);
      const token = new Contract(deployment.contracts.SettlementToken, settlementTokenAbi as any, signer);
      await (await token.getFunction("approve")(deployment.contracts.ReceivableLedger, amount)).wait();
      await (await (await ledgerAs(buyer)).getFunction("pay")(id, amount)).wait();
    },
    async creditNote(buyer: number, holder: number, id: bigint, amount: bigint) {
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
      await (await (await ledgerAs(holder)).getFunction("acceptCreditNote")(id, issued!.args.noteId)).wait();
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

const buckets = (body: any) => Object.fromEntries(body.buckets.map((b: any) => [b.bucket, [b.count, BigInt(b.amount)]]));

for (const database of DATABASES) {
  describe(`reports: end to end (${database})`, function () {
    let env: TestEnv;
    let h: ReturnType<typeof chainHelpers>;
    let auditor: string;
    let operator: string;
    let seller4: string;
    let fin5: string;
    let fin6: string;
    const S4 = addressOf(4);
    const S3 = addressOf(3);
    let D0: number;
    // the hand-computed ledger (seller 4 → buyer 3)
    const ids: Record<string, bigint> = {};
    let firstBlock: number; // the checkpoint after the first time travel
    let dsoBlock: number;

    before(async () => {
      env = await startEnv({ database, server: { finalityDepth: 12 } });
      h = chainHelpers(env.provider, env.deployment);
      [auditor, operator, seller4, fin5, fin6] = await Promise.all([
        login(env.server.url, 7),
        login(env.server.url, 0),
        login(env.server.url, 4),
        login(env.server.url, 5),
        login(env.server.url, 6),
      ]);
      D0 = await h.chainDay();
    });
    after(async () => env?.stop());

    const get = async (path: string, token = auditor) => {
      const r = await api(env.server.url, path, { token });
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };

    it("countback DSO of the DOMAIN.md example is 73.7 days end to end (seller 3, 30-day months)", async () => {
      // Sales 70k, 80k, 100k issued in the three 30-day windows before today, 38k of the oldest paid: AR 212k.
      const a = await h.register(3, 4, { amount: k(40), issueDay: D0 - 75, dueDay: D0 + 30 }, "dso");
      const b = await h.register(3, 4, { amount: k(30), issueDay: D0 - 70, dueDay: D0 + 30 }, "dso");
      await h.register(3, 4, { amount: k(80), issueDay: D0 - 45, dueDay: D0 + 30 }, "dso");
      await h.register(3, 4, { amount: k(100), issueDay: D0 - 15, dueDay: D0 + 30 }, "dso");
      await h.confirm(4, a);
      await h.confirm(4, b);
      await h.pay(4, a, k(30));
      await h.pay(4, b, k(8));
      const head = await waitForHead(env);
      dsoBlock = head.number;
      const today = await h.chainDay();
      const from = new Date((today - 89) * DAY_S * 1000).toISOString().slice(0, 10);
      const to = new Date(today * DAY_S * 1000).toISOString().slice(0, 10);
      const r = await get(`/api/reports/kpis?seller=${S3}&from=${from}&to=${to}&monthBasis=30`);
      expect(r.closingAr).to.equal(k(212).toString());
      expect(r.creditSales).to.equal(k(250).toString());
      expect(r.cashApplied).to.equal(k(38).toString());
      expect(r.dsoCountback.toFixed(1)).to.equal("73.7");
      expect(r.dsoCountback).to.be.closeTo(73.7143, 1e-4);
      expect(r.dsoSimple).to.equal(76.32); // 212/250 × 90
      expect(r.period.days).to.equal(90);
      expect(r.asOf.block.number).to.equal(dsoBlock);
    });

    it("reports a hand-computed ledger: partial payment, credit note, split, transfer, default, write-off, cancellation", async () => {
      const reg = (name: string, amount: number, issue: number, due: number) =>
        h.register(4, 3, { amount: k(amount), issueDay: D0 + issue, dueDay: D0 + due }, name).then((id) => (ids[name] = id));
      await reg("A", 100, -10, 5);
      await reg("B", 50, -5, 20);
      await reg("C", 80, -3, 40);
      await reg("D", 60, -2, 10);
      await reg("E", 20, -1, 3);
      await reg("E2", 25, -1, 4);
      await reg("F", 10, 0, 50);
      for (const n of ["A", "B", "C", "D", "E", "E2"]) await h.confirm(3, ids[n]!);
      await h.pay(3, ids["A"]!, k(40)); // partial payment: A 60k outstanding
      await h.creditNote(3, 4, ids["B"]!, k(10)); // credit note accepted: B face 40k
      await (await (await h.ledgerAs(4)).getFunction("split")(ids["C"]!, [k(30), k(50)], [S4, addressOf(2)])).wait(); // C → 30k (4) + 50k (2)
      await (await (await h.ledgerAs(4)).getFunction("transfer")(ids["D"]!, addressOf(5))).wait(); // D sold to financier 5
      await (await (await h.ledgerAs(4)).getFunction("cancel")(ids["F"]!)).wait(); // F is not a sale
      await h.travel(35);
      await (await (await h.ledgerAs(4)).getFunction("markDefaulted")(ids["E"]!)).wait();
      await (await (await h.ledgerAs(4)).getFunction("writeOff")(ids["E"]!)).wait(); // E written off: not open
      await (await (await h.ledgerAs(4)).getFunction("markDefaulted")(ids["E2"]!)).wait(); // E2 defaulted: open
      firstBlock = (await waitForHead(env)).number;
      const N = await h.chainDay();
      expect(N).to.equal(D0 + 35);

      // Aging at day D0+35: A 60k due D0+5 (30 days), B 40k due D0+20 (15), D 60k due D0+10 (25) → 1-30;
      // E2 25k due D0+4 (31) → 31-60; C's parts 30k + 50k due D0+40 → not due. Open 265k in 6.
      const aging = await get(`/api/reports/aging?seller=${S4}`);
      expect(buckets(aging)).to.deep.equal({
        "not-due": [2, k(80)],
        "1-30": [3, k(160)],
        "31-60": [1, k(25)],
        "61-90": [0, 0n],
        "91-120": [0, 0n],
        "over-120": [0, 0n],
      });
      expect(aging.openBalance).to.equal(k(265).toString());
      expect(aging.openCount).to.equal(6);
      expect(aging.asOf.block.number).to.equal(firstBlock);
      expect(aging.asOf.reportDate).to.equal(new Date(N * DAY_S * 1000).toISOString().slice(0, 10));

      const byHolder = await get(`/api/reports/aging?seller=${S4}&groupBy=holder`);
      expect(byHolder.groups.map((g: any) => [g.party, g.openBalance])).to.deep.equal([
        [S4, k(155).toString()],
        [addressOf(5), k(60).toString()],
        [addressOf(2), k(50).toString()],
      ]);
      expect(byHolder.groupCount).to.equal(3);

      const items = await get(`/api/reports/aging/items?seller=${S4}&bucket=1-30`);
      expect(items.total).to.equal(3);
      expect(items.items.map((i: any) => [i.id, i.outstanding, i.daysPastDue])).to.deep.equal([
        [toHex(ids["A"]!, { size: 32 }), k(60).toString(), 30],
        [toHex(ids["D"]!, { size: 32 }), k(60).toString(), 25],
        [toHex(ids["B"]!, { size: 32 }), k(40).toString(), 15],
      ]);

      const overdue = await get(`/api/reports/overdue?seller=${S4}`);
      expect(overdue.items.map((i: any) => [i.id, i.daysPastDue, i.bucket, i.holder, i.status])).to.deep.equal([
        [toHex(ids["E2"]!, { size: 32 }), 31, "31-60", S4, "Defaulted"],
        [toHex(ids["A"]!, { size: 32 }), 30, "1-30", S4, "Confirmed"],
        [toHex(ids["D"]!, { size: 32 }), 25, "1-30", addressOf(5), "Confirmed"],
        [toHex(ids["B"]!, { size: 32 }), 15, "1-30", S4, "Confirmed"],
      ]);
      const byAmount = await get(`/api/reports/overdue?seller=${S4}&sort=-outstanding&limit=2&offset=1`);
      expect(byAmount.total).to.equal(4);
      expect(byAmount.items.map((i: any) => i.outstanding)).to.deep.equal([k(60).toString(), k(40).toString()]);

      // KPIs over D0−10 .. D0+35 (running to the as-of date: 46 days). Sales: A 100 + B 50 + C 80 + D 60 + E 20 +
      // E2 25 = 335k (gross registered amounts; F cancelled; C's parts are not sales). Opening AR 0. Closing 265k,
      // current 80k, past due 185k (4 items). Cash applied 40k.
      const from = new Date((D0 - 10) * DAY_S * 1000).toISOString().slice(0, 10);
      const to = new Date(N * DAY_S * 1000).toISOString().slice(0, 10);
      const kp = await get(`/api/reports/kpis?seller=${S4}&from=${from}&to=${to}&monthBasis=30`);
      expect(kp).to.deep.include({
        openingAr: "0",
        closingAr: k(265).toString(),
        currentAr: k(80).toString(),
        pastDueAr: k(185).toString(),
        pastDueCount: 4,
        atRiskAr: "0",
        creditSales: k(335).toString(),
        cashApplied: k(40).toString(),
      });
      expect(kp.period.days).to.equal(46);
      expect(kp.dsoSimple).to.equal(36.3881); // 265/335 × 46 = 36.38806
      expect(kp.bpdso).to.equal(10.9851); // 80/335 × 46 = 10.98507
      expect(kp.add).to.equal(25.403);
      expect(kp.cei).to.equal(27.451); // (0 + 335 − 265) / (0 + 335 − 80) × 100 = 70/255
      expect(kp.collectionRate).to.equal(11.9403); // 40/335
      expect(kp.overdueRatio).to.deep.equal({ amount: 69.8113, count: 66.6667 }); // 185/265, 4/6
      expect(kp.atRiskRate).to.deep.equal({ amount: 0, count: 0 });
      // countback on 30-day windows back from D0+35: [D0+6, D0+35] no sales (30 days), [D0−24, D0+5] 335k: 265/335 × 30
      expect(kp.dsoCountback).to.be.closeTo(30 + (265 / 335) * 30, 1e-4);
    });

    it("answers as of a past block and a past date the way the ledger stood then", async () => {
      // 60 more days: A (due D0+5) is 95 days past due, E2 (due D0+4) 96: at risk. A is paid in full meanwhile.
      await h.travel(60);
      await h.pay(3, ids["A"]!, k(60));
      await waitForHead(env);
      const now = await get(`/api/reports/aging?seller=${S4}`);
      expect(buckets(now)["91-120"]).to.deep.equal([1, k(25)]);
      expect(now.openBalance).to.equal(k(205).toString());
      // as of the earlier block: the same answer as then (A still open, aged at that block's day)
      const then = await get(`/api/reports/aging?seller=${S4}&asOfBlock=${firstBlock}`);
      expect(then.openBalance).to.equal(k(265).toString());
      expect(buckets(then)["1-30"]).to.deep.equal([3, k(160)]);
      // as of the date D0+35: the last block of that day is the first block (the travel moved 60 days on)
      const date = new Date((D0 + 35) * DAY_S * 1000).toISOString().slice(0, 10);
      const byDate = await get(`/api/reports/aging?seller=${S4}&asOfDate=${date}`);
      expect(byDate.asOf.block.number).to.equal(firstBlock);
      expect(byDate.buckets).to.deep.equal(then.buckets);
      // as of the DSO example's block, seller 4's ledger did not exist yet
      const before = await get(`/api/reports/aging?seller=${S4}&asOfBlock=${dsoBlock}`);
      expect(before.openBalance).to.equal("0");
      // at-risk and collection rate in the month series: the month of the later payment counts A's 60k
      const kp = await get(`/api/reports/kpis?seller=${S4}&period=month&monthBasis=30`);
      expect(kp.atRiskAr).to.equal(k(25).toString());
      expect(kp.atRiskRate.count).to.equal(20); // 1 of 5 open
      const series = await get(`/api/reports/kpis/series?seller=${S4}&months=6`);
      expect(series.months).to.have.length(6);
      const cash = series.months.reduce((s: bigint, m: any) => s + BigInt(m.cashApplied), 0n);
      expect(cash).to.equal(k(100)); // 40k then 60k, each in its month
      expect(series.months.at(-1).closingAr).to.equal(k(205).toString());
    });

    it("shows each viewer its own scope: a financier its holdings, the seller its sales, auditors and the operator everything", async () => {
      const f5 = await get(`/api/reports/aging`, fin5);
      expect(f5.openBalance).to.equal(k(60).toString()); // D only
      expect(f5.openCount).to.equal(1);
      const asSeller = await get(`/api/reports/aging?seller=${S4}`, seller4);
      const asAuditor = await get(`/api/reports/aging?seller=${S4}`, auditor);
      const asOperator = await get(`/api/reports/aging?seller=${S4}`, operator);
      expect(asSeller.buckets).to.deep.equal(asAuditor.buckets);
      expect(asOperator.buckets).to.deep.equal(asAuditor.buckets);
      // another financier asking for seller 4 sees none of its receivables: 404
      const r = await api(env.server.url, `/api/reports/aging?seller=${S4}`, { token: fin6 });
      expect(r.status).to.equal(404);
      expect(r.body.error.message).to.match(/seller: no receivables of/);
      // without a session: 401
      expect((await api(env.server.url, `/api/reports/aging`)).status).to.equal(401);
      // the whole portfolio: buckets sum to the open balance
      const all = await get(`/api/reports/aging?groupBy=buyer`);
      expect(all.buckets.reduce((s: bigint, b: any) => s + BigInt(b.amount), 0n).toString()).to.equal(all.openBalance);
      expect(all.groups.reduce((s: bigint, g: any) => s + BigInt(g.openBalance), 0n).toString()).to.equal(all.openBalance);
    });

    it("refuses bad input with a 400 naming the problem", async () => {
      const head = (await waitForHead(env)).number;
      const cases: [string, RegExp][] = [
        [`/api/reports/aging?asOfBlock=${head + 1000}`, /asOfBlock: block \d+ is beyond the indexed head/],
        [`/api/reports/aging?asOfBlock=0`, /asOfBlock: block 0 is before the ledger's deployment block/],
        [`/api/reports/aging?asOfDate=2001-01-01`, /asOfDate: 2001-01-01 is before the first block/],
        [`/api/reports/aging?asOfDate=2026-02-30`, /asOfDate: is not a real calendar date/],
        [`/api/reports/aging?asOfDate=yesterday`, /asOfDate: must be a date YYYY-MM-DD/],
        [`/api/reports/aging?asOfBlock=5&asOfDate=2026-01-01`, /give one of them, not both/],
        [`/api/reports/aging?seller=0x000000000000000000000000000000000000dEaD`, /seller: 0x0+dead is not a member of the consortium/],
        [`/api/reports/aging?buyer=0x12`, /buyer: must be a 0x-prefixed 20-byte hex address/],
        [`/api/reports/aging?groupBy=planet`, /groupBy/],
        [`/api/reports/aging/items?bucket=1-45`, /bucket/],
        [`/api/reports/kpis?from=2026-11-30&to=2026-11-01`, /to: the period ends \(2026-11-01\) before it starts \(2026-11-30\)/],
        [`/api/reports/kpis?from=1999-01-01&to=2026-05-18`, /to: the period is \d+ days long; at most 731/],
        [`/api/reports/kpis?month=2026-13`, /month: must be a month YYYY-MM/],
        [`/api/reports/kpis?period=year`, /period/],
        [`/api/reports/kpis?monthBasis=31`, /monthBasis/],
        [`/api/reports/kpis/series?months=25`, /months/],
        [`/api/reports/kpis/series?months=0`, /months/],
        [`/api/reports/overdue?sort=name`, /sort/],
        [`/api/reports/overdue?limit=100000`, /limit/],
        [`/api/reports/aging?colour=red`, /unknown field "colour"/],
      ];
      const before = await get(`/api/reports/aging`);
      for (const [path, message] of cases) {
        const r = await api(env.server.url, path, { token: auditor });
        expect(r.status, path).to.equal(400);
        expect(r.body.error.message, path).to.match(message);
      }
      // nothing changed
      expect(await get(`/api/reports/aging`)).to.deep.equal(before);
    });

    it("after a reorganisation reports as of the head equal a fresh index of the replacement history", async () => {
      const snapshot = await env.provider.send("evm_snapshot", []);
      // History A: the buyer pays B in full and seller 4 registers a large invoice.
      await h.pay(3, ids["B"]!, k(40));
      await h.register(4, 3, { amount: k(999), issueDay: D0 + 90, dueDay: D0 + 200 }, "reorg-A");
      await waitForHead(env);
      const a = await get(`/api/reports/aging?seller=${S4}`);
      expect(a.openBalance).to.equal(k(205 - 40 + 999).toString());
      await env.provider.send("evm_revert", [snapshot]);
      // History B (longer): a partial payment of B, another invoice, a block with nothing.
      await h.pay(3, ids["B"]!, k(15));
      await h.register(4, 3, { amount: k(7), issueDay: D0 + 94, dueDay: D0 + 120 }, "reorg-B");
      await env.provider.send("evm_mine", []);
      await waitForHead(env);
      const paths = [
        `/api/reports/aging?seller=${S4}&groupBy=holder`,
        `/api/reports/kpis?seller=${S4}&period=quarter`,
        `/api/reports/overdue?seller=${S4}`,
        `/api/reports/kpis/series?months=3`,
        `/api/reports/aging?groupBy=seller`,
      ];
      const after = await Promise.all(paths.map((p) => get(p)));
      expect(after[0].openBalance).to.equal(k(205 - 15 + 7).toString());
      // A fresh server indexing the same (replacement) chain from scratch
      const db2 = await freshDatabase(database);
      const fresh = await startServer({
        databaseUrl: db2.url,
        rpcUrl: env.chain.rpcUrl,
        deployment: env.deployment as any,
        port: 0,
        pollIntervalMs: 50,
        finalityDepth: 12,
        log: () => {},
      });
      try {
        await waitForHead({ provider: env.provider, server: fresh });
        const token = await login(fresh.url, 7);
        for (let i = 0; i < paths.length; i++) {
          const r = await api(fresh.url, paths[i]!, { token });
          expect(r.status).to.equal(200);
          expect(r.body, paths[i]).to.deep.equal(after[i]);
        }
      } finally {
        await fresh.close();
        await db2.drop();
      }
    });
  });
}
