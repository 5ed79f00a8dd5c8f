// The kernel against the contracts: roles equal the contracts' role constants and what a deployed registry and
// ledger do with them; statuses equal IReceivableLedger.Status; and the lifecycle's ACTIONS table matches the
// ledger: for every status and action, a receivable driven into that status on a real local chain accepts the
// action (eth_call, so one receivable per status serves every action) exactly when the table allows it, and
// refuses it with LedgerInvalidStatus naming that status otherwise. One chain for the file.
import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Contract, Interface, JsonRpcProvider, keccak256, toUtf8Bytes, type Signer } from "ethers";
import { startChain, deployFresh, type LocalChain } from "../../scripts/local-chain.ts";
import { memberRegistryAbi, receivableLedgerAbi, settlementTokenAbi, factoringMarketAbi, creditInsuranceAbi } from "../../deployments/contracts.ts";
import { Role, ALL_ROLES, ROLE_NAMES, type RoleName } from "../../common/roles.ts";
import { STATUSES, STATUS, ACTIONS, CONFIRMED, allows, type LedgerAction, type ReceivableStatus } from "../../common/lifecycle.ts";
import { CONFIRMATION_TYPES, eip712Domain, mutableTypes } from "../../common/eip712.ts";
import { currencyToBytes3, UNIT } from "../../common/money.ts";
import { amountDue, type PaymentTerms } from "../../common/pricing.ts";
import { DAY_S } from "../../common/units.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const solidityFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === "test" || e.name === "mocks" ? [] : solidityFiles(join(dir, e.name))) : e.name.endsWith(".sol") ? [join(dir, e.name)] : [],
  );
const source = (file: string) => readFileSync(join(ROOT, file), "utf8");
const capitalised = (upper: string) => (upper.charAt(0) + upper.slice(1).toLowerCase()) as RoleName;

const errors = new Interface(
  [...receivableLedgerAbi, ...factoringMarketAbi, ...creditInsuranceAbi, ...memberRegistryAbi].filter((f) => f.type === "error") as any,
);

/** "ok", or the custom error's name and arguments the call reverted with. */
async function outcome(call: () => Promise<unknown>): Promise<{ name: string; args?: readonly unknown[] }> {
  try {
    await call();
    return { name: "ok" };
  } catch (e: any) {
    const data: string | undefined = e?.data ?? e?.info?.error?.data ?? e?.error?.data;
    const parsed = data ? errors.parseError(data) : null;
    return parsed ? { name: parsed.name, args: [...parsed.args] } : { name: `unparsed: ${e?.shortMessage ?? e?.message}` };
  }
}

