// Chain access with viem: a public client for reads, and wallet clients that sign with either an unlocked
// development account of the node (eth_sendTransaction over JSON-RPC) or an injected wallet (window.ethereum).
import { currencyFromBytes3 } from "../../common/money.ts";
import {
  BaseError,
  ContractFunctionRevertedError,
  UserRejectedRequestError,
  createClient,
  custom,
  decodeErrorResult,
  defineChain,
  http,
  keccak256,
  toHex,
  type Address,
  type EIP1193Provider,
  type Hex,
  type PublicClient,
  type WalletClient,
} from "viem";
// Only the actions the client uses (viem/actions is tree-shaken): createPublicClient/createWalletClient would
// bring every public and wallet action (SIWE verification, signature parsing with secp256k1, call simulation
// bundles…) into the first route's JavaScript.
import {
  getAddresses,
  getBlock,
  getBlockNumber,
  getContractEvents,
  readContract,
  signMessage,
  signTypedData,
  simulateContract,
  waitForTransactionReceipt,
  writeContract,
} from "viem/actions";
import * as generated from "../../deployments/contracts.ts";
import { memberRegistryAbi, receivableLedgerAbi, settlementTokenAbi } from "../../deployments/contracts.ts";
import { STATUSES } from "../../common/lifecycle.ts";
import { roleNames, type RoleName } from "../../common/roles.ts";
import type { ClientConfig } from "./config.ts";
import { money, moneyExact } from "./format.ts";

declare global {
  interface Window {
    ethereum?: EIP1193Provider;
  }
}

export type WalletKind = "dev" | "injected";

export interface Member {
  roles: RoleName[];
  expiresAt: number;
  suspended: boolean;
  active: boolean;
}

export interface InvoiceInput {
  fingerprint: Hex;
  documentHash: Hex;
  buyer: Address;
  amount: bigint;
  /** ISO 4217 code as bytes3 (common/money.ts); must be the ledger's settlement currency. */
  currency: Hex;
  issueDate: number;
  dueDate: number;
  terms: { discountBps: number; discountDays: number; lateInterestBps: number; graceDays: number };
}

export interface ChainReceivable {
  seller: Address;
  buyer: Address;
  holder: Address;
  status: string;
  faceAmount: bigint;
  paid: bigint;
  dueDate: number;
  lockedBy: Address;
}

/** The reads the client makes: a viem client with only these actions. */
export type ChainReads = Pick<
  PublicClient,
  "readContract" | "simulateContract" | "waitForTransactionReceipt" | "getContractEvents" | "getBlockNumber" | "getBlock"
>;
/** A signing account: a viem client with only the wallet actions the client uses. */
export type Wallet = Pick<WalletClient, "account" | "writeContract" | "signTypedData" | "signMessage" | "getAddresses">;

