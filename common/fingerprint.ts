// The invoice fingerprint: the receivable's identity on the ledger (its id is uint256(fingerprint)).
// A salted hash over the normalised seller tax id, buyer tax id, invoice number, currency, amount and issue
// date, so the same real invoice yields the same fingerprint whoever registers it, and outsiders without the
// consortium salt cannot guess fingerprints. Isomorphic: used by the server, the client and the scripts.
import { encodeAbiParameters, keccak256, toHex, type Hex } from "viem";
import { normaliseIdentifier } from "./identifiers.ts";

export interface InvoiceIdentity {
  sellerTaxId: string;
  buyerTaxId: string;
  invoiceNumber: string;
  /** ISO 4217 code, e.g. "USD". */
  currency: string;
  /** Face amount in the settlement token's base units. */
  amount: bigint;
  /** Issue date as YYYY-MM-DD (UTC). */
  issueDate: string;
}

/** The identifier normalisation the fingerprint uses (rule in common/identifiers.ts and the README). */
export { normaliseIdentifier };

export class FingerprintInputError extends Error {
  override name = "FingerprintInputError";
}

/**
 * The top 32 bits of every split part's id (ASCII "part", IReceivableLedger's PART_ID_TAG): the ledger refuses to
 * register an id that starts with it, so no one can take a future part's slot. A fingerprint therefore never
 * starts with it: the one hash in 2^32 that would has its first byte cleared (0x70617274… → 0x00617274…).
 */
export const PART_ID_TAG_HEX = "70617274";

/** The id the ledger gives part `index` of a split of `parentId` (IReceivableLedger.partIdOf). */
export function splitPartId(parentId: bigint, index: number | bigint): bigint {
  const h = BigInt(keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [parentId, BigInt(index)])));
  return (BigInt("0x" + PART_ID_TAG_HEX) << 224n) | (h >> 32n);
}

/** True for an id in the split parts' id space (which registration refuses). */
export function isSplitPartId(id: bigint): boolean {
  return id >> 224n === BigInt("0x" + PART_ID_TAG_HEX);
}

export function invoiceFingerprint(invoice: InvoiceIdentity, consortiumSalt: Hex): Hex {
  const seller = normaliseIdentifier(invoice.sellerTaxId);
  const buyer = normaliseIdentifier(invoice.buyerTaxId);
  const number = normaliseIdentifier(invoice.invoiceNumber);
  const currency = invoice.currency.trim().toUpperCase();
  if (!seller) throw new FingerprintInputError("sellerTaxId is empty");
  if (!buyer) throw new FingerprintInputError("buyerTaxId is empty");
  if (!number) throw new FingerprintInputError("invoiceNumber is empty");
  if (!/^[A-Z]{3}$/.test(currency)) throw new FingerprintInputError(`currency must be a 3-letter ISO code, got "${invoice.currency}"`);
  if (invoice.amount <= 0n) throw new FingerprintInputError("amount must be positive");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(invoice.issueDate) || Number.isNaN(Date.parse(invoice.issueDate + "T00:00:00Z"))) {
    throw new FingerprintInputError(`issueDate must be YYYY-MM-DD, got "${invoice.issueDate}"`);
  }
  const hash = keccak256(
    encodeAbiParameters(
      [
        { type: "bytes32" },
        { type: "string" },
        { type: "string" },
        { type: "string" },
        { type: "string" },
        { type: "uint256" },
        { type: "string" },
      ],
      [consortiumSalt, seller, buyer, number, currency, invoice.amount, invoice.issueDate],
    ),
  );
  return hash.startsWith("0x" + PART_ID_TAG_HEX) ? (("0x00" + hash.slice(4)) as Hex) : hash;
}

/** keccak256 of a document's bytes: the document hash recorded on chain. */
export function documentHash(bytes: Uint8Array): Hex {
  return keccak256(bytes);
}

/** A receivable id as the API and client show it: the fingerprint as 0x-prefixed 32-byte hex. */
export function receivableIdHex(id: bigint): Hex {
  return toHex(id, { size: 32 });
}

/** The consortium salt of the embedded demo network. Production networks configure their own (CONSORTIUM_SALT). */
export const DEMO_CONSORTIUM_SALT: Hex = keccak256(toHex("receivables-ledger demo consortium"));
