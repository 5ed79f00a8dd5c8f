// The factoring market (issue 5) from the browser: listings, EIP-712 signed offers, atomic sale.
// Offers are signed off-chain by the financier, posted to the server (which holds them privately: only the bidder
// and the lister see them) and redeemed on chain by the lister with the stored signature.
import type { Address, Hex } from "viem";
import type { Wallet } from "./chain.ts";
import { OFFER_TYPES, LOAN_OFFER_TYPES } from "../../common/eip712.ts";
import {
  creditInsuranceAbi,
  factoringMarketAbi,
  memberRegistryAbi,
  pledgeLoansAbi,
  receivableLedgerAbi,
  settlementTokenAbi,
} from "../../deployments/contracts.ts";
import type { ChainClient } from "./chain.ts";
import { DAY_MS } from "./format.ts";
import { applyBps, bpsToPercent, pricing } from "../../common/pricing.ts";

export interface Offer {
  id: bigint;
  /** The listing the offer is made on (the receivable's listing sequence number): valid only on that listing. */
  listing: number;
  financier: Address;
  price: bigint;
  nonce: bigint;
  expiry: bigint;
}

export interface Deal {
  state: "None" | "Listed" | "SoldWithRecourse" | "RecourseClaimed" | string;
  party: Address;
  /** Reserve while listed; the price once sold with recourse; once claimed, what the repurchase costs now (the
   * recourse amount less what a credit insurer paid on the receivable, `recourseDue`). */
  amount: bigint;
  /** Listing deadline while listed; sale time once sold. */
  time: number;
  withRecourse: boolean;
  recourseRateBps: number;
  /** How many times the receivable was listed; the open listing is number `listings - 1`. */
  listings: number;
}

export interface Listing extends Deal {
  id: Hex;
}

/**
 * The step a financing transaction is at while the wallet is asked (approve, then sign or send): a code the page
 * shows in its language (`financing.step.*` in client/src/i18n/financing/).
 */
export type FinancingStep =
  | "approvePrice"
  | "signOffer"
  | "approveRepurchase"
  | "repurchase"
  | "approveEscrow"
  | "offerPolicy"
  | "approvePremium"
  | "acceptPolicy"
  | "approveAdvance"
  | "signLoanOffer"
  | "approveRepayment"
  | "repay";

const DEAL_STATES = ["None", "Listed", "SoldWithRecourse", "RecourseClaimed"];

export interface Market {
  address: Address;
  deal(id: Hex): Promise<Deal>;
  /** Receivables currently listed (from the market's Listed events, confirmed by its state). */
  listings(): Promise<Listing[]>;
  list(wallet: Wallet, id: Hex, reserve: bigint, deadline: number, withRecourse: boolean, recourseRateBps: number): Promise<Hex>;
  closeListing(wallet: Wallet, id: Hex): Promise<Hex>;
  /** Approves the market to draw `price` at sale, then signs the offer; returns the offer and its signature. */
  makeOffer(wallet: Wallet, id: Hex, price: bigint, validForDays: number, onStep?: (step: FinancingStep) => void): Promise<{ offer: Offer; signature: Hex }>;
  acceptOffer(wallet: Wallet, offer: Offer, signature: Hex): Promise<Hex>;
  cancelOffer(wallet: Wallet, nonce: bigint): Promise<Hex>;
  /** The holder of a receivable sold with recourse that defaulted claims the repurchase from the seller. */
  claimRecourse(wallet: Wallet, id: Hex): Promise<Hex>;
  /** The seller pays the recourse claim; the receivable returns to it. */
  repurchase(wallet: Wallet, id: Hex, amount: bigint, onStep?: (step: FinancingStep) => void): Promise<Hex>;
}

