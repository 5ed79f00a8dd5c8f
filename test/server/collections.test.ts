// Collections (issue 12) end to end: a real chain moved forward in time, the server over HTTP, a real database
// (SQLite, and PostgreSQL when TEST_DATABASE_URL_PG is set), and the outbox delivered by the dispatcher to the real
// in-process SMTP receiver. Levels decided from final facts only, once over repeated runs; fees charged once; after
// downtime only the current level; a promise pauses and a broken one escalates; a kept promise; a dispute and a
// payment cancel what is unsent; visibility (404, 403); bad input (400 naming the problem); templates in en and
// zh-CN formatted by locale (checked against hand-written strings, not Intl); the KPIs by hand.
import { expect } from "chai";
import { Contract, type JsonRpcProvider } from "ethers";
import { keccak256, toHex } from "viem";
import { receivableLedgerAbi, settlementTokenAbi } from "../../deployments/contracts.ts";
import { openDatabase, type Database } from "../../server/database/client.ts";
import { createOutboxStore, messageIdFor, type OutboxStore } from "../../server/notifications/store.ts";
import { createMailTransport } from "../../server/notifications/mail.ts";
import { createDispatcher } from "../../server/notifications/dispatcher.ts";
import { startMailbox, type Mailbox } from "../../server/notifications/mailbox.ts";
import { scoreParts, assign } from "../../server/collections/engine.ts";
import { DEFAULT_POLICIES, currentLevel } from "../../server/collections/policy.ts";
import { startEnv, api, login, addressOf, waitForHead, DATABASES, type TestEnv } from "./helpers.ts";

const DAY_S = 86_400;
const U = 1_000_000n; // one token in base units
const k = (n: number) => BigInt(n) * 1_000n * U;
const FINALITY = 2;
const MSG_DOMAIN = "collections.test";

