// The EIP-712 typed data the contracts verify, in one place for the server, the client, the scripts and the
// tests (a field that differs between two copies would silently produce signatures the contract rejects).
// Must match the type hashes in contracts/ReceivableLedger.sol (CONFIRMATION_TYPEHASH),
// contracts/financing/FactoringMarket.sol (OFFER_TYPEHASH) and contracts/financing/PledgeLoans.sol
// (LOAN_OFFER_TYPEHASH); the contract, server and browser tests sign with these and fail on any mismatch.

/** The buyer's confirmation of a receivable (ledger domain "ReceivableLedger"). */
export const CONFIRMATION_TYPES = {
  Confirmation: [
    { name: "id", type: "uint256" },
    { name: "seller", type: "address" },
    { name: "buyer", type: "address" },
    { name: "amount", type: "uint96" },
    { name: "dueDate", type: "uint32" },
    { name: "documentHash", type: "bytes32" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** A financier's offer to buy a listed receivable (domain "FactoringMarket"). */
export const OFFER_TYPES = {
  Offer: [
    { name: "id", type: "uint256" },
    // The receivable's listing sequence number (0 for its first listing; FactoringMarket's Listed event and
    // deal(id).listings - 1): an offer is valid only on the listing it was made on.
    { name: "listing", type: "uint32" },
    { name: "financier", type: "address" },
    { name: "price", type: "uint96" },
    { name: "nonce", type: "uint256" },
    { name: "expiry", type: "uint256" },
  ],
} as const;

/** A lender's offer of a loan against a receivable (domain "PledgeLoans"). */
export const LOAN_OFFER_TYPES = {
  LoanOffer: [
    { name: "id", type: "uint256" },
    { name: "lender", type: "address" },
    { name: "advanceBps", type: "uint16" },
    { name: "rateBps", type: "uint16" },
    { name: "nonce", type: "uint256" },
    { name: "expiry", type: "uint256" },
  ],
} as const;

/** The signing domain of one of the consortium's contracts (every one uses version "1"). */
export function eip712Domain(name: "ReceivableLedger" | "FactoringMarket" | "PledgeLoans", chainId: number | bigint, verifyingContract: `0x${string}`) {
  return { name, version: "1", chainId: Number(chainId), verifyingContract } as const;
}

/** A mutable copy of typed-data types, for libraries (ethers) that do not accept readonly arrays. */
export function mutableTypes<T extends Record<string, readonly { name: string; type: string }[]>>(types: T) {
  return Object.fromEntries(Object.entries(types).map(([k, fields]) => [k, fields.map((f) => ({ ...f }))])) as {
    [K in keyof T]: { name: string; type: string }[];
  };
}