export function createMarket(chain: ChainClient): Market | null {
  const address = chain.config.contracts.FactoringMarket;
  if (!address) return null;
  const { publicClient, config } = chain;

  async function send(wallet: Wallet, call: { address: Address; abi: readonly unknown[]; functionName: string; args: readonly unknown[] }) {
    const account = wallet.account;
    if (!account) throw new Error("No account selected");
    // The market calls into the ledger and the token: decode their custom errors too.
    const abi = [...call.abi, ...receivableLedgerAbi.filter((x) => x.type === "error"), ...settlementTokenAbi.filter((x) => x.type === "error")];
    const { request } = await publicClient.simulateContract({ ...(call as object), abi, account } as never);
    const hash = await wallet.writeContract(request as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`Transaction ${hash} reverted`);
    return hash;
  }

  const market: Market = {
    address,
    async deal(id) {
      const d = await publicClient.readContract({ address, abi: factoringMarketAbi, functionName: "deal", args: [BigInt(id)] });
      const state = DEAL_STATES[Number(d.state)] ?? String(d.state);
      // A claimed recourse costs the claim less an insurer's payout: the market says what it will pull.
      const due =
        state === "RecourseClaimed"
          ? await publicClient.readContract({ address, abi: factoringMarketAbi, functionName: "recourseDue", args: [BigInt(id)] })
          : null;
      return {
        state,
        party: d.party,
        amount: due ?? BigInt(d.amount),
        time: Number(d.time),
        withRecourse: d.withRecourse,
        recourseRateBps: Number(d.recourseRateBps),
        listings: Number(d.listings),
      };
    },
    async listings() {
      const logs = await publicClient.getContractEvents({ address, abi: factoringMarketAbi, eventName: "Listed", fromBlock: BigInt(config.deploymentBlock) });
      const ids = [...new Set(logs.map((l) => `0x${(l.args as { id: bigint }).id.toString(16).padStart(64, "0")}` as Hex))];
      const deals = await Promise.all(ids.map(async (id) => ({ id, ...(await market.deal(id)) })));
      return deals.filter((d) => d.state === "Listed");
    },
    async list(wallet, id, reserve, deadline, withRecourse, recourseRateBps) {
      return await send(wallet, {
        address,
        abi: factoringMarketAbi,
        functionName: "list",
        args: [BigInt(id), reserve, deadline, withRecourse, recourseRateBps],
      });
    },
    async closeListing(wallet, id) {
      return await send(wallet, { address, abi: factoringMarketAbi, functionName: "closeListing", args: [BigInt(id)] });
    },
    async makeOffer(wallet, id, price, validForDays, onStep) {
      const account = wallet.account;
      if (!account) throw new Error("No account selected");
      // The allowance must cover every open offer of this financier at once: raise it by this price.
      const allowance = await publicClient.readContract({
        address: config.contracts.SettlementToken,
        abi: settlementTokenAbi,
        functionName: "allowance",
        args: [account.address, address],
      });
      onStep?.("approvePrice");
      await send(wallet, { address: config.contracts.SettlementToken, abi: settlementTokenAbi, functionName: "approve", args: [address, allowance + price] });
      onStep?.("signOffer");
      const now = await chain.now();
      const { state, listings } = await market.deal(id);
      if (state !== "Listed") throw new Error("This receivable is not listed any more.");
      const offer: Offer = {
        id: BigInt(id),
        listing: listings - 1, // the open listing: the offer is valid on it only

        financier: account.address,
        price,
        // A random 64-bit nonce: offers are independent and each can be used (or cancelled) once.
        nonce: randomNonce(),
        expiry: now + BigInt(Math.round((validForDays * DAY_MS) / 1000)),
      };
      const signature = await wallet.signTypedData({
        account,
        domain: { name: "FactoringMarket", version: "1", chainId: config.chainId, verifyingContract: address },
        types: OFFER_TYPES,
        primaryType: "Offer",
        message: offer,
      });
      return { offer, signature };
    },
    async acceptOffer(wallet, offer, signature) {
      return await send(wallet, { address, abi: factoringMarketAbi, functionName: "acceptOffer", args: [offer, signature] });
    },
    async cancelOffer(wallet, nonce) {
      return await send(wallet, { address, abi: factoringMarketAbi, functionName: "cancelOffer", args: [nonce] });
    },
    async claimRecourse(wallet, id) {
      return await send(wallet, { address, abi: factoringMarketAbi, functionName: "claimRecourse", args: [BigInt(id)] });
    },
    async repurchase(wallet, id, amount, onStep) {
      onStep?.("approveRepurchase");
      await send(wallet, { address: config.contracts.SettlementToken, abi: settlementTokenAbi, functionName: "approve", args: [address, amount] });
      onStep?.("repurchase");
      return await send(wallet, { address, abi: factoringMarketAbi, functionName: "repurchase", args: [BigInt(id)] });
    },
  };
  return market;
}

/**
 * What a financier prices on: discount from the outstanding face amount, and the simple annualised yield — the
 * server's formula (common/pricing.ts), so the hint shows what the offer will show once made.
 */
export function offerEconomics(price: bigint, outstanding: bigint, dueDateMs: number, nowMs = Date.now(), daysToMaturity?: number) {
  // The server's days to maturity (by chain time) when known, so the hint matches the yield the server shows.
  const days = Math.max(1, daysToMaturity ?? Math.ceil((dueDateMs - nowMs) / DAY_MS));
  const p = pricing(outstanding, price, days);
  return { days, discountPct: bpsToPercent(p.discountBps), yieldPct: bpsToPercent(p.yieldBps ?? 0) };
}

