// Early warning (issue 12): the model's arithmetic on its own (a separable fit, the logistic function, AUC by hand,
// reasons in both languages), then end to end on a real chain, database and HTTP server — a buyer with invoices
// from two suppliers (on time, late, paid in parts, disputed, a credit note), its features against a hand
// computation, its scores against an independent logistic computation, a re-score after a late payment, a
// threshold alert through the outbox, visibility and bad input.
import { expect } from "chai";
import { Contract } from "ethers";
import { keccak256, toHex } from "viem";
import { memberRegistryAbi, receivableLedgerAbi, settlementTokenAbi } from "../../deployments/contracts.ts";
import {
  fitLogistic,
  explain,
  auc,
  calibration,
  topReasons,
  FEATURES,
  type FeatureName,
  type FeatureVector,
  type LogisticModel,
} from "../../server/risk/model.ts";
import { DEFAULT_MODEL } from "../../server/risk/coefficients.ts";
import { REASONS, reasonText, LANGUAGES } from "../../server/risk/reasons.ts";
import { openDatabase } from "../../server/database/client.ts";
import { createOutboxStore } from "../../server/notifications/store.ts";
import { Role } from "../../common/roles.ts";
import { startEnv, api, login, addressOf, waitForHead, DATABASES, type TestEnv } from "./helpers.ts";

const DAY_S = 86_400;
const U = 1_000_000n;
const k = (n: number) => BigInt(n) * 1_000n * U;

/** An independent logistic model: 1 / (1 + e^−(b0 + Σ w (x − m) / s)). */
function logistic(m: LogisticModel, f: Record<string, number>): number {
  let z = m.intercept;
  m.features.forEach((name, i) => (z += m.weights[i]! * ((f[name]! - m.mean[i]!) / m.std[i]!)));
  return 1 / (1 + Math.exp(-z));
}