const tpl = (subject: string, body: string) => ({ subject, body });
/** The test's policy for tier A: −3 friendly, +7 reminder with a fixed fee of 50 tokens, +30 formal with 1% interest. */
const POLICY_A = {
  promiseGraceDays: 3,
  brokenPromiseLevel: 30,
  levels: [
    {
      days: -3,
      name: "friendly",
      channels: ["email"],
      templates: {
        en: tpl("Due soon: {invoiceNumber}", "{amount} due on {dueDate}"),
        "zh-CN": tpl("即将到期：{invoiceNumber}", "{amount} 将于 {dueDate} 到期"),
      },
    },
    {
      days: 7,
      name: "reminder",
      channels: ["email"],
      fee: { kind: "fixed", amount: (50n * U).toString() },
      templates: {
        en: tpl("Overdue {daysPastDue} days: {invoiceNumber}", "{amount} was due on {dueDate}"),
        "zh-CN": tpl("逾期 {daysPastDue} 天：{invoiceNumber}", "{amount} 已于 {dueDate} 到期"),
      },
    },
    {
      days: 30,
      name: "formal",
      channels: ["email"],
      fee: { kind: "interest", bps: 100 },
      templates: {
        en: tpl("Formal notice: {invoiceNumber}, {daysPastDue} days", "{amount} was due on {dueDate}"),
        "zh-CN": tpl("正式催告：{invoiceNumber}，逾期 {daysPastDue} 天", "{amount} 已于 {dueDate} 到期"),
      },
    },
  ],
};

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
/** Hand-written locale formats (independent of Intl): en "December 6, 2026", zh-CN "2026年12月6日". */
const enDate = (day: number) => {
  const d = new Date(day * DAY_S * 1000);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
};
const zhDate = (day: number) => {
  const d = new Date(day * DAY_S * 1000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
};

describe("collections: rules (pure)", () => {
  it("scores a case by its parts, capped at 100 each, 25 per broken promise", () => {
    expect(scoreParts(k(120), 32, 0, 0)).to.deep.equal({ scoreAmount: 100, scoreDays: 32, scoreRisk: 0, scorePromises: 0, score: 132 });
    expect(scoreParts(k(50), -3, 0, 1)).to.deep.equal({ scoreAmount: 50, scoreDays: 0, scoreRisk: 0, scorePromises: 25, score: 75 });
    expect(scoreParts(999n * U, 400, 7, 2).score).to.equal(0 + 100 + 7 + 50);
  });

  it("assigns by the first matching rule (buyer, tier, amount band), else the default collector", () => {
    const rules = [
      { id: "1", position: 0, buyer: "0xb", tier: null, minAmount: k(100), maxAmount: null, collector: "big" },
      { id: "2", position: 1, buyer: null, tier: "C" as const, minAmount: null, maxAmount: null, collector: "tierC" },
    ];
    expect(assign(rules, "dflt", { buyer: "0xb", tier: "A", outstanding: k(100) })).to.equal("big");
    expect(assign(rules, "dflt", { buyer: "0xb", tier: "C", outstanding: k(99) })).to.equal("tierC");
    expect(assign(rules, "dflt", { buyer: "0xc", tier: "A", outstanding: k(500) })).to.equal("dflt");
  });

  it("ships default policies for tiers A, B and C and picks the level due now", () => {
    expect(DEFAULT_POLICIES.A.levels.map((l) => l.days)).to.deep.equal([-3, 7, 30]);
    expect(DEFAULT_POLICIES.B.levels.map((l) => l.days)).to.deep.equal([-7, 1, 15, 45, 60]);
    expect(DEFAULT_POLICIES.C.levels.map((l) => l.days)).to.deep.equal([-10, 1, 7, 30, 45]);
    expect(currentLevel(DEFAULT_POLICIES.A, -4)).to.equal(null);
    expect(currentLevel(DEFAULT_POLICIES.A, 6)!.days).to.equal(-3);
    expect(currentLevel(DEFAULT_POLICIES.A, 45)!.days).to.equal(30);
  });
});

for (const database of DATABASES) {
  describe(`collections: dunning end to end (${database})`, function () {
    let env: TestEnv;
    let provider: JsonRpcProvider;
    let db: Database;
    let outbox: OutboxStore;
    let mailbox: Mailbox;
    let dispatch: () => Promise<number>;
    const t: Record<string, string> = {};
    const S4 = addressOf(4);
    const _S3 = addressOf(3);
    const B3 = addressOf(3);
    const B4 = addressOf(4);
    const COL_A = 15; // Grace Hall, collector of member 4
    const COL_B = 18;
    const MGR = 19;
    let D0: number;
    const ids: Record<string, string> = {};
    const caseOf: Record<string, string> = {};
    let seq = 0;

    const ledgerAs = async (i: number) => new Contract(env.deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, await provider.getSigner(i));
    async function register(seller: number, buyer: number, amount: bigint, dueDay: number, name: string) {
      const fingerprint = keccak256(toHex(`collections:${name}:${++seq}:${database}`));
      await (
        await (await ledgerAs(seller)).getFunction("register")({
          fingerprint,
          documentHash: keccak256(toHex(`doc:${name}`)),
          buyer: addressOf(buyer),
          amount,
          currency: "0x555344",
          issueDate: (D0 - 20) * DAY_S + 12 * 3600,
          dueDate: dueDay * DAY_S + 12 * 3600,
          terms: { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 },
        })
      ).wait();
      ids[name] = fingerprint.toLowerCase();
      return BigInt(fingerprint);
    }
    const confirm = async (buyer: number, name: string) => (await (await ledgerAs(buyer)).getFunction("confirm")(BigInt(ids[name]!))).wait();
    async function pay(buyer: number, name: string, amount: bigint) {
      const signer = await provider.getSigner(buyer);
      const token = new Contract(env.deployment.contracts.SettlementToken, settlementTokenAbi as any, signer);
      await (await token.getFunction("approve")(env.deployment.contracts.ReceivableLedger, amount)).wait();
      await (await (await ledgerAs(buyer)).getFunction("pay")(BigInt(ids[name]!), amount)).wait();
    }
    /** Mines the finality depth on top so that what happened is final, and waits for the indexer. */
    async function settle() {
      for (let i = 0; i < FINALITY; i++) await provider.send("evm_mine", []);
      await waitForHead(env);
    }
    async function travel(days: number) {
      await provider.send("evm_increaseTime", [days * DAY_S]);
      await provider.send("evm_mine", []);
      await settle();
    }
    const call = async (method: string, path: string, token: string, body?: unknown) =>
      await api(env.server.url, path, { method, token, ...(body !== undefined ? { body } : {}) });
    const ok = async (method: string, path: string, token: string, body?: unknown) => {
      const r = await call(method, path, token, body);
      if (r.status !== 200 && r.status !== 201) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const run = async (as = "seller4") => await ok("POST", "/api/collections/runs", t[as]!);
    const worklist = async (as: string, q = "") => await ok("GET", `/api/collections/worklist${q}`, t[as]!);
    const getCase = async (name: string, as = "mgr") => await ok("GET", `/api/collections/cases/${caseOf[name]}`, t[as]!);
    const dunning = async (name: string) => (await outbox.list({ limit: 1000 })).filter((m) => m.dedupeKey.startsWith(`dunning:${ids[name]}:`));
    const mailsOf = (name: string, level: number) =>
      mailbox.messages().filter((m) => m.messageId === messageIdFor(`dunning:${ids[name]}:${level}:email`, MSG_DOMAIN));
    const chainDay = async () => Math.floor(Number((await provider.send("eth_getBlockByNumber", ["latest", false])).timestamp) / DAY_S);
    async function findCases(as = "mgr") {
      const all = [...(await worklist(as, "?limit=500")).items, ...(await worklist(as, "?limit=500&status=closed")).items];
      for (const [name, id] of Object.entries(ids)) {
        const c = all.find((x: any) => x.receivableId === id);
        if (c) caseOf[name] = c.id;
      }
      return all;
    }

    before(async function () {
      env = await startEnv({
        database,
        server: { finalityDepth: FINALITY, dunningIntervalMs: 0, messageIdDomain: MSG_DOMAIN, notifications: { dispatch: false } },
      });
      provider = env.provider;
      db = await openDatabase(env.db.url);
      outbox = createOutboxStore(db, { messageIdDomain: MSG_DOMAIN });
      mailbox = await startMailbox();
      const d = createDispatcher({ store: outbox, email: createMailTransport({ smtpUrl: mailbox.url, from: "Ledger <no-reply@ledger.test>" }), log: () => {} });
      dispatch = () => d.runOnce();
      for (const [name, i] of Object.entries({ seller4: 4, seller3: 3, seller1: 1 })) t[name] = await login(env.server.url, i);
      for (const [i, name, roles] of [
        [COL_A, "Grace Hall", ["collector"]],
        [COL_B, "Bo Brink", ["collector"]],
        [MGR, "Mia Manager", ["collectionsManager"]],
      ] as const) {
        await ok("POST", `/api/members/${S4}/staff`, t["seller4"]!, { address: addressOf(i), name, deskRoles: roles });
      }
      t["colA"] = await login(env.server.url, COL_A);
      t["colB"] = await login(env.server.url, COL_B);
      t["mgr"] = await login(env.server.url, MGR);
      D0 = await chainDay();
    });
    after(async () => {
      await mailbox?.stop();
      await db?.close();
      await env?.stop();
    });

    it("refuses bad policies with a 400 naming the problem, and changes nothing", async () => {
      const bad = async (body: any) => {
        const r = await call("PUT", "/api/collections/policies/A", t["mgr"]!, body);
        expect(r.status, JSON.stringify(r.body)).to.equal(400);
        return r.body.error.message as string;
      };
      const levels = POLICY_A.levels;
      expect(await bad({ ...POLICY_A, levels: [levels[1], levels[0]] })).to.match(/levels\.1\.days: levels must have strictly increasing days: -3 follows 7/);
      expect(await bad({ ...POLICY_A, levels: [{ ...levels[0], channels: [] }] })).to.match(/levels\.0\.channels: give at least one channel/);
      expect(await bad({ ...POLICY_A, levels: [{ ...levels[0], templates: { en: levels[0]!.templates.en } }] })).to.match(/levels\.0\.templates\.zh-CN/);
      expect(await bad({ ...POLICY_A, levels: [{ ...levels[0], channels: ["fax"] }] })).to.match(/levels\.0\.channels\.0/);
      expect(await bad({ ...POLICY_A, levels: [{ ...levels[0], templates: { ...levels[0]!.templates, en: tpl("Pay {total}", "x") } }] })).to.match(
        /unknown placeholder \{total\}/,
      );
      expect(await bad({ ...POLICY_A, brokenPromiseLevel: 8 })).to.match(/brokenPromiseLevel: no level has days 8/);
      const p = await ok("GET", "/api/collections/policies", t["mgr"]!);
      expect(p.policies.map((x: any) => [x.tier, x.source])).to.deep.equal([
        ["A", "default"],
        ["B", "default"],
        ["C", "default"],
      ]);
      expect(p.policies[1].levels.map((l: any) => l.days)).to.deep.equal([-7, 1, 15, 45, 60]);
      // a collector may not edit policies
      const r = await call("PUT", "/api/collections/policies/A", t["colA"]!, POLICY_A);
      expect(r.status).to.equal(403);
    });

    it("sets up two creditors: policies, customers (tier, e-mail, language) and assignment rules", async () => {
      expect((await ok("PUT", "/api/collections/policies/A", t["mgr"]!, POLICY_A)).source).to.equal("custom");
      await ok("PUT", "/api/collections/policies/A", t["seller3"]!, POLICY_A);
      await ok("PUT", `/api/collections/customers/${B3}`, t["mgr"]!, { tier: "A", email: "ap@buyer3.example", language: "en" });
      await ok("PUT", `/api/collections/customers/${B4}`, t["seller3"]!, { tier: "A", email: "cw@buyer4.example", language: "zh-CN" });
      const bad = await call("PUT", "/api/collections/assignment", t["mgr"]!, { defaultCollector: addressOf(COL_A), rules: [{ collector: addressOf(7) }] });
      expect(bad.status).to.equal(400);
      expect(bad.body.error.message).to.match(/rules\.0\.collector: .* is not a collector of/);
      const a = await ok("PUT", "/api/collections/assignment", t["mgr"]!, {
        defaultCollector: addressOf(COL_A),
        rules: [{ buyer: B3, minAmount: k(100).toString(), collector: addressOf(COL_B) }],
      });
      expect(a.rules).to.have.length(1);
      expect(a.defaultCollector).to.equal(addressOf(COL_A));
    });

    it("decides the friendly level from final facts once over repeated runs and the receiver gets it once (en)", async () => {
      // Creditor 3 → buyer 4 (zh-CN), which does not run until much later (downtime)
      await register(3, 4, k(7), D0 + 3, "DOWN");
      await confirm(4, "DOWN");
      // Creditor 4 → buyer 3: R1 120k (to collector B by the rule), PROM 50k, KEPT 30k, PAY 20k (confirmed), DIS 10k (registered); all due D0+3.
      await register(4, 3, k(120), D0 + 3, "R1");
      await register(4, 3, k(50), D0 + 3, "PROM");
      await register(4, 3, k(30), D0 + 3, "KEPT");
      await register(4, 3, k(20), D0 + 3, "PAY");
      await register(4, 3, k(40), D0 + 40, "LATER"); // not within a level yet: no case
      for (const n of ["R1", "PROM", "KEPT", "PAY"]) await confirm(3, n);
      await register(4, 3, k(10), D0 + 3, "DIS");
      await waitForHead(env);
      // DIS's registration is the head, above the final block (head − 2): no case for it yet
      const early = await run();
      expect(early).to.include({ casesOpened: 4, levelsDecided: 4, messagesEnqueued: 4, feesCharged: 0 });
      expect(early.finalBlock).to.equal((await provider.getBlockNumber()) - FINALITY);
      await settle();
      const s1 = await run();
      expect(s1).to.include({ casesOpened: 1, levelsDecided: 1, messagesEnqueued: 1, feesCharged: 0 });
      expect(s1.day).to.equal(new Date(D0 * DAY_S * 1000).toISOString().slice(0, 10));
      const s2 = await run();
      const s3 = await run();
      expect([s2.levelsDecided, s2.messagesEnqueued, s3.levelsDecided, s3.messagesEnqueued, s3.casesOpened]).to.deep.equal([0, 0, 0, 0, 0]);
      await findCases();
      expect(Object.keys(caseOf).sort()).to.deep.equal(["DIS", "KEPT", "PAY", "PROM", "R1"]);
      expect(await dunning("R1")).to.have.length(1);
    });

    it("cancels the unsent message of a disputed receivable and of a paid one; the rest go out once", async () => {
      await (await (await ledgerAs(3)).getFunction("dispute")(BigInt(ids["DIS"]!), keccak256(toHex("wrong quantity")))).wait();
      await pay(3, "PAY", k(20));
      await settle();
      const s = await run();
      expect(s.messagesCancelled).to.equal(2);
      expect(s.casesClosed).to.equal(1);
      expect((await dunning("DIS")).map((m) => [m.status, m.cancelReason])).to.deep.equal([["cancelled", "disputed"]]);
      expect((await dunning("PAY")).map((m) => [m.status, m.cancelReason])).to.deep.equal([["cancelled", "receivable paid"]]);
      const dis = await getCase("DIS");
      expect([dis.status, dis.suppressed, dis.levels[0].status]).to.deep.equal(["open", "disputed", "cancelled"]);
      const paid = await getCase("PAY");
      expect([paid.status, paid.suppressed]).to.deep.equal(["closed", "paid"]);

      expect(await dispatch()).to.equal(3);
      expect(await dispatch()).to.equal(0);
      await run();
      expect(await dispatch()).to.equal(0);
      expect(mailsOf("DIS", -3)).to.have.length(0);
      expect(mailsOf("PAY", -3)).to.have.length(0);
      const [m] = mailsOf("R1", -3);
      expect(m, "R1's friendly reminder was received").to.not.equal(undefined);
      expect(m!.deliveries).to.equal(1);
      expect(m!.to).to.deep.equal(["ap@buyer3.example"]);
      expect(m!.language).to.equal("en");
      expect(m!.subject).to.equal(`Due soon: ${ids["R1"]!.slice(0, 10)}`);
      expect(m!.text.trim()).to.equal(`$120,000.00 due on ${enDate(D0 + 3)}`);
      const r1 = await getCase("R1");
      expect(r1.levels.map((l: any) => [l.level, l.status, l.messages[0].status])).to.deep.equal([[-3, "done", "sent"]]);
    });

    it("shows each collector its own worklist ordered by score with its parts and next action; a manager every list", async () => {
      const b = await worklist("colB");
      expect(b.items.map((c: any) => c.receivableId)).to.deep.equal([ids["R1"]]);
      expect(b.items[0].score).to.deep.equal({ total: 100, amount: 100, daysPastDue: 0, risk: 0, brokenPromises: 0 });
      expect(b.items[0].nextAction).to.deep.equal({ action: "level", level: 7, date: new Date((D0 + 10) * DAY_S * 1000).toISOString().slice(0, 10) });
      const a = await worklist("colA");
      // PROM 50 points, KEPT 30, DIS 10 (disputed: suppressed, still the collector's)
      expect(a.items.map((c: any) => [c.receivableId, c.score.total])).to.deep.equal([
        [ids["PROM"], 50],
        [ids["KEPT"], 30],
        [ids["DIS"], 10],
      ]);
      expect(a.items[2].nextAction).to.equal(null);
      const m = await worklist("mgr");
      expect(m.total).to.equal(4);
      expect(m.items.map((c: any) => c.receivableId)).to.deep.equal([ids["R1"], ids["PROM"], ids["KEPT"], ids["DIS"]]);
      const paged = await worklist("mgr", "?limit=2&offset=2");
      expect(paged.items.map((c: any) => c.receivableId)).to.deep.equal([ids["KEPT"], ids["DIS"]]);
      expect((await worklist("mgr", `?collector=${addressOf(COL_B)}`)).total).to.equal(1);
    });

    it("keeps every case to its creditor (404) and every change to its desk role (403)", async () => {
      const other = await call("GET", `/api/collections/cases/${caseOf["R1"]}`, t["seller1"]!);
      expect(other.status).to.equal(404);
      expect((await call("GET", `/api/collections/cases/${caseOf["R1"]}`, t["seller3"]!)).status).to.equal(404);
      expect((await call("GET", `/api/collections/worklist?collector=${addressOf(COL_B)}`, t["colA"]!)).status).to.equal(403);
      const notMine = await call("POST", `/api/collections/cases/${caseOf["PROM"]}/contacts`, t["colB"]!, { channel: "call", outcome: "reached", note: "x" });
      expect(notMine.status).to.equal(403);
      expect((await call("PUT", `/api/collections/cases/${caseOf["PROM"]}/collector`, t["colA"]!, { collector: addressOf(COL_B) })).status).to.equal(403);
      expect((await call("POST", "/api/collections/runs", t["colA"]!)).status).to.equal(403);
      expect((await call("GET", "/api/collections/worklist", t["seller1"]!)).body.total).to.equal(0);
      const badId = await call("GET", "/api/collections/cases/nope", t["mgr"]!);
      expect(badId.status).to.equal(400);
      expect(badId.body.error.message).to.match(/id: must be a case id/);
      // reassign and back
      expect((await ok("PUT", `/api/collections/cases/${caseOf["DIS"]}/collector`, t["mgr"]!, { collector: addressOf(COL_B) })).collector).to.equal(
        addressOf(COL_B),
      );
      await ok("PUT", `/api/collections/cases/${caseOf["DIS"]}/collector`, t["mgr"]!, { collector: addressOf(COL_A) });
    });

    it("logs contacts and promises; a promise pauses dunning and a promise in the past is refused", async () => {
      const past = await call("POST", `/api/collections/cases/${caseOf["PROM"]}/promises`, t["colA"]!, {
        amount: k(50).toString(),
        date: new Date((D0 - 1) * DAY_S * 1000).toISOString().slice(0, 10),
      });
      expect(past.status).to.equal(400);
      expect(past.body.error.message).to.match(/^date: .* is before today/);
      const tooMuch = await call("POST", `/api/collections/cases/${caseOf["PROM"]}/promises`, t["colA"]!, {
        amount: k(51).toString(),
        date: new Date((D0 + 12) * DAY_S * 1000).toISOString().slice(0, 10),
      });
      expect(tooMuch.status).to.equal(400);
      expect(tooMuch.body.error.message).to.match(/^amount: .* exceeds/);
      const date = new Date((D0 + 12) * DAY_S * 1000).toISOString().slice(0, 10);
      await ok("POST", `/api/collections/cases/${caseOf["PROM"]}/contacts`, t["colA"]!, {
        channel: "call",
        outcome: "promised",
        note: "AP will pay on the 12th",
      });
      const p = await ok("POST", `/api/collections/cases/${caseOf["PROM"]}/promises`, t["colA"]!, { amount: k(50).toString(), date });
      expect(p.promises.map((x: any) => [x.amount, x.date, x.status, x.graceDays])).to.deep.equal([[k(50).toString(), date, "active", 3]]);
      expect(p.contacts.map((c: any) => [c.channel, c.outcome, c.person])).to.deep.equal([["call", "promised", addressOf(COL_A)]]);
      expect([p.suppressed, p.nextAction.action, p.nextAction.date]).to.deep.equal([
        "promise",
        "promiseDue",
        new Date((D0 + 15) * DAY_S * 1000).toISOString().slice(0, 10),
      ]);
      await ok("POST", `/api/collections/cases/${caseOf["KEPT"]}/promises`, t["colA"]!, { amount: k(10).toString(), date });
    });

    it("decides the next level only after the previous one and charges its fee once over many runs", async () => {
      await travel(10); // D0+10: R1 7 days past due
      expect(await chainDay()).to.equal(D0 + 10);
      const s = await run();
      expect(s.levelsDecided).to.equal(1); // R1 +7 only: PROM and KEPT are paused by their promises
      expect(s.feesCharged).to.equal(1);
      for (let i = 0; i < 4; i++) expect((await run()).feesCharged).to.equal(0);
      const r1 = await getCase("R1");
      expect(r1.levels.map((l: any) => l.level)).to.deep.equal([-3, 7]);
      expect(r1.charges).to.deep.equal([{ level: 7, kind: "fixed", amount: (50n * U).toString(), chargedAt: r1.charges[0].chargedAt }]);
      expect((await getCase("PROM")).levels.map((l: any) => l.level)).to.deep.equal([-3]);
      expect(await dispatch()).to.equal(1);
      const [m] = mailsOf("R1", 7);
      expect(m!.subject).to.equal(`Overdue 7 days: ${ids["R1"]!.slice(0, 10)}`);
      expect(m!.deliveries).to.equal(1);
    });

    it("marks a promise kept from payments and resumes dunning; a broken promise jumps to the configured level", async () => {
      await pay(3, "KEPT", k(10)); // the promised 10k of KEPT, by D0+11
      await travel(1);
      expect((await run()).promisesKept).to.equal(1);
      await travel(5); // D0+16: PROM's promise (D0+12 + 3 days grace) is broken
      const s = await run();
      expect(s.promisesBroken).to.equal(1);
      const prom = await getCase("PROM");
      expect(prom.promises.map((x: any) => x.status)).to.deep.equal(["broken"]);
      expect(prom.levels.map((l: any) => l.level)).to.deep.equal([-3, 30]); // straight to +30, not +7
      expect(prom.brokenPromises).to.equal(1);
      expect(prom.score).to.deep.equal({ total: 50 + 13 + 25, amount: 50, daysPastDue: 13, risk: 0, brokenPromises: 25 });
      expect(prom.charges.map((c: any) => [c.level, c.amount])).to.deep.equal([[30, ((k(50) * 100n) / 10_000n).toString()]]);
      const kept = await getCase("KEPT");
      expect(kept.promises.map((x: any) => x.status)).to.deep.equal(["kept"]);
      expect(kept.suppressed).to.equal(null);
      expect(kept.outstanding).to.equal(k(20).toString());
      expect(kept.levels.map((l: any) => l.level)).to.deep.equal([-3, 7]); // dunning resumed at the level due now
      expect(await dispatch()).to.equal(2);
    });

    it("after downtime sends only the current level, once, in Chinese with Chinese formats", async () => {
      await travel(19); // D0+35: DOWN (creditor 3, never run) is 32 days past due
      const s = await run("seller3");
      expect(s).to.include({ casesOpened: 1, levelsDecided: 1, messagesEnqueued: 1, feesCharged: 1 });
      for (let i = 0; i < 3; i++) expect((await run("seller3")).levelsDecided).to.equal(0);
      const keys = (await outbox.list({ limit: 1000 })).filter((m) => m.dedupeKey.startsWith(`dunning:${ids["DOWN"]}:`)).map((m) => m.dedupeKey);
      expect(keys).to.deep.equal([`dunning:${ids["DOWN"]}:30:email`]);
      expect(await dispatch()).to.equal(1);
      const [m] = mailsOf("DOWN", 30);
      expect(m!.deliveries).to.equal(1);
      expect(m!.to).to.deep.equal(["cw@buyer4.example"]);
      expect(m!.language).to.equal("zh-CN");
      expect(m!.subject).to.equal(`正式催告：${ids["DOWN"]!.slice(0, 10)}，逾期 32 天`);
      expect(m!.text.trim()).to.equal(`US$7,000.00 已于 ${zhDate(D0 + 3)} 到期`);
      // creditor 4's R1 reaches +30 the same way; its fee is charged once over many runs
      const s4 = await run();
      expect(s4.feesCharged).to.equal(2); // R1 +30, KEPT +30
      for (let i = 0; i < 3; i++) expect((await run()).feesCharged).to.equal(0);
      expect((await getCase("R1")).charges.map((c: any) => [c.level, c.amount])).to.deep.equal([
        [7, (50n * U).toString()],
        [30, ((k(120) * 100n) / 10_000n).toString()],
      ]);
    });

    it("counts KPIs per collector and for the team over a period", async () => {
      const from = new Date(D0 * DAY_S * 1000).toISOString().slice(0, 10);
      const to = new Date((D0 + 40) * DAY_S * 1000).toISOString().slice(0, 10);
      const r = await ok("GET", `/api/collections/kpis?from=${from}&to=${to}`, t["mgr"]!);
      const a = r.collectors.find((c: any) => c.collector === addressOf(COL_A));
      // A: PROM, KEPT, DIS, PAY. Levels decided and not cancelled: PROM −3, +30; KEPT −3, +7, +30 → 5 due; done (every
      // message sent, seen by a later run): all but KEPT +30 (not dispatched) → 4. B: R1 −3, +7, +30 → 3 due, 2 done.
      // Collected: PAY 20k + KEPT 10k. Promises: PROM broken, KEPT kept → 1 of 2 = 50%.
      expect(a).to.deep.include({
        casesWorked: 1,
        promisesSecured: 2,
        promisesFellDue: 2,
        promisesKept: 1,
        promiseKeptRate: 50,
        amountCollected: k(30).toString(),
      });
      expect([a.actionsDue, a.actionsDone]).to.deep.equal([5, 4]);
      const b = r.collectors.find((c: any) => c.collector === addressOf(COL_B));
      expect(b).to.deep.include({ casesWorked: 0, actionsDue: 3, actionsDone: 2, promisesSecured: 0, amountCollected: "0", promiseKeptRate: null });
      expect(r.team).to.deep.include({ casesWorked: 1, actionsDue: 8, actionsDone: 6, promisesSecured: 2, promisesKept: 1, amountCollected: k(30).toString() });
      // a collector sees its own line only
      const own = await ok("GET", `/api/collections/kpis?from=${from}&to=${to}`, t["colB"]!);
      expect(own.collectors.map((c: any) => c.collector)).to.deep.equal([addressOf(COL_B)]);
      expect(own.team).to.equal(undefined);
      const bad = await call("GET", `/api/collections/kpis?from=${to}&to=${from}`, t["mgr"]!);
      expect(bad.status).to.equal(400);
      expect(bad.body.error.message).to.match(/^to: the period ends/);
    });

    it("reopens a case whose payment a reorganisation removed, and cancels what a removed overdue fact decided", async () => {
      // A payment in full closes R1; a reorg deeper than the finality depth takes it away: the next run reopens the case.
      const snap1 = await provider.send("evm_snapshot", []);
      const before = await provider.getBlockNumber();
      await pay(3, "R1", k(120));
      await settle();
      expect((await run()).casesClosed).to.equal(1);
      expect((await getCase("R1")).status).to.equal("closed");
      const removed = (await provider.getBlockNumber()) - before;
      await provider.send("evm_revert", [snap1]);
      for (let i = 0; i < removed + 2; i++) await provider.send("evm_mine", []);
      await settle();
      const s = await run();
      expect(s.casesReopened).to.equal(1);
      const r1 = await getCase("R1");
      expect([r1.status, r1.suppressed, r1.outstanding]).to.deep.equal(["open", null, k(120).toString()]);

      // LATER (due D0+40) reaches its −3 level ten days on; the reorg takes those days back before it is sent.
      const snap2 = await provider.send("evm_snapshot", []);
      const before2 = await provider.getBlockNumber();
      await travel(10);
      const decided = await run();
      expect(decided.levelsDecided).to.equal(1);
      await findCases();
      expect((await dunning("LATER")).map((m) => m.status)).to.deep.equal(["pending"]);
      const removed2 = (await provider.getBlockNumber()) - before2;
      await provider.send("evm_revert", [snap2]);
      for (let i = 0; i < removed2 + 2; i++) await provider.send("evm_mine", []);
      await settle();
      expect(await chainDay()).to.be.below(D0 + 37);
      const after = await run();
      expect(after.messagesCancelled).to.equal(1);
      expect((await dunning("LATER")).map((m) => [m.status, m.cancelReason])).to.deep.equal([["cancelled", "overdue fact removed (reorg)"]]);
      expect((await getCase("LATER")).levels.map((l: any) => l.status)).to.deep.equal(["cancelled"]);
      expect(await dispatch()).to.be.at.least(0);
      expect(mailsOf("LATER", -3)).to.have.length(0);
    });
  });
}
