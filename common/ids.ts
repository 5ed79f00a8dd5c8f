// Receivable ids. A receivable's id is uint256(fingerprint) (common/fingerprint.ts); a split part's id lives in
// its own id space, tagged "part" in its top 32 bits (IReceivableLedger.partIdOf), which registration refuses.
// The API and the client show ids as 0x-prefixed 32-byte lower-case hex.
import { encodeAbiParameters, keccak256, toHex, type Hex } from "viem";

/** A receivable id as the API carries it: 0x and 64 hex digits. */
export const RECEIVABLE_ID_PATTERN = /^0x[0-9a-fA-F]{64}$/;

/**
 * The 32-bit tag of split parts' ids (ASCII "part"): a part's id is `PART_ID_TAG << 224 | keccak(parent, i) >> 32`
 * (IReceivableLedger.partIdOf), and the ledger refuses to register a fingerprint starting with it.
 */
export const PART_ID_TAG_HEX = "70617274";
const PART_ID_TAG = BigInt("0x" + PART_ID_TAG_HEX);

/** A receivable id as the API and client show it: the fingerprint as 0x-prefixed 32-byte hex. */
export function receivableIdHex(id: bigint): Hex {
  return toHex(id, { size: 32 });
}

/** Any id form (bigint, decimal or hex string) → the API's lower-case 0x + 64 hex digits. */
export function normaliseReceivableId(value: unknown): Hex {
  if (typeof value === "bigint") return receivableIdHex(value);
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return receivableIdHex(BigInt(value));
  if (typeof value === "string" && /^(0x[0-9a-fA-F]{1,64}|\d+)$/.test(value)) return receivableIdHex(BigInt(value));
  throw new Error(`not a receivable id: ${String(value)}`);
}

/** True for the API's id form. */
export function isReceivableId(value: string): value is Hex {
  return RECEIVABLE_ID_PATTERN.test(value);
}

/** The id the ledger gives part `index` of a split of `parentId` (IReceivableLedger.partIdOf). */
export function splitPartId(parentId: bigint, index: number | bigint): bigint {
  const h = BigInt(keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [parentId, BigInt(index)])));
  return (PART_ID_TAG << 224n) | (h >> 32n);
}

/** True for an id in the split parts' id space (which registration refuses). */
export function isSplitPartId(id: bigint): boolean {
  return id >> 224n === PART_ID_TAG;
}
