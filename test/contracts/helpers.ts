// Shared setup for the contract tests: the contracts deployed exactly as scripts/deploy.ts deploys them (behind
// proxies, governed by the timelock), members admitted, tokens issued, and invoice builders.
import { network } from "hardhat";
import { CONFIRMATION_TYPES, OFFER_TYPES as SHARED_OFFER_TYPES, LOAN_OFFER_TYPES as SHARED_LOAN_OFFER_TYPES, mutableTypes } from "../../common/eip712.ts";
import { SigningKey, keccak256, toUtf8Bytes, type Signer } from "ethers";
import { HARDHAT_KEYS } from "../../scripts/bench/keys.ts";
import { deployCore } from "../../scripts/deploy/01-core.ts";
import { DAY_S } from "../../common/units.ts";
import { UNIT } from "../../common/money.ts";
import { Role } from "../../common/roles.ts";
import { STATUSES, type ReceivableStatus } from "../../common/lifecycle.ts";

export const { ethers, networkHelpers } = await network.create();

export { DAY_S } from "../../common/units.ts";
export { UNIT } from "../../common/money.ts";
export { Role } from "../../common/roles.ts";
export const HOLDER_ROLES = 23;
/** IReceivableLedger.Status as the contracts return it (bigint), from common/lifecycle.ts. */
export const Status = Object.fromEntries(STATUSES.map((name, index) => [name, BigInt(index)])) as { readonly [K in ReceivableStatus]: bigint };
export const TIMELOCK_DELAY_S = 3_600;
/** ISO 4217 codes as the ledger's bytes3. */
export const USD = "0x555344";
export const EUR = "0x455552";
export const TERMS = { discountBps: 200, discountDays: 10, lateInterestBps: 1200, graceDays: 5 };
export const NO_TERMS = { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 };

/** Deploys the core and admits: seller, buyer (buyer+seller), financier, supplier (seller), auditor, insurer. */
export async function deployConsortium(opts: { legacyLedger?: { abi: any[]; bytecode: string } } = {}) {
  const signers = await ethers.getSigners();
  const [operator, seller, buyer, financier, supplier, auditor, insurer, outsider, governor] = signers as unknown as [
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
  ];
  const core = await deployCore(operator, {
    operator: await operator.getAddress(),
    governor: await governor.getAddress(),
    timelockDelaySeconds: TIMELOCK_DELAY_S,
    legacyLedger: opts.legacyLedger,
  });
  const registry = await ethers.getContractAt("MemberRegistry", core.MemberRegistry);
  const ledger = await ethers.getContractAt("ReceivableLedger", core.ReceivableLedger);
  const token = await ethers.getContractAt("SettlementToken", core.SettlementToken);
  const timelock = await ethers.getContractAt("ConsortiumTimelock", core.Timelock);
  const now = await networkHelpers.time.latest();
  const expiry = now + 365 * DAY_S;
  const admit = async (s: Signer, roles: number) => (await registry.admit(await s.getAddress(), roles, expiry)).wait();
  await admit(seller, Role.Seller);
  await admit(buyer, Role.Buyer | Role.Seller);
  await admit(financier, Role.Financier);
  await admit(supplier, Role.Seller);
  await admit(auditor, Role.Auditor);
  await admit(insurer, Role.Insurer);
  for (const s of [buyer, financier, seller]) {
    await (await token.mint(await s.getAddress(), 10_000_000n * UNIT)).wait();
    await (await token.connect(s).approve(core.ReceivableLedger, 2n ** 255n)).wait();
  }
  return { core, registry, ledger, token, timelock, operator, seller, buyer, financier, supplier, auditor, insurer, outsider, governor, now, expiry };
}

let invoiceCounter = 0;

/** An invoice of `buyer`: issued 20 days ago, due in 40 days, 2/10 net 30 with 12% late interest and 5 days grace. */
export function makeInvoice(buyer: string, now: number, overrides: Partial<Record<string, unknown>> = {}) {
  invoiceCounter += 1;
  return {
    fingerprint: keccak256(toUtf8Bytes(`invoice ${invoiceCounter} ${Math.random()}`)),
    documentHash: keccak256(toUtf8Bytes(`document ${invoiceCounter}`)),
    buyer,
    amount: 10_000n * UNIT,
    currency: USD,
    issueDate: now - 5 * DAY_S,
    dueDate: now + 40 * DAY_S,
    terms: TERMS,
    ...overrides,
  };
}

