// What the financing and credit use cases read from the chain directly (not from the projection): the chain's
// clock (maturity, deadlines and lateness are judged by block time, which tests may move), block timestamps of
// payments, whether an offer nonce is used, and the EIP-712 signer of an offer.
import { encodeFunctionData, decodeFunctionResult, recoverTypedDataAddress } from "viem";
import { factoringMarketAbi, pledgeLoansAbi } from "../../deployments/contracts.ts";
import { RpcError } from "../errors.ts";
import { OFFER_TYPES, LOAN_OFFER_TYPES } from "../../common/eip712.ts";

export const CLOCK_CACHE_MS = 1_000;

// The EIP-712 types the contracts verify live in common/eip712.ts (shared with the client and the tests).
export { OFFER_TYPES, LOAN_OFFER_TYPES };

export interface FinancingContracts {
  FactoringMarket?: string | undefined;
  PledgeLoans?: string | undefined;
  CreditInsurance?: string | undefined;
}

export type SignedOffer =
  | { kind: "factoring"; id: bigint; listing: number; bidder: string; price: bigint; nonce: bigint; expiry: bigint; signature: `0x${string}` }
  | { kind: "loan"; id: bigint; bidder: string; advanceBps: number; rateBps: number; nonce: bigint; expiry: bigint; signature: `0x${string}` };

export function createChainReader(opts: {
  rpcUrl: string;
  chainId: number;
  contracts: FinancingContracts;
  /** The block the database is current to: "now" is its timestamp, so answers agree with their block stamp. */
  indexedBlock?: () => Promise<number | null>;
}) {
  const { rpcUrl, chainId, contracts } = opts;
  let seq = 0;
  async function call<T>(method: string, params: unknown[]): Promise<T> {
    let res: Response;
    try {
      res = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: ++seq, method, params }) });
    } catch (err) {
      throw new RpcError(`JSON-RPC node unreachable: ${(err as Error).message}`, { cause: err });
    }
    const body = (await res.json()) as { result?: T; error?: { message: string; code: number } };
    if (body.error) throw new RpcError(`${method}: ${body.error.message}`, { code: body.error.code });
    return body.result as T;
  }

  const times = new Map<number, number>();
  let clock: { at: number; now: number } | null = null;

  /** Timestamp of block `n` (cached; a reorg may shift it by seconds, which lateness in days tolerates). */
  async function blockTime(n: number, fresh = false): Promise<number> {
    const cached = fresh ? undefined : times.get(n);
    if (cached !== undefined) return cached;
    const b = await call<{ timestamp: string } | null>("eth_getBlockByNumber", ["0x" + n.toString(16), false]);
    const t = b ? Number(b.timestamp) : Math.floor(Date.now() / 1000);
    if (b) times.set(n, t);
    return t;
  }

  return {
    /** Chain time (unix seconds): the indexed block's timestamp, else the latest block's. */
    async now(): Promise<number> {
      const indexed = opts.indexedBlock ? await opts.indexedBlock() : null;
      // Not from the cache: after a reorg the block at this height may be another one, with another time.
      if (indexed !== null && indexed >= 0) return await blockTime(indexed, true);
      if (clock && Date.now() - clock.at < CLOCK_CACHE_MS) return clock.now;
      const b = await call<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
      clock = { at: Date.now(), now: Number(b.timestamp) };
      return clock.now;
    },

    blockTime: (n: number) => blockTime(n),

    /** Whether the contract already consumed (used or cancelled) this nonce of `account`. */
    async isNonceUsed(kind: "factoring" | "loan", account: string, nonce: bigint): Promise<boolean> {
      const abi = kind === "factoring" ? factoringMarketAbi : pledgeLoansAbi;
      const to = kind === "factoring" ? contracts.FactoringMarket : contracts.PledgeLoans;
      if (!to) return false;
      const data = encodeFunctionData({ abi: abi as any, functionName: "isNonceUsed", args: [account as `0x${string}`, nonce] });
      const raw = await call<`0x${string}`>("eth_call", [{ to, data }, "latest"]);
      return decodeFunctionResult({ abi: abi as any, functionName: "isNonceUsed", data: raw }) as boolean;
    },

    /** The address that signed the offer (EIP-712, the contract's domain), lower-case. */
    async offerSigner(o: SignedOffer): Promise<string> {
      if (o.kind === "factoring") {
        return (
          await recoverTypedDataAddress({
            domain: { name: "FactoringMarket", version: "1", chainId, verifyingContract: contracts.FactoringMarket as `0x${string}` },
            types: OFFER_TYPES,
            primaryType: "Offer",
            message: { id: o.id, listing: o.listing, financier: o.bidder as `0x${string}`, price: o.price, nonce: o.nonce, expiry: o.expiry },
            signature: o.signature,
          })
        ).toLowerCase();
      }
      return (
        await recoverTypedDataAddress({
          domain: { name: "PledgeLoans", version: "1", chainId, verifyingContract: contracts.PledgeLoans as `0x${string}` },
          types: LOAN_OFFER_TYPES,
          primaryType: "LoanOffer",
          message: { id: o.id, lender: o.bidder as `0x${string}`, advanceBps: o.advanceBps, rateBps: o.rateBps, nonce: o.nonce, expiry: o.expiry },
          signature: o.signature,
        })
      ).toLowerCase();
    },
  };
}

export type ChainReader = ReturnType<typeof createChainReader>;
