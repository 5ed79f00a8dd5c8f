// AR reports against an independent reimplementation (issue 11): random ledgers (200 receivables over four
// epochs of registrations, confirmations, partial and full payments, transfers, credit notes and defaults, with
// time moving 15-45 days between epochs) driven through the real contracts, in batched blocks. The test folds the
// raw chain logs (eth_getLogs, decoded with the ABI — not the server's tables) into its own model and checks, at
// every epoch's end and at random past blocks: aging buckets (portfolio, per buyer, one holder's scope) sum to the
// balance and equal the model; the period figures and KPIs equal the model's; the overdue ledger's count; and the
// report as of block N asked later (from the undo log) equals the report taken live when N was the head.
// (A fresh index stopped at block N is not built: the live-at-N answer and the model at N stand for it.)
import { expect } from "chai";
import { decodeEventLog, encodeFunctionData, keccak256, toHex } from "viem";
import { receivableLedgerAbi, settlementTokenAbi } from "../../deployments/contracts.ts";
import { startEnv, api, login, addressOf, waitForHead, DATABASES, type TestEnv } from "./helpers.ts";

const DAY_S = 86_400;
const SEED = Number(process.env["REPORTS_SEED"] ?? 11);
const EPOCHS = Number(process.env["REPORTS_EPOCHS"] ?? 4);
const PER_EPOCH = 50;
const PAIRS: [number, number][] = [
  [1, 3],
  [1, 4],
  [2, 3],
  [2, 4],
  [4, 3],
];
const FINANCIERS = [5, 6];
const OPEN = new Set([1, 2, 3, 6]);
const BUCKETS = ["not-due", "1-30", "31-60", "61-90", "91-120", "over-120"];

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ModelReceivable {
  id: string;
  seller: string;
  buyer: string;
  holder: string;
  status: number;
  face: bigint;
  paid: bigint;
  outstanding: bigint;
  issueDate: number;
  dueDate: number;
  parent: string | null;
  registered: bigint;
  registeredBlock: number;
}

interface RawEvent {
  block: number;
  name: string;
  args: any;
}

/** The ledger as of block `n`, folded from the raw events (an independent reimplementation of the projection). */
function modelAt(events: RawEvent[], n: number) {
  const rs = new Map<string, ModelReceivable>();
  const payments: { block: number; id: string; principal: bigint }[] = [];
  const hex = (v: bigint) => toHex(v, { size: 32 });
  for (const e of events) {
    if (e.block > n) break;
    const a = e.args;
    const id = a.id === undefined ? "" : hex(a.id);
    const r = rs.get(id);
    switch (e.name) {
      case "ReceivableRegistered":
        rs.set(id, {
          id,
          seller: a.seller.toLowerCase(),
          buyer: a.buyer.toLowerCase(),
          holder: a.seller.toLowerCase(),
          status: 1,
          face: a.amount,
          paid: 0n,
          outstanding: a.amount,
          issueDate: Number(a.issueDate),
          dueDate: Number(a.dueDate),
          parent: null,
          registered: a.amount,
          registeredBlock: e.block,
        });
        break;
      case "ReceivableConfirmed":
        r!.status = 2;
        break;
      case "ReceivableDisputed":
        r!.status = 3;
        break;
      case "ReceivableCancelled":
        r!.status = 4;
        break;
      case "ReceivablePaid":
      case "BankPaymentAttested":
        r!.paid += a.principal;
        r!.outstanding = a.outstanding;
        if (r!.outstanding === 0n) r!.status = 5;
        payments.push({ block: e.block, id, principal: a.principal });
        break;
      case "ReceivableTransferred":
        r!.holder = a.to.toLowerCase();
        break;
      case "CreditNoteAccepted":
        r!.face = BigInt(a.faceAmount);
        r!.outstanding = r!.face > r!.paid ? r!.face - r!.paid : 0n;
        if (r!.outstanding === 0n) r!.status = 5;
        break;
      case "ReceivableDefaulted":
        r!.status = 6;
        r!.outstanding = a.outstanding;
        break;
      case "ReceivableWrittenOff":
        r!.status = 7;
        break;
      case "ReceivableSplit": {
        r!.status = 8;
        a.partIds.forEach((p: bigint, i: number) =>
          rs.set(hex(p), {
            ...r!,
            id: hex(p),
            holder: a.holders[i].toLowerCase(),
            status: 2,
            face: a.amounts[i],
            paid: 0n,
            outstanding: a.amounts[i],
            parent: id,
            registered: 0n,
            registeredBlock: e.block,
          }),
        );
        break;
      }
    }
  }
  return { rs: [...rs.values()], payments };
}