// ───────────────────────────────────────────────────────────── credit insurance ──

export interface Policy {
  insurer: Address;
  coverageBps: number;
  expiry: number;
  /** Accepted by the holder (premium paid). */
  active: boolean;
  claimed: boolean;
  /** After a paid claim: what the insurer paid, and its share of the buyer's later payments received so far. */
  subrogation: { paid: bigint; recovered: bigint } | null;
  premium: bigint;
  /** The maximum payout, escrowed by the insurer. */
  escrow: bigint;
}

export interface Insurance {
  address: Address;
  /** The policy on a receivable, or null when there is none. */
  policy(id: Hex): Promise<Policy | null>;
  /** Escrows the maximum payout (coverage × outstanding) and offers the policy. */
  offerPolicy(wallet: Wallet, id: Hex, coverageBps: number, premium: bigint, expiry: number, onStep?: (step: FinancingStep) => void): Promise<Hex>;
  /** The holder pays the premium and the cover starts. */
  acceptPolicy(wallet: Wallet, id: Hex, premium: bigint, onStep?: (step: FinancingStep) => void): Promise<Hex>;
  claim(wallet: Wallet, id: Hex): Promise<Hex>;
  release(wallet: Wallet, id: Hex): Promise<Hex>;
}

export function createInsurance(chain: ChainClient): Insurance | null {
  const address = chain.config.contracts.CreditInsurance;
  if (!address) return null;
  const { publicClient, config } = chain;
  const token = config.contracts.SettlementToken;
  const errors = [...receivableLedgerAbi.filter((x) => x.type === "error"), ...settlementTokenAbi.filter((x) => x.type === "error")];

  async function send(wallet: Wallet, call: { address: Address; abi: readonly unknown[]; functionName: string; args: readonly unknown[] }) {
    const account = wallet.account;
    if (!account) throw new Error("No account selected");
    const { request } = await publicClient.simulateContract({ ...(call as object), abi: [...call.abi, ...errors], account } as never);
    const hash = await wallet.writeContract(request as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`Transaction ${hash} reverted`);
    return hash;
  }

  async function subrogationOf(id: string) {
    const s = await publicClient.readContract({ address: address!, abi: creditInsuranceAbi, functionName: "subrogation", args: [BigInt(id)] });
    return /^0x0+$/.test(s.insurer) ? null : { paid: BigInt(s.paid), recovered: BigInt(s.recovered) };
  }

  return {
    address,
    async policy(id) {
      const p = await publicClient.readContract({ address, abi: creditInsuranceAbi, functionName: "policy", args: [BigInt(id)] });
      if (/^0x0+$/.test(p.insurer)) return null;
      return {
        insurer: p.insurer,
        coverageBps: Number(p.coverageBps),
        expiry: Number(p.expiry),
        active: p.active,
        claimed: p.claimed,
        premium: BigInt(p.premium),
        escrow: BigInt(p.escrow),
        subrogation: p.claimed ? await subrogationOf(id) : null,
      };
    },
    async offerPolicy(wallet, id, coverageBps, premium, expiry, onStep) {
      const r = await chain.receivable(id);
      const escrow = applyBps(r.faceAmount - r.paid, coverageBps);
      onStep?.("approveEscrow");
      await send(wallet, { address: token, abi: settlementTokenAbi, functionName: "approve", args: [address, escrow] });
      onStep?.("offerPolicy");
      return await send(wallet, { address, abi: creditInsuranceAbi, functionName: "offerPolicy", args: [BigInt(id), coverageBps, premium, expiry] });
    },
    async acceptPolicy(wallet, id, premium, onStep) {
      onStep?.("approvePremium");
      await send(wallet, { address: token, abi: settlementTokenAbi, functionName: "approve", args: [address, premium] });
      onStep?.("acceptPolicy");
      return await send(wallet, { address, abi: creditInsuranceAbi, functionName: "acceptPolicy", args: [BigInt(id)] });
    },
    async claim(wallet, id) {
      return await send(wallet, { address, abi: creditInsuranceAbi, functionName: "claim", args: [BigInt(id)] });
    },
    async release(wallet, id) {
      return await send(wallet, { address, abi: creditInsuranceAbi, functionName: "release", args: [BigInt(id)] });
    },
  };
}

// ───────────────────────────────────────────────────────────────── pledge loans ──

export interface LoanOffer {
  id: bigint;
  lender: Address;
  advanceBps: number;
  rateBps: number;
  nonce: bigint;
  expiry: bigint;
}

export interface Loan {
  lender: Address;
  /** What was owed at `since` (interest accrues from there). */
  principal: bigint;
  since: number;
  rateBps: number;
}