describe("common kernel against the contracts", function () {
  let chain: LocalChain;
  let provider: JsonRpcProvider;
  let deployment: Awaited<ReturnType<typeof deployFresh>>;
  let operator: Signer, seller: Signer, buyer: Signer, other: Signer, financier: Signer, insurer: Signer, auditor: Signer, everything: Signer;
  let sellerAddr: string, buyerAddr: string, otherAddr: string;
  let ledger: Contract, registry: Contract, market: Contract, insurance: Contract;

  const at = (c: string, abi: unknown, s: Signer) => new Contract(c, abi as any, s);
  const chainNow = async () => (await provider.getBlock("latest"))!.timestamp;
  const send = async (p: Promise<any>) => (await p).wait();

  before(async () => {
    chain = await startChain();
    deployment = await deployFresh(chain.rpcUrl);
    provider = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, pollingInterval: 50 });
    [operator, seller, buyer, other, financier, insurer, auditor, everything] = (await Promise.all(
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => provider.getSigner(i)),
    )) as unknown as [Signer, Signer, Signer, Signer, Signer, Signer, Signer, Signer];
    [sellerAddr, buyerAddr, otherAddr] = (await Promise.all([seller, buyer, other].map((s) => s.getAddress()))) as [string, string, string];
    registry = at(deployment.contracts.MemberRegistry, memberRegistryAbi, operator);
    ledger = at(deployment.contracts.ReceivableLedger, receivableLedgerAbi, operator);
    market = at(deployment.contracts.FactoringMarket, factoringMarketAbi, operator);
    insurance = at(deployment.contracts.CreditInsurance, creditInsuranceAbi, operator);
    const expiry = (await chainNow()) + 400 * DAY_S;
    const admissions: [Signer, number][] = [
      [seller, Role.Seller],
      [buyer, Role.Buyer],
      [other, Role.Seller],
      [financier, Role.Financier],
      [insurer, Role.Insurer],
      [auditor, Role.Auditor],
    ];
    for (const [s, roles] of admissions) await send(registry.getFunction("admit")(await s.getAddress(), roles, expiry));
    const token = at(deployment.contracts.SettlementToken, settlementTokenAbi, operator);
    await send(token.getFunction("mint")(buyerAddr, 10_000_000n * UNIT));
    await send(token.connect(buyer).getFunction("approve")(deployment.contracts.ReceivableLedger, 2n ** 255n));
  });

  after(async () => {
    provider?.destroy();
    await chain?.stop();
  });

  describe("roles", () => {
    it("equal every ROLE_* constant of the contracts and the registry's documented bits", () => {
      const found: [string, RoleName, number][] = [];
      for (const file of solidityFiles("contracts")) {
        for (const m of source(file).matchAll(/uint8 internal constant ROLE_([A-Z]+) = (\d+);/g)) found.push([file, capitalised(m[1]!), Number(m[2])]);
      }
      expect(found.length, "ROLE_* constants found").to.be.greaterThan(3);
      for (const [file, name, bits] of found) expect(Role[name], `${file}: ROLE_${name.toUpperCase()}`).to.equal(bits);
      const doc = /Role bits[^\n]*\n\s*\/\/\/\s*(.*)/.exec(source("contracts/interfaces/IMemberRegistry.sol"))![1]!;
      const documented = Object.fromEntries([...doc.matchAll(/([A-Z]+) = (\d+)/g)].map((m) => [capitalised(m[1]!), Number(m[2])]));
      expect(documented).to.deep.equal(Role);
      expect(Number(/ALL_ROLES = (\d+)/.exec(source("contracts/MemberRegistry.sol"))![1])).to.equal(ALL_ROLES);
    });

    it("are what the deployed registry admits: each bit alone, all at once, nothing beyond", async () => {
      const who = await everything.getAddress();
      const expiry = (await chainNow()) + DAY_S;
      for (const name of ROLE_NAMES) {
        await send(registry.getFunction("admit")(who, Role[name], expiry));
        const [roles] = await registry.getFunction("memberOf")(who);
        expect(Number(roles), name).to.equal(Role[name]);
      }
      expect((await outcome(() => registry.getFunction("admit").staticCall(who, ALL_ROLES, expiry))).name).to.equal("ok");
      const beyond = await outcome(() => registry.getFunction("admit").staticCall(who, ALL_ROLES | (ALL_ROLES + 1), expiry));
      expect(beyond.name).to.equal("RegistryInvalidRoles");
    });

    it("are the bits the ledger and the modules ask for", async () => {
      const inv = await invoice();
      const notSeller = await outcome(() => ledger.connect(buyer).getFunction("register").staticCall(inv));
      expect(notSeller).to.deep.equal({ name: "LedgerUnauthorized", args: [buyerAddr, BigInt(Role.Seller)] });
      const id = await register(inv);
      const notBuyer = await outcome(() => ledger.connect(seller).getFunction("confirm").staticCall(id));
      expect(notBuyer).to.deep.equal({ name: "LedgerUnauthorized", args: [sellerAddr, BigInt(Role.Buyer)] });
      for (const name of ROLE_NAMES) {
        const holder = { Seller: seller, Buyer: buyer, Financier: financier, Auditor: auditor, Insurer: insurer }[name];
        for (const other of ROLE_NAMES) {
          expect(await ledger.getFunction("hasActiveRoles")(await holder.getAddress(), Role[other]), `${name} has ${other}`).to.equal(name === other);
        }
      }
      const asFinancier = await outcome(() =>
        insurance
          .connect(financier)
          .getFunction("offerPolicy")
          .staticCall(id, 5_000, 1n, (inv.dueDate as number) + DAY_S),
      );
      expect(asFinancier.name).to.equal("InsuranceNotInsurer");
      const asInsurer = await outcome(() =>
        insurance
          .connect(insurer)
          .getFunction("offerPolicy")
          .staticCall(id, 5_000, 1n, (inv.dueDate as number) + DAY_S),
      );
      expect(asInsurer.name).to.not.equal("InsuranceNotInsurer");
    });
  });

  describe("statuses", () => {
    it("are IReceivableLedger.Status in declaration order, the enum the ABI's status fields carry", () => {
      const body = /enum Status \{([^}]*)\}/.exec(source("contracts/interfaces/IReceivableLedger.sol"))![1]!;
      expect(
        body
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      ).to.deep.equal([...STATUSES]);
      const view = (receivableLedgerAbi as readonly any[]).find((f) => f.type === "function" && f.name === "receivable");
      const status = view.outputs[0].components.find((c: any) => c.name === "status");
      expect(status.internalType).to.equal("enum IReceivableLedger.Status");
    });
  });

  // ───────────────────────────────────────────── driving receivables into each status ──

  const TERMS: PaymentTerms = { discountBps: 0, discountDays: 0, lateInterestBps: 1_200, graceDays: 1 };
  const FACE = 10_000n * UNIT;
  let serial = 0;
  interface Rec {
    id: bigint;
    documentHash: string;
    dueDate: number;
    note: bigint | null;
  }

  async function invoice(overrides: Record<string, unknown> = {}) {
    serial += 1;
    const now = await chainNow();
    return {
      fingerprint: keccak256(toUtf8Bytes(`kernel invoice ${serial}`)),
      documentHash: keccak256(toUtf8Bytes(`kernel document ${serial}`)),
      buyer: buyerAddr,
      amount: FACE,
      currency: currencyToBytes3("USD"),
      issueDate: now - DAY_S,
      dueDate: now + 30 * DAY_S,
      terms: TERMS,
      ...overrides,
    };
  }
  async function register(inv: Awaited<ReturnType<typeof invoice>>): Promise<bigint> {
    await send(ledger.connect(seller).getFunction("register")(inv));
    return BigInt(inv.fingerprint);
  }
  async function creditNote(id: bigint): Promise<bigint> {
    const noteId: bigint = await ledger
      .connect(buyer)
      .getFunction("issueCreditNote")
      .staticCall(id, 1n, keccak256(toUtf8Bytes("note")));
    await send(ledger.connect(buyer).getFunction("issueCreditNote")(id, 1n, keccak256(toUtf8Bytes("note"))));
    return noteId;
  }
  async function fresh(): Promise<Rec> {
    const inv = await invoice();
    return { id: await register(inv), documentHash: inv.documentHash, dueDate: inv.dueDate, note: null };
  }
  const confirm = (r: Rec) => send(ledger.connect(buyer).getFunction("confirm")(r.id));

  /** Drives new receivables into the statuses that exist before the due date. */
  async function beforeDue(): Promise<Partial<Record<ReceivableStatus, Rec>>> {
    const registered = await fresh();
    const confirmed = await fresh();
    await confirm(confirmed);
    confirmed.note = await creditNote(confirmed.id);
    const disputed = await fresh();
    await send(ledger.connect(buyer).getFunction("dispute")(disputed.id, keccak256(toUtf8Bytes("wrong goods"))));
    const cancelled = await fresh();
    await send(ledger.connect(seller).getFunction("cancel")(cancelled.id));
    const paid = await fresh();
    await confirm(paid);
    paid.note = await creditNote(paid.id);
    await send(ledger.connect(buyer).getFunction("pay")(paid.id, 2n * FACE));
    const split = await fresh();
    await confirm(split);
    split.note = await creditNote(split.id);
    await send(ledger.connect(seller).getFunction("split")(split.id, [FACE / 2n, FACE - FACE / 2n], [sellerAddr, otherAddr]));
    return { Registered: registered, Confirmed: confirmed, Disputed: disputed, Cancelled: cancelled, Paid: paid, Split: split };
  }

  /** The call of `action` on `r` by the party the ledger expects for it, as an eth_call. */
  async function attempt(action: LedgerAction, r: Rec) {
    const reason = keccak256(toUtf8Bytes("reason"));
    switch (action) {
      case "confirm":
        return outcome(() => ledger.connect(buyer).getFunction("confirm").staticCall(r.id));
      case "confirmWithSignature": {
        const deadline = (await chainNow()) + DAY_S;
        const { chainId } = await provider.getNetwork();
        const signature = await buyer.signTypedData(
          eip712Domain("ReceivableLedger", chainId, deployment.contracts.ReceivableLedger as `0x${string}`),
          mutableTypes(CONFIRMATION_TYPES),
          {
            id: r.id,
            seller: sellerAddr,
            buyer: buyerAddr,
            amount: FACE,
            dueDate: r.dueDate,
            documentHash: r.documentHash,
            deadline,
          },
        );
        return outcome(() => ledger.connect(seller).getFunction("confirmWithSignature").staticCall(r.id, r.documentHash, deadline, signature));
      }
      case "dispute":
        return outcome(() => ledger.connect(buyer).getFunction("dispute").staticCall(r.id, reason));
      case "cancel":
        return outcome(() => ledger.connect(seller).getFunction("cancel").staticCall(r.id));
      case "pay":
        return outcome(() =>
          ledger
            .connect(buyer)
            .getFunction("pay")
            .staticCall(r.id, FACE / 2n),
        );
      case "attestBankPayment":
        return outcome(() =>
          ledger
            .connect(operator)
            .getFunction("attestBankPayment")
            .staticCall(r.id, FACE / 2n, keccak256(toUtf8Bytes(`bank ${r.id}`))),
        );
      case "transfer":
        return outcome(() => ledger.connect(seller).getFunction("transfer").staticCall(r.id, otherAddr));
      case "split":
        return outcome(() =>
          ledger
            .connect(seller)
            .getFunction("split")
            .staticCall(r.id, [FACE / 2n, FACE - FACE / 2n], [sellerAddr, sellerAddr]),
        );
      case "issueCreditNote":
        return outcome(() => ledger.connect(buyer).getFunction("issueCreditNote").staticCall(r.id, 1n, reason));
      case "acceptCreditNote":
        return outcome(() =>
          ledger
            .connect(seller)
            .getFunction("acceptCreditNote")
            .staticCall(r.id, r.note ?? 999_999n),
        );
      case "markDefaulted":
        return outcome(() => ledger.connect(seller).getFunction("markDefaulted").staticCall(r.id));
      case "writeOff":
        return outcome(() => ledger.connect(seller).getFunction("writeOff").staticCall(r.id));
      case "lock": {
        const deadline = (await chainNow()) + 7 * DAY_S;
        return outcome(() => market.connect(seller).getFunction("list").staticCall(r.id, 1n, deadline, false, 0));
      }
    }
  }

  /** Checks every action of `actions` on `r` (in `status`) against the table; returns the pairs checked. */
  async function check(status: ReceivableStatus, r: Rec, actions: LedgerAction[]): Promise<string[]> {
    const onChain = await ledger.getFunction("receivable")(r.id);
    expect(Number(onChain.status), `${status} on chain`).to.equal(STATUS[status]);
    const checked: string[] = [];
    for (const action of actions) {
      const got = await attempt(action, r);
      const where = `${action} on a ${status} receivable`;
      if (allows(action, status)) {
        expect(got, where).to.deep.equal({ name: "ok" });
      } else if (action === "acceptCreditNote" && !CONFIRMED.has(status)) {
        // No credit note can exist before confirmation: the ledger refuses the unknown note first.
        expect(got.name, where).to.equal("LedgerUnknownCreditNote");
      } else {
        expect(got.name, where).to.equal("LedgerInvalidStatus");
        expect(Number(got.args![1]), `${where}: current status`).to.equal(STATUS[status]);
      }
      checked.push(`${status}:${action}`);
    }
    return checked;
  }

  describe("the lifecycle table", () => {
    it("matches the ledger for every status and action", async () => {
      const actions = Object.keys(ACTIONS) as LedgerAction[];
      const checked: string[] = [];
      // Before the due date: every status but Defaulted and WrittenOff (which need the grace period to pass);
      // marking defaulted is checked on a confirmed receivable after it.
      const early = await beforeDue();
      for (const [status, r] of Object.entries(early) as [ReceivableStatus, Rec][]) {
        checked.push(
          ...(await check(
            status,
            r,
            actions.filter((a) => !(status === "Confirmed" && a === "markDefaulted")),
          )),
        );
      }
      const overdue = await fresh();
      await confirm(overdue);
      const defaulted = await fresh();
      await confirm(defaulted);
      const writtenOff = await fresh();
      await confirm(writtenOff);
      // Past the due date and the grace period (splitting a Confirmed one, allowed by status, is refused as overdue: checked above).
      await provider.send("evm_increaseTime", [32 * DAY_S]);
      await provider.send("evm_mine", []);
      for (const r of [defaulted, writtenOff]) {
        await send(ledger.connect(seller).getFunction("markDefaulted")(r.id));
        r.note = await creditNote(r.id);
      }
      await send(ledger.connect(seller).getFunction("writeOff")(writtenOff.id));
      checked.push(...(await check("Confirmed", overdue, ["markDefaulted"])));
      checked.push(...(await check("Defaulted", defaulted, actions)));
      checked.push(...(await check("WrittenOff", writtenOff, actions)));
      // Every (status, action) pair of a receivable that exists was checked once.
      const expected = STATUSES.filter((s) => s !== "None").flatMap((s) => actions.map((a) => `${s}:${a}`));
      expect([...checked].sort()).to.deep.equal([...expected].sort());
    });
  });

  describe("payment terms", () => {
    it("amountDue equals the ledger's at every edge of the discount window, the grace period and the late days", async () => {
      const terms: PaymentTerms = { discountBps: 200, discountDays: 10, lateInterestBps: 1_200, graceDays: 5 };
      const now = await chainNow();
      const inv = await invoice({ issueDate: now - DAY_S, dueDate: now + 20 * DAY_S, terms, amount: 12_345_678_901n });
      const id = await register(inv);
      await send(ledger.connect(buyer).getFunction("confirm")(id));
      const r = { outstanding: 12_345_678_901n, issueDate: inv.issueDate, dueDate: inv.dueDate, terms };
      const issue = inv.issueDate;
      const lateFrom = inv.dueDate + 5 * DAY_S;
      const times = [
        issue,
        issue + 10 * DAY_S,
        issue + 10 * DAY_S + 1,
        inv.dueDate,
        lateFrom,
        lateFrom + 1,
        lateFrom + DAY_S,
        lateFrom + DAY_S + 1,
        lateFrom + 37 * DAY_S,
        lateFrom + 365 * DAY_S,
      ];
      for (const t of times) {
        expect(amountDue(r, t), `at ${t - issue} s after issue`).to.equal(await ledger.getFunction("amountDue")(id, t));
      }
    });
  });
});