export type InvoiceInput = ReturnType<typeof makeInvoice>;

/** The buyer's EIP-712 Confirmation signature. */
export async function signConfirmation(
  ledgerAddress: string,
  buyer: Signer,
  v: { id: bigint | string; seller: string; amount: bigint; dueDate: number; documentHash: string; deadline: number },
) {
  const { chainId } = await ethers.provider.getNetwork();
  return buyer.signTypedData({ name: "ReceivableLedger", version: "1", chainId, verifyingContract: ledgerAddress }, mutableTypes(CONFIRMATION_TYPES), {
    ...v,
    id: BigInt(v.id),
    buyer: await buyer.getAddress(),
  });
}

/** Signs a raw 32-byte digest with a Hardhat development account's key (no message prefix). */
export function signRaw(address: string, digest: string): string {
  const key = HARDHAT_KEYS[address.toLowerCase()];
  if (!key) throw new Error(`no development key for ${address}`);
  return new SigningKey(key).sign(digest).serialized;
}

/** Runs `data` on `target` through the governance timelock: the governor schedules, the delay passes, anyone executes. */
export async function viaTimelock(timelock: any, governor: Signer, target: string, data: string, salt = keccak256(toUtf8Bytes(String(Math.random())))) {
  await (await timelock.connect(governor).schedule(target, 0, data, "0x" + "00".repeat(32), salt, TIMELOCK_DELAY_S)).wait();
  await networkHelpers.time.increase(TIMELOCK_DELAY_S);
  return timelock.execute(target, 0, data, "0x" + "00".repeat(32), salt);
}

/** The addresses of `signers`, as a tuple of the same length. */
export async function addressesOf<const T extends readonly Signer[]>(...signers: T): Promise<{ -readonly [K in keyof T]: string }> {
  return (await Promise.all(signers.map((s) => s.getAddress()))) as { -readonly [K in keyof T]: string };
}

/** deployConsortium plus the financing modules, approved by governance, and a confirmed receivable of the seller. */
export async function deployWithFinancing() {
  const c = await deployConsortium();
  const factory = async (name: string) => (await ethers.getContractFactory(name)).deploy(c.core.ReceivableLedger);
  const market = await ethers.getContractAt("FactoringMarket", await (await factory("FactoringMarket")).getAddress());
  const loans = await ethers.getContractAt("PledgeLoans", await (await factory("PledgeLoans")).getAddress());
  const insurance = await ethers.getContractAt("CreditInsurance", await (await factory("CreditInsurance")).getAddress());
  for (const m of [market, loans, insurance]) {
    const data = c.ledger.interface.encodeFunctionData("setFinancingModule", [await m.getAddress(), true]);
    await (await viaTimelock(c.timelock, c.governor, c.core.ReceivableLedger, data)).wait();
  }
  const [sellerAddr, buyerAddr, finAddr, insurerAddr] = await addressesOf(c.seller, c.buyer, c.financier, c.insurer);
  for (const [s, m] of [
    [c.financier, market],
    [c.financier, loans],
    [c.seller, market],
    [c.seller, loans],
    [c.insurer, insurance],
    [c.seller, insurance],
    [c.financier, insurance],
  ] as const) {
    await (await c.token.connect(s).approve(await m.getAddress(), 2n ** 255n)).wait();
  }
  await (await c.token.mint(insurerAddr, 10_000_000n * UNIT)).wait();
  const now = await networkHelpers.time.latest();
  const inv = makeInvoice(buyerAddr, now);
  await (await c.ledger.connect(c.seller).register(inv)).wait();
  await (await c.ledger.connect(c.buyer).confirm(inv.fingerprint)).wait();
  return { ...c, market, loans, insurance, sellerAddr, buyerAddr, finAddr, insurerAddr, inv, id: BigInt(inv.fingerprint), now };
}

/** An EIP-712 signature by a Hardhat development account over `types`/`value` in `contract`'s domain. */
export async function signTyped(
  signer: Signer,
  name: string,
  verifyingContract: string,
  types: Record<string, { name: string; type: string }[]>,
  value: Record<string, unknown>,
) {
  const { chainId } = await ethers.provider.getNetwork();
  return signer.signTypedData({ name, version: "1", chainId, verifyingContract }, types, value);
}

export const OFFER_TYPES = mutableTypes(SHARED_OFFER_TYPES);
export const LOAN_OFFER_TYPES = mutableTypes(SHARED_LOAN_OFFER_TYPES);