describe("risk: the model (pure)", () => {
  it("recovers the signs of a separable data set's coefficients, and its probabilities are the logistic function's", () => {
    // y = 1 exactly when x1 − x2 > 0: x1 raises the risk, x2 lowers it; x3 is noise-free constant-ish.
    const names: FeatureName[] = ["onTimeShare", "daysToDue", "termDays"];
    const rows: number[][] = [];
    const labels: (0 | 1)[] = [];
    for (let i = 0; i < 40; i++) {
      const x1 = (i % 8) - 3.5;
      const x2 = ((i * 3) % 7) - 3;
      rows.push([x1, x2, 30 + (i % 2)]);
      labels.push(x1 - x2 > 0 ? 1 : 0);
    }
    const fit = fitLogistic(rows, labels, names, { l2: 0.5 });
    expect(fit.weights[0]).to.be.greaterThan(0);
    expect(fit.weights[1]).to.be.lessThan(0);
    // the optimum of the penalized likelihood: Xᵀ(y − p) = λβ for every weight, Σ(y − p) = 0 for the intercept
    const model: LogisticModel = { version: "t", madeBy: "t", graceDays: 5, ...fit };
    const full = (_r: number[]) => Object.fromEntries(FEATURES.map((f) => [f, 0])) as FeatureVector;
    const p = rows.map((r) => {
      const f = full(r);
      names.forEach((n, j) => (f[n] = r[j]!));
      return { e: explain(model, f), f };
    });
    p.forEach(({ e, f }) => expect(e.probability).to.be.closeTo(logistic(model, f), 1e-12));
    const resid = p.map(({ e }, i) => labels[i]! - e.probability);
    expect(resid.reduce((a, b) => a + b, 0)).to.be.closeTo(0, 1e-6);
    names.forEach((_, j) => {
      const g = rows.reduce((s, r, i) => s + ((r[j]! - fit.mean[j]!) / fit.std[j]!) * resid[i]!, 0);
      expect(g).to.be.closeTo(0.5 * fit.weights[j]!, 1e-6);
    });
    // every row clear of the boundary on the right side of 0.5
    p.forEach(({ e }, i) => {
      if (Math.abs(rows[i]![0]! - rows[i]![1]!) >= 1.5) expect(e.probability > 0.5 ? 1 : 0).to.equal(labels[i]);
    });
    // contributions are coefficient × standardized value and add up to the log-odds
    const { e } = p[0]!;
    expect(e.contributions.reduce((s, c) => s + c.contribution, model.intercept)).to.be.closeTo(e.logit, 1e-12);
    expect(topReasons(e, 3).map((c) => Math.abs(c.contribution))).to.deep.equal(
      [...e.contributions.map((c) => Math.abs(c.contribution))].sort((a, b) => b - a).slice(0, 3),
    );
  });

  it("computes AUC by ranks: a hand-computed example, ties counting one half", () => {
    // positives 0.35, 0.8 vs negatives 0.1, 0.4: pairs won 0.35>0.1, 0.8>0.1, 0.8>0.4 → 3 of 4
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).to.equal(0.75);
    // a tie between a positive and a negative counts 1/2: (1 + 0.5) / 2
    expect(auc([0.2, 0.5, 0.5], [0, 0, 1])).to.equal(0.75);
    expect(auc([0.9, 0.1], [0, 1])).to.equal(0);
    expect(auc([0.3, 0.4], [1, 1])).to.equal(null);
    const c = calibration([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1], 2);
    expect(c).to.deep.equal([
      { bin: 1, count: 2, predicted: 0.15000000000000002, observed: 0 },
      { bin: 2, count: 2, predicted: 0.35, observed: 1 },
    ]);
  });

  it("words every feature's reason in English and Chinese", () => {
    expect(Object.keys(REASONS.en).sort()).to.deep.equal(Object.keys(REASONS["zh-CN"]).sort());
    for (const f of FEATURES) {
      for (const lang of LANGUAGES) expect(REASONS[lang]).to.have.property(f);
      expect(reasonText("en", f, 0.5, 1)).to.match(/\(raises the risk\)$/);
      expect(reasonText("en", f, 0.5, -1)).to.match(/\(lowers the risk\)$/);
      const zh = reasonText("zh-CN", f, 0.5, 1);
      expect(zh).to.match(/[\u4e00-\u9fff]/);
      expect(zh).to.match(/（提高风险）$/);
      expect(zh, f).not.to.match(/[A-Za-z]{3,}/);
    }
    expect(reasonText("en", "meanDaysBeyondTerms", 9.75, 0.3)).to.equal("pays 9.8 days beyond terms on average (raises the risk)");
    expect(reasonText("zh-CN", "daysToDue", -23, 2)).to.equal("已逾期 23 天（提高风险）");
  });

  it("ships default coefficients for every feature, made by the bench, with the grace they were made for", () => {
    expect(DEFAULT_MODEL.features).to.deep.equal(FEATURES);
    expect(DEFAULT_MODEL.weights).to.have.length(FEATURES.length);
    expect(DEFAULT_MODEL.madeBy).to.match(/bench:risk/);
    expect(DEFAULT_MODEL.graceDays).to.equal(5);
  });
});

// ───────────────────────────────────────────────────────────── end to end ──

const BUYER = 12; // a development account admitted as a buyer only: its whole history is this test's
const RECENT = 2;