export interface ChainClient {
  config: ClientConfig;
  publicClient: ChainReads;
  devAccounts(): Promise<Address[]>;
  injectedAccounts(): Promise<Address[]>;
  wallet(account: Address, kind: WalletKind): Wallet;
  member(address: Address): Promise<Member>;
  balance(address: Address): Promise<bigint>;
  tokenSymbol(): Promise<string>;
  now(): Promise<bigint>;
  amountDue(id: Hex, at: bigint): Promise<bigint>;
  register(wallet: Wallet, invoice: InvoiceInput): Promise<Hex>;
  confirm(wallet: Wallet, id: Hex): Promise<Hex>;
  /** Buyer disputes an unconfirmed invoice; the reason text is kept off-chain, its hash on chain. */
  dispute(wallet: Wallet, id: Hex, reason: string): Promise<Hex>;
  cancel(wallet: Wallet, id: Hex): Promise<Hex>;
  markDefaulted(wallet: Wallet, id: Hex): Promise<Hex>;
  writeOff(wallet: Wallet, id: Hex): Promise<Hex>;
  transfer(wallet: Wallet, id: Hex, to: Address): Promise<Hex>;
  /** Holder splits a confirmed receivable into parts (amounts summing to the outstanding face amount). */
  split(wallet: Wallet, id: Hex, parts: { amount: bigint; holder: Address }[]): Promise<Hex>;
  issueCreditNote(wallet: Wallet, id: Hex, amount: bigint, reason: string): Promise<Hex>;
  acceptCreditNote(wallet: Wallet, id: Hex, noteId: bigint): Promise<Hex>;
  /** Operator records a payment received off-chain, once per bank reference. */
  attestBankPayment(wallet: Wallet, id: Hex, amount: bigint, bankReference: string): Promise<Hex>;
  /** Whether a credit note still waits for the holder's acceptance. */
  creditNotePending(noteId: bigint): Promise<boolean>;
  /** The ledger's own view of a receivable, optionally as of a block (for comparing with the indexed view). */
  receivable(id: Hex, blockNumber?: bigint): Promise<ChainReceivable>;
  /** documentHash of every registration, from the ledger's logs. */
  registeredDocumentHashes(): Promise<Map<string, Hex>>;
  operator(): Promise<Address>;
  admit(wallet: Wallet, member: Address, roles: number, expiresAt: bigint): Promise<Hex>;
  suspend(wallet: Wallet, member: Address): Promise<Hex>;
  reinstate(wallet: Wallet, member: Address): Promise<Hex>;
  /** Approves the settlement token, then pays: the full amount due shortly from now, or `amount` (a partial
   * payment); returns the pay tx hash. */
  pay(wallet: Wallet, id: Hex, onStep?: (step: string) => void, amount?: bigint): Promise<Hex>;
}

/** Seconds of headroom given to a payment: late interest may grow between reading the amount and mining. */
const PAYMENT_HEADROOM_S = 600n;

