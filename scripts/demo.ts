// Demo consortium on a local chain: admits members (Hardhat's development accounts), issues settlement tokens
// to every role that pays (buyers, financiers, the insurer, suppliers), and registers a handful of invoices in various states. Used by `npm start` and by tests.
import { type JsonRpcProvider, Contract, type Signer } from "ethers";
import { memberRegistryAbi, settlementTokenAbi, receivableLedgerAbi, type Deployment } from "../deployments/contracts.ts";
import { invoiceFingerprint, DEMO_CONSORTIUM_SALT, documentHash } from "../common/fingerprint.ts";
import { currencyToBytes3 } from "../common/money.ts";
import { Role } from "../common/roles.ts";
import { DAY_S, YEAR_S } from "../common/units.ts";
import { UNIT as TOKEN_UNIT } from "../common/money.ts";
// The members themselves (accounts and company profiles) are common/demo-consortium.ts, which the client reads too.
import { DEMO_ACCOUNTS, DEMO_COMPANIES, DEMO_STAFF } from "../common/demo-consortium.ts";
export { DEMO_ACCOUNTS, DEMO_COMPANIES, DEMO_STAFF };

const ONE_YEAR_S = YEAR_S;

export async function admitDemoMembers(provider: JsonRpcProvider, deployment: Deployment): Promise<void> {
  const operator = await provider.getSigner(DEMO_ACCOUNTS.operator);
  const registry = new Contract(deployment.contracts.MemberRegistry, memberRegistryAbi as any, operator);
  const token = new Contract(deployment.contracts.SettlementToken, settlementTokenAbi as any, operator);
  const now = (await provider.getBlock("latest"))!.timestamp;
  const expiry = now + ONE_YEAR_S;
  const admit = async (index: number, roles: number) => {
    const addr = await (await provider.getSigner(index)).getAddress();
    await (await registry.getFunction("admit")(addr, roles, expiry)).wait();
  };
  for (const i of DEMO_ACCOUNTS.sellers) await admit(i, Role.Seller);
  // Buyers are core enterprises that also sell (multi-tier supply chains).
  for (const i of DEMO_ACCOUNTS.buyers) await admit(i, Role.Buyer | Role.Seller);
  for (const i of DEMO_ACCOUNTS.financiers) await admit(i, Role.Financier);
  await admit(DEMO_ACCOUNTS.auditor, Role.Auditor);
  await admit(DEMO_ACCOUNTS.insurer, Role.Insurer);
  // Every role gets what its journeys need (issue 9, item 22): buyers pay, financiers buy and lend, the insurer
  // escrows the maximum payout of the policies it offers, and suppliers (sellers) pay premiums, repurchase
  // after recourse, repay loans and pay for what is passed down to them. The auditor and operator only read and attest.
  const funding: [number, bigint][] = [
    ...DEMO_ACCOUNTS.buyers.map((i): [number, bigint] => [i, 10_000_000n * TOKEN_UNIT]),
    ...DEMO_ACCOUNTS.financiers.map((i): [number, bigint] => [i, 10_000_000n * TOKEN_UNIT]),
    [DEMO_ACCOUNTS.insurer, 10_000_000n * TOKEN_UNIT],
    ...DEMO_ACCOUNTS.sellers.map((i): [number, bigint] => [i, 1_000_000n * TOKEN_UNIT]),
  ];
  for (const [i, amount] of funding) {
    const addr = await (await provider.getSigner(i)).getAddress();
    await (await token.getFunction("mint")(addr, amount)).wait();
  }
}

export interface DemoInvoice {
  seller: number;
  buyer: number;
  invoiceNumber: string;
  amount: bigint;
  issueOffsetDays: number;
  dueInDays: number;
  then: "registered" | "confirmed" | "paid";
}

export const DEMO_INVOICES: DemoInvoice[] = [
  { seller: 1, buyer: 3, invoiceNumber: "INV-2026-0001", amount: 125_000n * TOKEN_UNIT, issueOffsetDays: -20, dueInDays: 40, then: "confirmed" },
  { seller: 1, buyer: 3, invoiceNumber: "INV-2026-0002", amount: 48_250n * TOKEN_UNIT, issueOffsetDays: -5, dueInDays: 55, then: "registered" },
  { seller: 1, buyer: 4, invoiceNumber: "INV-2026-0003", amount: 9_800n * TOKEN_UNIT, issueOffsetDays: -40, dueInDays: 20, then: "paid" },
  { seller: 2, buyer: 3, invoiceNumber: "BP-77120", amount: 310_000n * TOKEN_UNIT, issueOffsetDays: -10, dueInDays: 80, then: "confirmed" },
  { seller: 2, buyer: 4, invoiceNumber: "BP-77121", amount: 15_400n * TOKEN_UNIT, issueOffsetDays: -2, dueInDays: 28, then: "registered" },
];

function isoDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

