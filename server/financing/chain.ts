// What the financing and credit use cases read from the chain directly (not from the projection), through the
// server's one chain client: the chain's clock (maturity, deadlines and lateness are judged by block time, which
// tests may move), block timestamps of payments, whether an offer nonce is used, and the EIP-712 signer of an offer.
import { encodeFunctionData, decodeFunctionResult, recoverTypedDataAddress } from "viem";
import { factoringMarketAbi, pledgeLoansAbi } from "../../deployments/contracts.ts";
import { OFFER_TYPES, LOAN_OFFER_TYPES } from "../../common/eip712.ts";
import type { ChainClient, BlockRef } from "../chain/client.ts";

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
  /** The server's chain client (server/chain/client.ts). */
  chain: ChainClient;
  chainId: number;
  contracts: FinancingContracts;
  /** The block the database is current to: "now" is its timestamp, so answers agree with their block stamp. */
  indexedBlock?: () => Promise<BlockRef | null>;
}) {
  const { chain, chainId, contracts } = opts;

  return {
    /** Chain time (unix seconds): the indexed block's timestamp, else the latest block's (kept for a second). */
    async now(): Promise<number> {
      return await chain.now(opts.indexedBlock ? await opts.indexedBlock() : null);
    },

    /** Timestamp of block `n` (cached; a reorg may shift it by seconds, which lateness in days tolerates). */
    blockTime: (n: number) => chain.blockTime(n),

    /** Whether the contract already consumed (used or cancelled) this nonce of `account`. */
    async isNonceUsed(kind: "factoring" | "loan", account: string, nonce: bigint): Promise<boolean> {
      const abi = kind === "factoring" ? factoringMarketAbi : pledgeLoansAbi;
      const to = kind === "factoring" ? contracts.FactoringMarket : contracts.PledgeLoans;
      if (!to) return false;
      const data = encodeFunctionData({ abi: abi as any, functionName: "isNonceUsed", args: [account as `0x${string}`, nonce] });
      const raw = (await chain.ethCall(to, data)) as `0x${string}`;
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
