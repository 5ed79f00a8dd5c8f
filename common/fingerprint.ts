// The invoice fingerprint: the receivable's identity on the ledger (its id is uint256(fingerprint)).
// A salted hash over the normalised seller tax id, buyer tax id, invoice number, currency, amount and issue
// date, so the same real invoice yields the same fingerprint whoever registers it, and outsiders without the
// consortium salt cannot guess fingerprints. Isomorphic: used by the server, the client and the scripts.
import { encodeAbiParameters, keccak256, toHex, type Hex } from "viem";
import { PART_ID_TAG_HEX } from "./ids.ts";

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

/**
 * Dash look-alikes mapped to "-" (after NFKC): hyphen U+2010, non-breaking hyphen U+2011, figure dash U+2012,
 * en dash U+2013, em dash U+2014, horizontal bar U+2015, minus sign U+2212, small em dash U+FE58, small hyphen-minus
 * U+FE63, fullwidth hyphen-minus U+FF0D.
 */
export const DASH_LOOKALIKES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
/**
 * Invisible characters removed: zero-width space/non-joiner/joiner U+200B–U+200D, LRM/RLM U+200E–U+200F, bidi
 * embeddings and overrides U+202A–U+202E, word joiner and invisible operators U+2060–U+2064, bidi isolates
 * U+2066–U+2069, BOM / zero-width no-break space U+FEFF, soft hyphen U+00AD, combining grapheme joiner U+034F,
 * Arabic letter mark U+061C, Mongolian vowel separator U+180E.
 */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: a class of single invisible code points (U+034F is a combining mark on purpose: it is one of them)
export const INVISIBLES = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD\u034F\u061C\u180E]/g;
/** Space look-alikes (every Unicode space separator, tab, line breaks) mapped to " " (NFKC already maps most). */
export const SPACE_LOOKALIKES = /[\s\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/g;

/**
 * The canonical text of an identifier before comparison or validation: NFKC, dash look-alikes → "-", space
 * look-alikes → " ", invisible characters removed, upper-cased. Used by the fingerprint and by the server's
 * identifier validation, so that what is validated is what is hashed.
 */
export function canonicalIdentifierText(value: string): string {
  return value.normalize("NFKC").replace(INVISIBLES, "").replace(DASH_LOOKALIKES, "-").replace(SPACE_LOOKALIKES, " ").toUpperCase();
}

/**
 * The fingerprint's form of an identifier: its canonical text (above) with spaces and the usual separators
 * (- . / _) removed, so "de 123-456.78", "DE\u2010123\u2010456.78" and "DE12345678" are one identifier.
 */
export function normaliseIdentifier(value: string): string {
  return canonicalIdentifierText(value).replace(/[ \-./_]/g, "");
}

export class FingerprintInputError extends Error {
  override name = "FingerprintInputError";
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
      [{ type: "bytes32" }, { type: "string" }, { type: "string" }, { type: "string" }, { type: "string" }, { type: "uint256" }, { type: "string" }],
      [consortiumSalt, seller, buyer, number, currency, invoice.amount, invoice.issueDate],
    ),
  );
  return hash.startsWith("0x" + PART_ID_TAG_HEX) ? (("0x00" + hash.slice(4)) as Hex) : hash;
}

/** keccak256 of a document's bytes: the document hash recorded on chain. */
export function documentHash(bytes: Uint8Array): Hex {
  return keccak256(bytes);
}

/** The consortium salt of the embedded demo network. Production networks configure their own (CONSORTIUM_SALT). */
export const DEMO_CONSORTIUM_SALT: Hex = keccak256(toHex("receivables-ledger demo consortium"));