export function createChainClient(config: ClientConfig): ChainClient {
  const chain = defineChain({
    id: config.chainId,
    name: config.chainId === 31337 ? "Local consortium chain" : `Consortium chain ${config.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
  const publicClient = createClient({ chain, transport: http(config.rpcUrl), pollingInterval: 500 }).extend((c) => ({
    readContract: (args: any) => readContract(c, args),
    simulateContract: (args: any) => simulateContract(c, args),
    waitForTransactionReceipt: (args: any) => waitForTransactionReceipt(c, args),
    getContractEvents: (args: any) => getContractEvents(c, args),
    getBlockNumber: (args?: any) => getBlockNumber(c, args),
    getBlock: (args?: any) => getBlock(c, args) as any,
  })) as unknown as ChainReads;
  const walletOf = (account: Address | undefined, transport: ReturnType<typeof http> | ReturnType<typeof custom>): Wallet =>
    createClient({ account, chain, transport }).extend((c) => ({
      writeContract: (args: any) => writeContract(c, args),
      signTypedData: (args: any) => signTypedData(c, args),
      signMessage: (args: any) => signMessage(c, args),
      getAddresses: () => getAddresses(c),
    })) as unknown as Wallet;
  const ledger = config.contracts.ReceivableLedger;
  const token = config.contracts.SettlementToken;

  async function send(wallet: Wallet, call: { address: Address; abi: readonly unknown[]; functionName: string; args: readonly unknown[] }): Promise<Hex> {
    const account = wallet.account;
    if (!account) throw new Error("No account selected");
    // Simulate first: a revert comes back with its custom error decoded, before anything is signed.
    const { request } = await publicClient.simulateContract({ ...(call as object), account } as never);
    const hash = await wallet.writeContract(request as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`Transaction ${hash} reverted`);
    return hash;
  }

  nameModules(config.contracts as Record<string, string | null | undefined>);
  return {
    config,
    publicClient,
    async devAccounts() {
      // eth_accounts is a wallet method: ask the node through a wallet client without an account.
      const anon = walletOf(undefined, http(config.rpcUrl));
      return await anon.getAddresses();
    },
    async injectedAccounts() {
      const eth = window.ethereum;
      if (!eth) return [];
      const accounts = (await eth.request({ method: "eth_requestAccounts" })) as Address[];
      // Point the wallet at the consortium chain (adding it when the wallet does not know it).
      const current = Number(await eth.request({ method: "eth_chainId" }));
      if (current !== config.chainId) {
        const chainId = toHex(config.chainId);
        try {
          await eth.request({ method: "wallet_switchEthereumChain", params: [{ chainId }] });
        } catch (e) {
          if ((e as { code?: number }).code !== 4902) throw e;
          await eth.request({
            method: "wallet_addEthereumChain",
            params: [{ chainId, chainName: chain.name, nativeCurrency: chain.nativeCurrency, rpcUrls: [config.rpcUrl] }],
          });
        }
      }
      return accounts;
    },
    wallet(account, kind) {
      const transport = kind === "injected" && window.ethereum ? custom(window.ethereum) : http(config.rpcUrl);
      return walletOf(account, transport);
    },
    async member(address) {
      const [roles, expiresAt, suspended] = await publicClient.readContract({
        address: config.contracts.MemberRegistry,
        abi: memberRegistryAbi,
        functionName: "memberOf",
        args: [address],
      });
      const expiry = Number(expiresAt);
      return { roles: roleNames(roles), expiresAt: expiry, suspended, active: roles !== 0 && !suspended && expiry * 1000 > Date.now() };
    },
    async balance(address) {
      return await publicClient.readContract({ address: token, abi: settlementTokenAbi, functionName: "balanceOf", args: [address] });
    },
    async tokenSymbol() {
      return await publicClient.readContract({ address: token, abi: settlementTokenAbi, functionName: "symbol" });
    },
    async now() {
      return (await publicClient.getBlock({ blockTag: "latest" })).timestamp;
    },
    async amountDue(id, at) {
      return await publicClient.readContract({ address: ledger, abi: receivableLedgerAbi, functionName: "amountDue", args: [BigInt(id), at] });
    },
    async register(wallet, invoice) {
      return await send(wallet, { address: ledger, abi: receivableLedgerAbi, functionName: "register", args: [invoice] });
    },
    async confirm(wallet, id) {
      return await send(wallet, { address: ledger, abi: receivableLedgerAbi, functionName: "confirm", args: [BigInt(id)] });
    },
    async dispute(wallet, id, reason) {
      return await send(wallet, { address: ledger, abi: receivableLedgerAbi, functionName: "dispute", args: [BigInt(id), keccak256(toHex(reason))] });
    },
    async cancel(wallet, id) {
      return await send(wallet, { address: ledger, abi: receivableLedgerAbi, functionName: "cancel", args: [BigInt(id)] });
    },
    async markDefaulted(wallet, id) {
      return await send(wallet, { address: ledger, abi: receivableLedgerAbi, functionName: "markDefaulted", args: [BigInt(id)] });
    },
    async writeOff(wallet, id) {
      return await send(wallet, { address: ledger, abi: receivableLedgerAbi, functionName: "writeOff", args: [BigInt(id)] });
    },
    async receivable(id, blockNumber) {
      const r = await publicClient.readContract({
        address: ledger,
        abi: receivableLedgerAbi,
        functionName: "receivable",
        args: [BigInt(id)],
        ...(blockNumber === undefined ? {} : { blockNumber }),
      });
      return {
        seller: r.seller,
        buyer: r.buyer,
        holder: r.holder,
        status: STATUSES[Number(r.status)] ?? String(r.status),
        faceAmount: BigInt(r.faceAmount),
        paid: BigInt(r.paid),
        dueDate: Number(r.dueDate),
        lockedBy: r.lockedBy,
      };
    },
    async registeredDocumentHashes() {
      const logs = await publicClient.getContractEvents({
        address: ledger,
        abi: receivableLedgerAbi,
        eventName: "ReceivableRegistered",
        fromBlock: BigInt(config.deploymentBlock),
      });
      const out = new Map<string, Hex>();
      for (const log of logs) {
        const args = log.args as { id?: bigint; documentHash?: Hex };
        if (args.id !== undefined && args.documentHash) out.set(`0x${args.id.toString(16).padStart(64, "0")}`, args.documentHash);
      }
      return out;
    },
    async operator() {
      return await publicClient.readContract({ address: config.contracts.MemberRegistry, abi: memberRegistryAbi, functionName: "operator" });
    },
    async admit(wallet, member, roles, expiresAt) {
      return await send(wallet, { address: config.contracts.MemberRegistry, abi: memberRegistryAbi, functionName: "admit", args: [member, roles, expiresAt] });
    },
    async suspend(wallet, member) {
      return await send(wallet, { address: config.contracts.MemberRegistry, abi: memberRegistryAbi, functionName: "suspend", args: [member] });
    },
    async reinstate(wallet, member) {
      return await send(wallet, { address: config.contracts.MemberRegistry, abi: memberRegistryAbi, functionName: "reinstate", args: [member] });
    },
    async transfer(wallet, id, to) {
      return await send(wallet, { address: ledger, abi: receivableLedgerAbi, functionName: "transfer", args: [BigInt(id), to] });
    },
    async split(wallet, id, parts) {
      return await send(wallet, {
        address: ledger,
        abi: receivableLedgerAbi,
        functionName: "split",
        args: [BigInt(id), parts.map((p) => p.amount), parts.map((p) => p.holder)],
      });
    },
    async issueCreditNote(wallet, id, amount, reason) {
      return await send(wallet, {
        address: ledger,
        abi: receivableLedgerAbi,
        functionName: "issueCreditNote",
        args: [BigInt(id), amount, keccak256(toHex(reason))],
      });
    },
    async acceptCreditNote(wallet, id, noteId) {
      return await send(wallet, { address: ledger, abi: receivableLedgerAbi, functionName: "acceptCreditNote", args: [BigInt(id), noteId] });
    },
    async attestBankPayment(wallet, id, amount, bankReference) {
      return await send(wallet, {
        address: ledger,
        abi: receivableLedgerAbi,
        functionName: "attestBankPayment",
        args: [BigInt(id), amount, keccak256(toHex(bankReference.trim()))],
      });
    },
    async creditNotePending(noteId) {
      const [, , pending] = await publicClient.readContract({ address: ledger, abi: receivableLedgerAbi, functionName: "creditNote", args: [noteId] });
      return pending;
    },
    async pay(wallet, id, onStep, amount) {
      const at = (await this.now()) + PAYMENT_HEADROOM_S;
      const due = amount ?? (await this.amountDue(id, at));
      onStep?.(`Approving ${moneyExact(due)} for the ledger…`);
      await send(wallet, { address: token, abi: settlementTokenAbi, functionName: "approve", args: [ledger, due] });
      onStep?.(`Paying ${moneyExact(due)}…`);
      return await send(wallet, { address: ledger, abi: receivableLedgerAbi, functionName: "pay", args: [BigInt(id), due] });
    },
  };
}

// ───────────────────────────────────────────────────────────── readable errors ──

function statusAt(value: unknown): string {
  return STATUSES[Number(value)] ?? String(value);
}

function roleList(bits: unknown): string {
  const names = roleNames(Number(bits));
  return names.length ? names.join(" / ") : "a member";
}

function currencyName(v: unknown): string {
  try {
    return currencyFromBytes3(String(v));
  } catch {
    return String(v);
  }
}

const FIELD_HINTS: Record<string, string> = {
  fingerprint: "the invoice fingerprint is empty",
  amount: "the amount must be greater than zero",
  dueDate: "the due date must be in the future and not before the issue date",
  buyer: "you cannot address an invoice to yourself",
};

type ErrorItem = { type: "error"; name: string; inputs: readonly { type: string; name: string }[] };

/**
 * Every custom error of every consortium contract, from the generated ABIs (issue 9, item 21): a revert that
 * comes from another contract than the one called (a financing module behind the ledger) is decoded too.
 */
export const CONTRACT_ERRORS_ABI: readonly ErrorItem[] = (() => {
  const seen = new Map<string, ErrorItem>();
  for (const [key, abi] of Object.entries(generated)) {
    if (!key.endsWith("Abi")) continue;
    for (const item of abi as readonly { type: string }[]) {
      if (item.type !== "error") continue;
      const e = item as ErrorItem;
      seen.set(`${e.name}(${e.inputs.map((i) => i.type).join(",")})`, e);
    }
  }
  return [...seen.values()];
})();

/** What a locking module is, for messages ("listed on the factoring market" rather than an address). */
const MODULE_ROLES = new Map<string, string>();

/** Names the consortium's modules in error messages; called once the deployment's addresses are known. */
export function nameModules(contracts: Partial<Record<string, string | null | undefined>>): void {
  const roles: Record<string, string> = {
    FactoringMarket: "it is listed on the factoring market — close the listing first",
    PledgeLoans: "it secures an open loan — repay the loan first",
    CreditInsurance: "credit insurance",
  };
  for (const [name, address] of Object.entries(contracts)) if (address && roles[name]) MODULE_ROLES.set(address.toLowerCase(), roles[name]!);
}

function lockedBy(address: unknown): string {
  return MODULE_ROLES.get(String(address).toLowerCase()) ?? `it is locked by ${String(address)} (pledged or listed)`;
}

/** Turns a contract custom error (or any thrown value) into a sentence a user can act on. */
export function describeError(error: unknown): string {
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError)) return "You rejected the request in your wallet.";
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      let name = reverted.data?.errorName ?? "";
      let a = (reverted.data?.args ?? []) as readonly unknown[];
      if ((!name || !reverted.data) && reverted.raw) {
        try {
          const decoded = decodeErrorResult({ abi: CONTRACT_ERRORS_ABI as never, data: reverted.raw });
          name = decoded.errorName;
          a = (decoded.args ?? []) as readonly unknown[];
        } catch {
          // not one of the consortium's errors: fall through to viem's message
        }
      }
      switch (name) {
        case "LedgerDuplicateFingerprint":
          return (
            "This invoice is already registered on the ledger: an invoice with the same seller and buyer tax ids, invoice number, currency, amount and issue date exists (receivable " +
            `0x${BigInt(a[0] as bigint)
              .toString(16)
              .padStart(64, "0")
              .slice(0, 10)}…). It cannot be registered twice.`
          );
        case "LedgerUnsupportedCurrency":
          return `The ledger settles only in ${currencyName(a[2])}; an invoice in ${currencyName(a[1])} cannot be registered until that currency is supported.`;
        case "LedgerReservedId":
          return "This id belongs to the split parts' id space and cannot be registered.";
        case "LedgerPartIdTaken":
          return "The split cannot be made: one of its part ids is already taken on the ledger.";
        case "LedgerSubrogated":
          return `An insurer paid a claim on this receivable and is subrogated (${a[1] as string}): its claim cannot be reduced or ended by the holder.`;
        case "LedgerUnauthorized":
          return `Account ${a[0] as string} is not an active member with the role ${roleList(a[1])} (not admitted, suspended or expired).`;
        case "LedgerInvalidInvoice":
          return `The invoice is not valid: ${FIELD_HINTS[String(a[1])] ?? String(a[1])}.`;
        case "LedgerInvalidStatus":
          return `The receivable is ${statusAt(a[1])}; this action needs it to be ${statusAt(a[2])}.`;
        case "LedgerNotBuyer":
          return `Only the invoice's buyer (${a[2] as string}) can do this.`;
        case "LedgerNotSeller":
          return `Only the invoice's seller (${a[2] as string}) can do this.`;
        case "LedgerNotHolder":
          return `Only the current holder (${a[2] as string}) can do this.`;
        case "LedgerLocked":
          return `The receivable cannot be changed now: ${lockedBy(a[1])}.`;
        case "LedgerUnknownReceivable":
          return "This receivable does not exist on the ledger.";
        case "LedgerInvalidAmount":
          return `The amount ${money(a[1] as bigint)} is not allowed (limit ${money(a[2] as bigint)}).`;
        case "LedgerNotOverdue":
          return `The receivable is not overdue yet: it can be marked defaulted from ${new Date(Number(a[1]) * 1000).toUTCString()}.`;
        case "LedgerBankReferenceUsed":
          return "This bank reference has already been attested; each bank payment is recorded once.";
        case "LedgerUnknownCreditNote":
          return `Credit note #${String(a[1])} is not pending for this receivable.`;
        case "LedgerInvalidSplit":
          return `The split is not valid: ${String(a[1])}.`;
        case "LedgerNotOperator":
          return "Only the consortium operator can do this.";
        case "MarketBelowReserve":
          return `The offer of ${money(a[1] as bigint)} is below the reserve of ${money(a[2] as bigint)}.`;
        case "MarketOfferExpired":
          return "The offer has expired; ask the financier for a new one.";
        case "MarketOfferUsed":
          return "This offer has already been used or was withdrawn by the financier.";
        case "MarketInvalidSignature":
          return "The offer's signature does not match the financier: it was altered or signed for another receivable.";
        case "MarketNotFinancier":
          return `${a[0] as string} is not an active financier.`;
        case "MarketListingExpired":
          return "The listing's deadline has passed; close it and list again.";
        case "MarketNotLister":
          return "Only the lister can do this.";
        case "MarketNotListed":
          return "The receivable is not listed for factoring.";
        case "MarketListingOpen":
          return "The listing is still open; only the lister can withdraw it before its deadline.";
        case "MarketInvalidListing":
          return `The listing is not valid: ${String(a[1])}.`;
        case "MarketOfferMismatch":
          return "The offer is for another receivable.";
        case "LoanNone":
          return "There is no open loan on this receivable.";
        case "LoanInvalidOffer":
          return `The loan offer is not valid: ${String(a[1])}.`;
        case "LoanOfferExpired":
          return "The loan offer has expired; ask the lender for a new one.";
        case "LoanOfferUsed":
          return "This loan offer has already been used or was withdrawn by the lender.";
        case "LoanNotLender":
          return "Only the lender can do this.";
        case "LoanInvalidSignature":
          return "The loan offer's signature does not match the lender: it was altered or is for another receivable.";
        case "LoanNotDefaulted":
          return "The lender can take the receivable only after it defaults.";
        case "InsuranceNotInsurer":
          return `${a[0] as string} is not an active insurer.`;
        case "InsuranceAlreadyCovered":
          return "This receivable already has a policy (offered or active).";
        case "InsuranceInvalidPolicy":
          return `The policy is not valid: ${String(a[1]) === "status" ? "only confirmed receivables can be insured" : String(a[1])}.`;
        case "InsuranceNoPolicy":
          return "There is no open policy on this receivable.";
        case "InsuranceNotHolder":
          return "Only the receivable's holder can do this.";
        case "InsuranceNotClaimable":
          return "The policy pays only when the receivable has defaulted while covered.";
        case "InsuranceNotReleasable":
          return "The escrow can be released only after a claim, the policy's expiry, or the receivable's payment.";
        case "RegistryUnauthorizedOperator":
          return "Only the consortium operator can admit, suspend or reinstate members.";
        case "RegistryInvalidMember":
          return `${a[0] as string} is not a valid member address.`;
        case "RegistryInvalidRoles":
          return "Choose at least one role.";
        case "RegistryInvalidExpiry":
          return "The admission must expire in the future.";
        case "RegistryUnknownMember":
          return `${a[0] as string} is not a member.`;
        case "LedgerNotYetSupported":
          return "The deployed ledger does not support this action yet.";
        case "ERC20InsufficientBalance":
          return `Not enough settlement tokens: the balance is ${money(a[1] as bigint)}, ${money(a[2] as bigint)} is needed.`;
        case "ERC20InsufficientAllowance":
          return `The ledger's allowance ${money(a[1] as bigint)} is below the ${money(a[2] as bigint)} needed.`;
        default:
          if (name) return `The contract rejected the transaction: ${name}(${a.map(String).join(", ")}).`;
          if (reverted.reason) return `The contract rejected the transaction: ${reverted.reason}`;
      }
    }
    return error.shortMessage || error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