for (const database of DATABASES) {
  describe(`risk: end to end (${database})`, function () {
    let env: TestEnv;
    let auditor: string, seller1: string, seller2: string, fin5: string, operator: string;
    const X = addressOf(BUYER);
    const ids: Record<string, bigint> = {};
    let D0: number;
    let seq = 0;
    const hex = (id: bigint) => toHex(id, { size: 32 });
    const ledgerAs = async (i: number) => new Contract(env.deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, await env.provider.getSigner(i));
    const chainDay = async () => Math.floor(Number((await env.provider.send("eth_getBlockByNumber", ["latest", false])).timestamp) / DAY_S);
    const travel = async (days: number) => {
      await env.provider.send("evm_increaseTime", [days * DAY_S]);
      await env.provider.send("evm_mine", []);
    };
    const register = async (name: string, seller: number, amount: bigint, dueIn: number) => {
      const fingerprint = keccak256(toHex(`risk:${name}:${++seq}`));
      await (
        await (await ledgerAs(seller)).getFunction("register")({
          fingerprint,
          documentHash: keccak256(toHex(`doc:${name}`)),
          buyer: X,
          amount,
          currency: "0x555344",
          issueDate: D0 * DAY_S + 12 * 3600,
          dueDate: (D0 + dueIn) * DAY_S + 12 * 3600,
          terms: { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 },
        })
      ).wait();
      ids[name] = BigInt(fingerprint);
    };
    const pay = async (name: string, amount: bigint) => {
      const token = new Contract(env.deployment.contracts.SettlementToken, settlementTokenAbi as any, await env.provider.getSigner(BUYER));
      await (await token.getFunction("approve")(env.deployment.contracts.ReceivableLedger, amount)).wait();
      await (await (await ledgerAs(BUYER)).getFunction("pay")(ids[name]!, amount)).wait();
    };
    const get = async (path: string, token = auditor) => {
      const r = await api(env.server.url, path, { token });
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    /** Waits (polling the API) until `name` is scored at the indexed head or later. */
    const scoredAtHead = async (name: string) => {
      const head = (await waitForHead(env)).number;
      let last: unknown;
      for (let i = 0; i < 400; i++) {
        const r = await api(env.server.url, `/api/risk/receivables/${hex(ids[name]!)}`, { token: auditor });
        if (r.status === 200 && r.body.scoredBlock >= head) return r.body;
        last = r.body;
        await new Promise((res) => setTimeout(res, 25));
      }
      throw new Error(`${name} not re-scored at block ${head}: ${JSON.stringify(last)}`);
    };

    before(async () => {
      env = await startEnv({
        database,
        server: { riskRecentInvoices: RECENT, ...(process.env["RISK_TEST_LOG"] ? { log: (l: string) => l.includes("risk") && console.log(l) } : {}) },
      });
      const op = await env.provider.getSigner(0);
      const registry = new Contract(env.deployment.contracts.MemberRegistry, memberRegistryAbi as any, op);
      const now = Number((await env.provider.send("eth_getBlockByNumber", ["latest", false])).timestamp);
      await (await registry.getFunction("admit")(X, Role.Buyer, now + 3 * 365 * DAY_S)).wait();
      const token = new Contract(env.deployment.contracts.SettlementToken, settlementTokenAbi as any, op);
      await (await token.getFunction("mint")(X, k(10_000))).wait();
      [auditor, seller1, seller2, fin5, operator] = await Promise.all([
        login(env.server.url, 7),
        login(env.server.url, 1),
        login(env.server.url, 2),
        login(env.server.url, 5),
        login(env.server.url, 0),
      ]);
      D0 = await chainDay();
    });
    after(async () => env?.stop());

    // The hand-built ledger of buyer X (grace 5 days; the trend's "recent" = the 2 latest decided invoices):
    //   A seller 1, 100k, due D0+10, paid in full on D0            → decided, on time (−10 → 0 days late)
    //   B seller 2,  50k, due D0+20, paid in full on D0+28          → decided, 8 days late
    //   C seller 1,  80k, due D0+30, 40k on D0+28, 40k on D0+38     → decided, 8 days late, paid in parts
    //   D seller 2,  40k, due D0+40, credit note 10k (face 30k)     → open
    //   E seller 1,  60k, due D0+100                                → open
    //   F seller 2,  45k, due D0+15, disputed, never confirmed      → open, 23 days past due at D0+38: decided late
    let before38: Record<string, number>;
    it("computes a buyer's features across its suppliers exactly as by hand", async () => {
      await register("A", 1, k(100), 10);
      await register("B", 2, k(50), 20);
      await register("C", 1, k(80), 30);
      await register("D", 2, k(40), 40);
      await register("E", 1, k(60), 100);
      await register("F", 2, k(45), 15);
      for (const n of ["A", "B", "C", "D", "E"]) await (await (await ledgerAs(BUYER)).getFunction("confirm")(ids[n]!)).wait();
      await (await (await ledgerAs(BUYER)).getFunction("dispute")(ids["F"]!, keccak256(toHex("not ordered")))).wait();
      await pay("A", k(100));
      await travel(28);
      await pay("B", k(50));
      await pay("C", k(40));
      const b = await ledgerAs(BUYER);
      const rc = await (await b.getFunction("issueCreditNote")(ids["D"]!, k(10), keccak256(toHex("damaged")))).wait();
      const note = rc.logs
        .map((l: any) => {
          try {
            return b.interface.parseLog(l);
          } catch {
            return null;
          }
        })
        .find((x: any) => x?.name === "CreditNoteIssued");
      await (await (await ledgerAs(2)).getFunction("acceptCreditNote")(ids["D"]!, note!.args.noteId)).wait();
      // a credit limit of 1,000k set by the operator (server/credit): limit use = exposure / limit
      const lim = await api(env.server.url, `/api/credit/limits/${X}`, { method: "PUT", token: operator, body: { limit: k(1000).toString() } });
      expect(lim.status).to.equal(200);
      await travel(10);
      await pay("C", k(40));
      expect(await chainDay()).to.equal(D0 + 38);
      const e = await scoredAtHead("E");
      // decided: A 0, B 8, C 8, F 23 (open, 38 − 15 days past due); on time: A
      const want: Record<string, number> = {
        onTimeShare: (1 + 1) / (4 + 2),
        recentOnTimeShare: (0 + 1) / (2 + 2), // the 2 latest by due date: C, B, both late
        meanDaysBeyondTerms: (0 + 8 + 8 + 23) / 4,
        trendDays: (8 + 8) / 2 - (23 + 0) / 2, // recent C, B vs older F, A
        partialPaymentShare: 1 / 3, // C of A, B, C (the paid ones)
        disputeShare: 1 / 6,
        creditNoteShare: 1 / 6,
        defaultShare: 0,
        history: Math.log(5),
        brokenPromises: 0,
        dunningLevel: 0,
        limitUse: 90 / 1000, // exposure: D 30k + E 60k (F is disputed: not exposure)
        amountVsTypical: Math.log(60 / ((100 + 50 + 80 + 30 + 60 + 45) / 6)),
        termDays: 100,
        daysToDue: 62,
      };
      expect(Object.keys(e.features).sort()).to.deep.equal([...FEATURES].sort());
      for (const f of FEATURES) expect(e.features[f], f).to.be.closeTo(want[f]!, 1e-4);
      expect(e.probability).to.be.closeTo(logistic(DEFAULT_MODEL, want), 1e-5);
      before38 = want;
      // the reasons: the three largest |w·z|, worded in both languages
      const contributions = FEATURES.map((f, i) => ({ f, c: DEFAULT_MODEL.weights[i]! * ((want[f]! - DEFAULT_MODEL.mean[i]!) / DEFAULT_MODEL.std[i]!) }));
      const top = contributions.sort((a, b) => Math.abs(b.c) - Math.abs(a.c)).slice(0, 3);
      expect(e.reasons.map((r: any) => r.feature)).to.deep.equal(top.map((t) => t.f));
      e.reasons.forEach((r: any, i: number) => {
        expect(r.contribution).to.be.closeTo(top[i]!.c, 1e-3);
        expect(r.text.en).to.equal(reasonText("en", r.feature, r.value, r.contribution));
        expect(r.text["zh-CN"]).to.match(/[\u4e00-\u9fff]/);
      });
      // F is already more than grace days past due: probability 1, the first reason says so
      const f = await get(`/api/risk/receivables/${hex(ids["F"]!)}`);
      expect(f.probability).to.equal(1);
      expect(f.reasons[0].feature).to.equal("daysToDue");
      expect(f.reasons[0].text.en).to.match(/^23 days past due/);
      expect(f.reasons[0].text["zh-CN"]).to.match(/^已逾期 23 天/);
      // paid receivables have no score
      const a = await api(env.server.url, `/api/risk/receivables/${hex(ids["A"]!)}`, { token: auditor });
      expect(a.status).to.equal(404);
      expect(a.body.error.message).to.match(/not open/);
    });

    it("re-scores the buyer after a new late payment: its scores rise, and a creditor's threshold raises one alert through the outbox", async () => {
      // after 12 more days D is paid 10 days late (due D0+40, paid D0+50, in two parts); F is 35 days past due
      const after: Record<string, number> = {
        ...before38,
        onTimeShare: (1 + 1) / (5 + 2),
        recentOnTimeShare: (0 + 1) / (2 + 2), // D, C
        meanDaysBeyondTerms: (0 + 8 + 8 + 35 + 10) / 5,
        trendDays: (10 + 8) / 2 - (8 + 35 + 0) / 3, // recent D, C vs older B, F, A
        partialPaymentShare: 2 / 4, // C and D of A, B, C, D
        history: Math.log(6),
        limitUse: 60 / 1000,
        daysToDue: 50,
      };
      const pAfter = logistic(DEFAULT_MODEL, after);
      // the same day without the late payment: only the days to due move
      const pWithout = logistic(DEFAULT_MODEL, { ...before38, daysToDue: 50 });
      expect(pAfter).to.be.greaterThan(pWithout);
      // seller 1 (E's seller and holder) alerts at a threshold between the two; its profile has an e-mail contact
      const threshold = Math.round(((pAfter + pWithout) / 2) * 1e4) / 1e4;
      const put = await api(env.server.url, `/api/risk/thresholds`, { method: "PUT", token: seller1, body: { probability: threshold } });
      expect(put.status).to.equal(200);
      expect(put.body).to.include({ creditor: addressOf(1), probability: threshold, trendDays: 5 });
      const prof = await api(env.server.url, `/api/companies/${addressOf(1)}`, {
        method: "PUT",
        token: seller1,
        body: { legalName: "Acme Components Ltd", taxId: "DE-811-000-001", contacts: [{ name: "AR desk", email: "ar@acme.example" }] },
      });
      expect(prof.status).to.equal(200);

      await travel(12);
      await pay("D", k(15));
      await pay("D", k(15));
      const e = await scoredAtHead("E");
      for (const f of FEATURES) expect(e.features[f], f).to.be.closeTo(after[f]!, 1e-4);
      expect(e.probability).to.be.closeTo(pAfter, 1e-5);
      expect(e.probability).to.be.greaterThan(pWithout);
      // D is paid: no longer scored
      expect((await api(env.server.url, `/api/risk/receivables/${hex(ids["D"]!)}`, { token: auditor })).status).to.equal(404);

      const key = `risk:${addressOf(1)}:${hex(ids["E"]!)}:${threshold}`;
      const alerts = await get(`/api/risk/alerts`, seller1);
      const mine = alerts.items.filter((a: any) => a.kind === "threshold");
      expect(mine.map((a: any) => [a.dedupeKey, a.receivableId, a.buyer])).to.deep.equal([[key, hex(ids["E"]!), X]]);
      expect(mine[0].probability).to.be.closeTo(pAfter, 1e-5);
      // seller 2 set no threshold: no alerts
      expect((await get(`/api/risk/alerts`, seller2)).items).to.deep.equal([]);
      const db = await openDatabase(env.db.url);
      try {
        const m = await createOutboxStore(db, { messageIdDomain: "x" }).get(key);
        expect(m).to.include({ channel: "email", recipient: "ar@acme.example", sender: addressOf(1) });
        expect(m!.text).to.match(/now \d+\.\d% likely/);
        expect(m!.text).to.match(/逾期/);
      } finally {
        await db.close();
      }
    });

    it("lists each viewer's open receivables by score: a seller its own, auditors and the operator all; another's is 404", async () => {
      const s1 = await get(`/api/risk/scores?buyer=${X}`, seller1);
      expect(s1.items.map((i: any) => i.receivableId)).to.deep.equal([hex(ids["E"]!)]); // C and A are paid
      const s2 = await get(`/api/risk/scores?buyer=${X}`, seller2);
      expect(s2.items.map((i: any) => i.receivableId)).to.deep.equal([hex(ids["F"]!)]); // B and D are paid
      const all = await get(`/api/risk/scores?buyer=${X}`, auditor);
      expect(all.items.map((i: any) => i.receivableId)).to.deep.equal([hex(ids["F"]!), hex(ids["E"]!)]); // by probability: F (1) first
      expect(all.total).to.equal(2);
      const op = await get(`/api/risk/scores?buyer=${X}`, operator);
      expect(op.items.map((i: any) => i.receivableId)).to.deep.equal(all.items.map((i: any) => i.receivableId));
      expect((await get(`/api/risk/scores?buyer=${X}&minProbability=0.999`, auditor)).items.map((i: any) => i.receivableId)).to.deep.equal([hex(ids["F"]!)]);
      for (const [token, name] of [
        [seller2, "E"],
        [fin5, "E"],
        [seller1, "F"],
      ] as const) {
        const r = await api(env.server.url, `/api/risk/receivables/${hex(ids[name]!)}`, { token });
        expect(r.status).to.equal(404);
        expect(r.body.error.message).to.match(/no receivable 0x[0-9a-f]{64} visible to you/);
      }
      expect((await get(`/api/risk/scores`, fin5)).items).to.deep.equal([]);
      expect((await api(env.server.url, `/api/risk/scores`)).status).to.equal(401);
    });

    it("refuses bad input with a 400 naming the problem, changing nothing", async () => {
      const before = await get(`/api/risk/thresholds`, seller1);
      const cases: [string, string, unknown, RegExp][] = [
        ["get", `/api/risk/receivables/0x12`, undefined, /id: must be 0x followed by 64 hex digits/],
        ["get", `/api/risk/scores?minProbability=2`, undefined, /minProbability: must be a probability between 0 and 1/],
        ["get", `/api/risk/scores?limit=0`, undefined, /limit/],
        ["get", `/api/risk/scores?buyer=nobody`, undefined, /buyer: must be a 0x-prefixed 20-byte hex address/],
        ["get", `/api/risk/scores?colour=red`, undefined, /unknown field "colour"/],
        ["get", `/api/risk/alerts?limit=x`, undefined, /limit/],
        ["put", `/api/risk/thresholds`, { probability: 1.5 }, /probability/],
        ["put", `/api/risk/thresholds`, { probability: 0 }, /probability/],
        ["put", `/api/risk/thresholds`, { probability: 0.5, trendDays: -1 }, /trendDays/],
        ["put", `/api/risk/thresholds`, { probability: 0.5, colour: "red" }, /unknown field "colour"/],
        ["put", `/api/risk/thresholds`, {}, /probability/],
      ];
      for (const [method, path, body, message] of cases) {
        const r = await api(env.server.url, path, { method: method.toUpperCase(), token: seller1, body });
        expect(r.status, path).to.equal(400);
        expect(r.body.error.message, path).to.match(message);
      }
      expect(await get(`/api/risk/thresholds`, seller1)).to.deep.equal(before);
      // the auditor is no creditor: 403
      expect((await api(env.server.url, `/api/risk/thresholds`, { method: "PUT", token: auditor, body: { probability: 0.5 } })).status).to.equal(403);
    });
  });
}