export interface Loans {
  address: Address;
  loan(id: Hex): Promise<Loan | null>;
  owed(id: Hex): Promise<bigint>;
  /** Approves the advance to be drawn when the borrower opens the loan, then signs; returns the offer and its signature. */
  makeOffer(
    wallet: Wallet,
    id: Hex,
    advanceBps: number,
    rateBps: number,
    validForDays: number,
    onStep?: (step: FinancingStep) => void,
  ): Promise<{ offer: LoanOffer; signature: Hex }>;
  cancelOffer(wallet: Wallet, nonce: bigint): Promise<Hex>;
  openLoan(wallet: Wallet, offer: LoanOffer, signature: Hex): Promise<Hex>;
  repay(wallet: Wallet, id: Hex, onStep?: (step: FinancingStep) => void): Promise<Hex>;
  seize(wallet: Wallet, id: Hex): Promise<Hex>;
}

/** Interest keeps accruing between reading what is owed and mining the repayment: approve a little more. */
const REPAY_HEADROOM_BPS = 10n;

function randomNonce(): bigint {
  return BigInt(`0x${Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("")}`);
}

export function createLoans(chain: ChainClient): Loans | null {
  const address = chain.config.contracts.PledgeLoans;
  if (!address) return null;
  const { publicClient, config } = chain;
  const token = config.contracts.SettlementToken;
  const errors = [...receivableLedgerAbi.filter((x) => x.type === "error"), ...settlementTokenAbi.filter((x) => x.type === "error")];

  async function send(wallet: Wallet, call: { address: Address; abi: readonly unknown[]; functionName: string; args: readonly unknown[] }) {
    const account = wallet.account;
    if (!account) throw new Error("No account selected");
    const { request } = await publicClient.simulateContract({ ...(call as object), abi: [...call.abi, ...errors], account } as never);
    const hash = await wallet.writeContract(request as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`Transaction ${hash} reverted`);
    return hash;
  }

  const loans: Loans = {
    address,
    async loan(id) {
      const l = await publicClient.readContract({ address, abi: pledgeLoansAbi, functionName: "loan", args: [BigInt(id)] });
      if (Number(l.lenderIndex) === 0) return null;
      const lender = await publicClient.readContract({
        address: config.contracts.MemberRegistry,
        abi: memberRegistryAbi,
        functionName: "memberAt",
        args: [l.lenderIndex],
      });
      return { lender, principal: BigInt(l.principal), since: Number(l.since), rateBps: Number(l.rateBps) };
    },
    async owed(id) {
      return await publicClient.readContract({ address, abi: pledgeLoansAbi, functionName: "owed", args: [BigInt(id)] });
    },
    async makeOffer(wallet, id, advanceBps, rateBps, validForDays, onStep) {
      const account = wallet.account;
      if (!account) throw new Error("No account selected");
      const r = await chain.receivable(id);
      const advance = applyBps(r.faceAmount - r.paid, advanceBps);
      onStep?.("approveAdvance");
      await send(wallet, { address: token, abi: settlementTokenAbi, functionName: "approve", args: [address, advance] });
      onStep?.("signLoanOffer");
      const offer: LoanOffer = {
        id: BigInt(id),
        lender: account.address,
        advanceBps,
        rateBps,
        nonce: randomNonce(),
        expiry: (await chain.now()) + BigInt(Math.round((validForDays * DAY_MS) / 1000)),
      };
      const signature = await wallet.signTypedData({
        account,
        domain: { name: "PledgeLoans", version: "1", chainId: config.chainId, verifyingContract: address },
        types: LOAN_OFFER_TYPES,
        primaryType: "LoanOffer",
        message: offer,
      });
      return { offer, signature };
    },
    async cancelOffer(wallet, nonce) {
      return await send(wallet, { address, abi: pledgeLoansAbi, functionName: "cancelOffer", args: [nonce] });
    },
    async openLoan(wallet, offer, signature) {
      return await send(wallet, { address, abi: pledgeLoansAbi, functionName: "openLoan", args: [offer, signature] });
    },
    async repay(wallet, id, onStep) {
      const owed = await loans.owed(id);
      const allowance = owed + (owed * REPAY_HEADROOM_BPS) / 10_000n + 1n;
      onStep?.("approveRepayment");
      await send(wallet, { address: token, abi: settlementTokenAbi, functionName: "approve", args: [address, allowance] });
      onStep?.("repay");
      return await send(wallet, { address, abi: pledgeLoansAbi, functionName: "repay", args: [BigInt(id)] });
    },
    async seize(wallet, id) {
      return await send(wallet, { address, abi: pledgeLoansAbi, functionName: "seize", args: [BigInt(id)] });
    },
  };
  return loans;
}