export async function registerDemoInvoices(provider: JsonRpcProvider, deployment: Deployment, invoices = DEMO_INVOICES) {
  const now = (await provider.getBlock("latest"))!.timestamp;
  const ids: bigint[] = [];
  for (const inv of invoices) {
    const seller: Signer = await provider.getSigner(inv.seller);
    const buyer: Signer = await provider.getSigner(inv.buyer);
    const issueDate = now + inv.issueOffsetDays * DAY_S;
    const fingerprint = invoiceFingerprint(
      {
        sellerTaxId: DEMO_COMPANIES[inv.seller]!.taxId,
        buyerTaxId: DEMO_COMPANIES[inv.buyer]!.taxId,
        invoiceNumber: inv.invoiceNumber,
        currency: "USD",
        amount: inv.amount,
        issueDate: isoDate(issueDate),
      },
      DEMO_CONSORTIUM_SALT,
    );
    const doc = new TextEncoder().encode(JSON.stringify({ invoiceNumber: inv.invoiceNumber, amount: inv.amount.toString() }));
    const ledgerAsSeller = new Contract(deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, seller);
    const invoice = {
      fingerprint,
      documentHash: documentHash(doc),
      buyer: await buyer.getAddress(),
      amount: inv.amount,
      currency: currencyToBytes3("USD"),
      issueDate,
      dueDate: now + inv.dueInDays * DAY_S,
      terms: { discountBps: 200, discountDays: 10, lateInterestBps: 1200, graceDays: 5 },
    };
    await (await ledgerAsSeller.getFunction("register")(invoice)).wait();
    const id = BigInt(fingerprint);
    ids.push(id);
    const ledgerAsBuyer = new Contract(deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, buyer);
    if (inv.then !== "registered") await (await ledgerAsBuyer.getFunction("confirm")(id)).wait();
    if (inv.then === "paid") {
      const token = new Contract(deployment.contracts.SettlementToken, settlementTokenAbi as any, buyer);
      const due: bigint = await ledgerAsBuyer.getFunction("amountDue")(id, now + 60);
      await (await token.getFunction("approve")(deployment.contracts.ReceivableLedger, due)).wait();
      await (await ledgerAsBuyer.getFunction("pay")(id, due)).wait();
    }
  }
  return ids;
}

// ─────────────────────────────────────────── off-chain demo data, through the server's API (issue 9, item 15) ──

/** Signs in to the server with SIWE as the node's account `index`; returns a bearer token. */
async function signIn(serverUrl: string, provider: JsonRpcProvider, index: number): Promise<string> {
  const { SiweMessage } = await import("siwe");
  const signer = await provider.getSigner(index);
  const nonce = (await (await fetch(`${serverUrl}/api/auth/nonce`)).json()).nonce as string;
  const { chainId } = await provider.getNetwork();
  const message = new SiweMessage({
    domain: new URL(serverUrl).host,
    address: await signer.getAddress(),
    statement: "Sign in to the receivables ledger",
    uri: serverUrl,
    version: "1",
    chainId: Number(chainId),
    nonce,
    issuedAt: new Date().toISOString(),
  }).prepareMessage();
  const signature = await signer.signMessage(message);
  const res = await fetch(`${serverUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message, signature }),
  });
  if (!res.ok) throw new Error(`demo sign-in as account ${index} failed: ${res.status} ${await res.text()}`);
  return (await res.json()).token as string;
}

async function call(serverUrl: string, token: string, method: string, path: string, body: unknown) {
  const res = await fetch(serverUrl + path, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} failed: ${res.status} ${await res.text()}`);
  return await res.json();
}

/**
 * Gives the server what the chain does not hold: the demo members' company profiles (written by the operator) and
 * each demo invoice's details (posted by its seller, accepted because they hash to the receivable's id).
 * `ids` are registerDemoInvoices' result, in the order of `invoices`.
 */
export async function publishDemoDetails(serverUrl: string, provider: JsonRpcProvider, deployment: Deployment, ids: bigint[], invoices = DEMO_INVOICES) {
  const operatorToken = await signIn(serverUrl, provider, DEMO_ACCOUNTS.operator);
  for (const [index, c] of Object.entries(DEMO_COMPANIES)) {
    const address = (await (await provider.getSigner(Number(index))).getAddress()).toLowerCase();
    await call(serverUrl, operatorToken, "PUT", `/api/companies/${address}`, { legalName: c.name, taxId: c.taxId });
  }
  const ledger = new Contract(deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, provider);
  const tokens = new Map<number, string>();
  for (const [i, inv] of invoices.entries()) {
    const id = ids[i];
    if (id === undefined) break;
    const view = await ledger.getFunction("receivable")(id);
    const token = tokens.get(inv.seller) ?? (await signIn(serverUrl, provider, inv.seller));
    tokens.set(inv.seller, token);
    await call(serverUrl, token, "POST", `/api/receivables/0x${id.toString(16).padStart(64, "0")}/details`, {
      sellerTaxId: DEMO_COMPANIES[inv.seller]!.taxId,
      buyerTaxId: DEMO_COMPANIES[inv.buyer]!.taxId,
      invoiceNumber: inv.invoiceNumber,
      currency: "USD",
      amount: inv.amount.toString(),
      issueDate: isoDate(Number(view.issueDate)),
    });
  }
}

/** Links the demo staff (DEMO_STAFF) to their companies, each signed in as the company's own key (its administrator). */
export async function linkDemoStaff(serverUrl: string, provider: JsonRpcProvider, staff = DEMO_STAFF) {
  const tokens = new Map<number, string>();
  for (const p of staff) {
    const token = tokens.get(p.member) ?? (await signIn(serverUrl, provider, p.member));
    tokens.set(p.member, token);
    const member = (await (await provider.getSigner(p.member)).getAddress()).toLowerCase();
    const address = await (await provider.getSigner(p.index)).getAddress();
    await call(serverUrl, token, "POST", `/api/members/${member}/staff`, {
      address,
      name: p.name,
      deskRoles: p.deskRoles,
      ...(p.authorityTokens !== undefined ? { authorityAmount: (p.authorityTokens * TOKEN_UNIT).toString() } : {}),
    });
  }
}