const dayOf = (t: number) => Math.floor(t / DAY_S);
const bucketOf = (days: number) => (days <= 0 ? 0 : days <= 30 ? 1 : days <= 60 ? 2 : days <= 90 ? 3 : days <= 120 ? 4 : 5);
const iso = (day: number) => new Date(day * DAY_S * 1000).toISOString().slice(0, 10);

for (const database of DATABASES) {
  describe(`reports: random ledgers against a reimplementation from the raw events (${database}, seed ${SEED})`, function () {
    let env: TestEnv;
    let auditor: string;
    let fin5: string;
    const rand = mulberry32(SEED);
    const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    const checkpoints: { block: number; live: Record<string, any> }[] = [];

    before(async () => {
      env = await startEnv({ database });
      [auditor, fin5] = await Promise.all([login(env.server.url, 7), login(env.server.url, 5)]);
    });
    after(async () => env?.stop());

    const get = async (path: string, token = auditor) => {
      // The server and this client share one event loop: a keep-alive socket the server has just closed can be
      // handed out again before its FIN is read (ECONNRESET before any byte is answered). A GET is safe to send again.
      const r = await api(env.server.url, path, { token }).catch((err) => {
        if (err.cause?.code !== "ECONNRESET") throw err;
        return api(env.server.url, path, { token });
      });
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    // Transactions of one phase are independent of each other; a block is mined every MINE_EVERY of them (the node
    // re-runs its pending block on each new transaction, so a long queue costs quadratic time).
    const MINE_EVERY = 40;
    let queued = 0;
    const send = async (from: number, to: string, abi: any, functionName: string, args: unknown[], gas = 250_000) => {
      await env.provider.send("eth_sendTransaction", [{ from: addressOf(from), to, data: encodeFunctionData({ abi, functionName, args }), gas: toHex(gas) }]);
      if (++queued >= MINE_EVERY) await mine();
    };
    /** Mines until nothing is pending (a block takes what fits its gas limit). */
    const mine = async () => {
      queued = 0;
      do await env.provider.send("evm_mine", []);
      while (Number(await env.provider.send("eth_getBlockTransactionCountByNumber", ["pending"])) > 0);
    };
    const ledger = () => env.deployment.contracts.ReceivableLedger;
    const livePaths = (from: string) => [`/api/reports/aging`, `/api/reports/aging?groupBy=buyer`, `/api/reports/kpis?from=${from}&monthBasis=30&to=`];

    it("drives random ledgers through the contracts and every report equals the reimplementation", async function () {
      this.timeout(300_000);
      const started = Date.now();
      // Every buyer may pay anything it owes.
      for (const b of [3, 4]) await send(b, env.deployment.contracts.SettlementToken, settlementTokenAbi, "approve", [ledger(), 2n ** 255n]);
      await mine();
      await env.provider.send("evm_setAutomine", [false]);
      // What the test believes it did (only to choose plausible actions; the checks read the chain's logs).
      const mine_ = new Map<string, { seller: number; buyer: number; holder: number; status: number; outstanding: bigint; due: number }>();
      let seq = 0;
      try {
        for (let epoch = 0; epoch < EPOCHS; epoch++) {
          const now = Number((await env.provider.send("eth_getBlockByNumber", ["latest", false])).timestamp);
          // 1. registrations, in batches of 15 per transaction
          const fresh: string[] = [];
          for (let i = 0; i < PER_EPOCH; i += 15) {
            const [s, b] = pick(PAIRS);
            const invoices = [];
            for (let j = 0; j < 15; j++) {
              const fingerprint = keccak256(toHex(`prop:${SEED}:${++seq}`));
              const due = now + int(1, 100) * DAY_S + int(0, DAY_S - 1);
              const amount = BigInt(int(1, 2_000_000)) * 1_000n;
              invoices.push({
                fingerprint,
                documentHash: keccak256(toHex(`d${seq}`)),
                buyer: addressOf(b),
                amount,
                currency: "0x555344",
                issueDate: now - int(0, 60) * DAY_S - int(0, DAY_S - 1),
                dueDate: due,
                terms: { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 },
              });
              mine_.set(fingerprint, { seller: s, buyer: b, holder: s, status: 1, outstanding: amount, due });
              fresh.push(fingerprint);
            }
            await send(s, ledger(), receivableLedgerAbi, "registerBatch", [invoices], 2_500_000);
          }
          await mine();
          // 2. confirmations (85%), a few disputes and cancellations
          for (const id of fresh) {
            const r = mine_.get(id)!;
            const x = rand();
            if (x < 0.85) await send(r.buyer, ledger(), receivableLedgerAbi, "confirm", [BigInt(id)]), (r.status = 2);
            else if (x < 0.92) await send(r.buyer, ledger(), receivableLedgerAbi, "dispute", [BigInt(id), keccak256(toHex("no"))]), (r.status = 3);
          }
          await mine();
          for (const [id, r] of mine_)
            if (r.status === 3 && rand() < 0.5) await send(r.seller, ledger(), receivableLedgerAbi, "cancel", [BigInt(id)]), (r.status = 4);
          // 3. payments: partial or full, on confirmed or defaulted receivables
          for (const [id, r] of mine_) {
            if ((r.status !== 2 && r.status !== 6) || r.outstanding === 0n || rand() > 0.35) continue;
            const amount = rand() < 0.5 ? r.outstanding : BigInt(1 + Math.floor(rand() * Number(r.outstanding - 1n)));
            await send(r.buyer, ledger(), receivableLedgerAbi, "pay", [BigInt(id), amount]);
            r.outstanding -= amount;
            if (r.outstanding === 0n) r.status = 5;
          }
          await mine();
          // 4. transfers to financiers, defaults of what is past due
          const chainNow = Number((await env.provider.send("eth_getBlockByNumber", ["latest", false])).timestamp);
          for (const [id, r] of mine_) {
            if (r.status === 2 && r.due < chainNow - 60 && rand() < 0.5) {
              await send(r.holder, ledger(), receivableLedgerAbi, "markDefaulted", [BigInt(id)]);
              r.status = 6;
            } else if (r.status === 2 && r.holder === r.seller && rand() < 0.12) {
              const to = pick(FINANCIERS);
              await send(r.holder, ledger(), receivableLedgerAbi, "transfer", [BigInt(id), addressOf(to)]);
              r.holder = to;
            }
          }
          await mine();
          // 5. a few credit notes (issued, then accepted by the holder in the next block; note ids from the logs)
          const noted = [...mine_.entries()]
            .filter(([, r]) => r.status === 2 && r.outstanding > 2_000n)
            .slice(0, 40)
            .filter(() => rand() < 0.15);
          const notesFrom = Number(await env.provider.send("eth_blockNumber", [])) + 1;
          for (const [id, r] of noted)
            await send(r.buyer, ledger(), receivableLedgerAbi, "issueCreditNote", [BigInt(id), r.outstanding / 3n, keccak256(toHex("cn"))]);
          await mine();
          if (noted.length) {
            const head = Number(await env.provider.send("eth_blockNumber", []));
            const logs = await env.provider.send("eth_getLogs", [{ address: ledger(), fromBlock: toHex(notesFrom), toBlock: toHex(head) }]);
            for (const l of logs) {
              const ev = decodeEventLog({ abi: receivableLedgerAbi as any, data: l.data, topics: l.topics }) as any;
              if (ev.eventName !== "CreditNoteIssued") continue;
              const id = toHex(ev.args.id, { size: 32 });
              const r = mine_.get(id)!;
              await send(r.holder, ledger(), receivableLedgerAbi, "acceptCreditNote", [ev.args.id, ev.args.noteId]);
              r.outstanding -= ev.args.amount;
            }
            await mine();
          }
          // the epoch's end: take the live reports at this head, then move time on
          const head = (await waitForHead(env)).number;
          const liveDay = dayOf(Number((await env.provider.send("eth_getBlockByNumber", [toHex(head), false])).timestamp));
          const from = iso(liveDay - int(20, 120));
          const live: Record<string, any> = {};
          for (const p of livePaths(from)) live[p + (p.endsWith("to=") ? iso(liveDay) : "")] = await get(p + (p.endsWith("to=") ? iso(liveDay) : ""));
          live[`/api/reports/aging#fin5`] = await get(`/api/reports/aging`, fin5);
          checkpoints.push({ block: head, live });
          await env.provider.send("evm_increaseTime", [int(15, 45) * DAY_S]);
          await mine();
        }
      } finally {
        await env.provider.send("evm_setAutomine", [true]);
      }
      const head = (await waitForHead(env)).number;
      const built = Date.now();

      // The raw events, straight from the chain.
      const rawLogs = await env.provider.send("eth_getLogs", [{ address: ledger(), fromBlock: toHex(env.deployment.deploymentBlock), toBlock: toHex(head) }]);
      const events: RawEvent[] = [];
      for (const l of rawLogs) {
        try {
          const ev = decodeEventLog({ abi: receivableLedgerAbi as any, data: l.data, topics: l.topics }) as any;
          events.push({ block: Number(l.blockNumber), name: ev.eventName, args: ev.args });
        } catch {}
      }
      const times = new Map<number, number>();
      const timeOf = async (n: number) => {
        if (!times.has(n)) times.set(n, Number((await env.provider.send("eth_getBlockByNumber", [toHex(n), false])).timestamp));
        return times.get(n)!;
      };
      for (let n = env.deployment.deploymentBlock; n <= head; n++) await timeOf(n);
      /** The last block with timestamp ≤ t (deployment block − 1 when none). */
      const blockAt = (t: number) => {
        let b = env.deployment.deploymentBlock - 1;
        for (let n = env.deployment.deploymentBlock; n <= head; n++) if (times.get(n)! <= t) b = n;
        return b;
      };
      expect(events.filter((e) => e.name === "ReceivableRegistered").length).to.be.greaterThan(EPOCHS * PER_EPOCH);

      const points = [...checkpoints.map((c) => c.block), ...Array.from({ length: 2 }, () => int(env.deployment.deploymentBlock, head)), head];
      for (const n of points) {
        const reportDay = dayOf(times.get(n)!);
        const m = modelAt(events, n);
        const open = m.rs.filter((r) => OPEN.has(r.status) && r.outstanding > 0n);
        const expected = BUCKETS.map(() => ({ count: 0, amount: 0n }));
        for (const r of open) {
          const b = expected[bucketOf(reportDay - dayOf(r.dueDate))]!;
          b.count++;
          b.amount += r.outstanding;
        }
        const aging = await get(`/api/reports/aging?asOfBlock=${n}&groupBy=buyer`);
        expect(aging.asOf.block.number).to.equal(n);
        expect(
          aging.buckets.map((b: any) => [b.count, BigInt(b.amount)]),
          `aging at ${n}`,
        ).to.deep.equal(expected.map((b) => [b.count, b.amount]));
        const balance = open.reduce((s, r) => s + r.outstanding, 0n);
        expect(BigInt(aging.openBalance)).to.equal(balance);
        expect(aging.buckets.reduce((s: bigint, b: any) => s + BigInt(b.amount), 0n)).to.equal(balance);
        for (const g of aging.groups) {
          expect(BigInt(g.openBalance), `buyer ${g.party} at ${n}`).to.equal(open.filter((r) => r.buyer === g.party).reduce((s, r) => s + r.outstanding, 0n));
          expect(g.buckets.reduce((s: bigint, b: any) => s + BigInt(b.amount), 0n)).to.equal(BigInt(g.openBalance));
        }
        // a financier's scope: what it holds
        const f5 = await get(`/api/reports/aging?asOfBlock=${n}`, fin5);
        expect(BigInt(f5.openBalance)).to.equal(open.filter((r) => r.holder === addressOf(5)).reduce((s, r) => s + r.outstanding, 0n));
        // the overdue ledger: every open receivable at least one day past due
        const overdue = await get(`/api/reports/overdue?asOfBlock=${n}&limit=5`);
        expect(overdue.total).to.equal(open.filter((r) => reportDay - dayOf(r.dueDate) >= 1).length);
        expect(overdue.items.map((i: any) => i.daysPastDue)).to.deep.equal([...overdue.items.map((i: any) => i.daysPastDue)].sort((a, b) => b - a));

        // KPIs of a period running to the as-of day (30-day basis), against the model
        const fromDay = reportDay - int(10, 150);
        const kp = await get(`/api/reports/kpis?asOfBlock=${n}&from=${iso(fromDay)}&to=${iso(reportDay)}&monthBasis=30`);
        const openBlock = blockAt(fromDay * DAY_S - 1);
        const opening = openBlock < env.deployment.deploymentBlock ? [] : modelAt(events, openBlock).rs.filter((r) => OPEN.has(r.status) && r.outstanding > 0n);
        const openingAr = opening.reduce((s, r) => s + r.outstanding, 0n);
        const current = open.filter((r) => dayOf(r.dueDate) >= reportDay).reduce((s, r) => s + r.outstanding, 0n);
        const pastDue = balance - current;
        const atRisk = open.filter((r) => reportDay - dayOf(r.dueDate) > 90).reduce((s, r) => s + r.outstanding, 0n);
        const E = (reportDay + 1) * DAY_S - 1;
        const sales = m.rs
          .filter((r) => r.parent === null && r.status !== 4 && r.issueDate >= fromDay * DAY_S && r.issueDate <= E)
          .reduce((s, r) => s + r.registered, 0n);
        const cash = m.payments.filter((p) => p.block > openBlock && p.block <= n).reduce((s, p) => s + p.principal, 0n);
        expect(
          {
            openingAr: BigInt(kp.openingAr),
            closingAr: BigInt(kp.closingAr),
            currentAr: BigInt(kp.currentAr),
            pastDueAr: BigInt(kp.pastDueAr),
            atRiskAr: BigInt(kp.atRiskAr),
            creditSales: BigInt(kp.creditSales),
            cashApplied: BigInt(kp.cashApplied),
          },
          `kpis at ${n}`,
        ).to.deep.equal({ openingAr, closingAr: balance, currentAr: current, pastDueAr: pastDue, atRiskAr: atRisk, creditSales: sales, cashApplied: cash });
        const days = reportDay - fromDay + 1;
        const num = (x: bigint) => Number(x);
        if (sales > 0n) {
          expect(kp.dsoSimple).to.be.closeTo((num(balance) / num(sales)) * days, 1e-3);
          expect(kp.bpdso).to.be.closeTo((num(current) / num(sales)) * days, 1e-3);
        } else expect(kp.dsoSimple).to.equal(null);
        const base = openingAr + sales;
        if (base - current !== 0n) expect(kp.cei).to.be.closeTo((num(base - balance) / num(base - current)) * 100, 1e-3);
        if (base !== 0n) expect(kp.collectionRate).to.be.closeTo((num(cash) / num(base)) * 100, 1e-3);
        if (open.length) {
          expect(kp.overdueRatio.count).to.be.closeTo((open.filter((r) => dayOf(r.dueDate) < reportDay).length / open.length) * 100, 1e-3);
          expect(kp.atRiskRate.amount).to.be.closeTo((num(atRisk) / num(balance)) * 100, 1e-3);
        }
      }

      // As of block N, asked now (from the undo log), equals the answer taken live when N was the head.
      for (const c of checkpoints) {
        for (const [path, live] of Object.entries(c.live)) {
          const [p, who] = path.split("#");
          const asOf = await get(`${p}${p!.includes("?") ? "&" : "?"}asOfBlock=${c.block}`, who === "fin5" ? fin5 : auditor);
          const strip = (x: any) => ({ ...x, asOf: { ...x.asOf, indexedHead: undefined } });
          expect(strip(asOf), `${path} as of ${c.block}`).to.deep.equal(strip(live));
        }
      }
      console.log(
        `      ${events.length} events, ${head - env.deployment.deploymentBlock} blocks, ${points.length} as-of points; ledger built in ${((built - started) / 1000).toFixed(1)} s, checked in ${((Date.now() - built) / 1000).toFixed(1)} s`,
      );
    });
  });
}
