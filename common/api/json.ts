// Building blocks of the API's JSON, shared by the response schemas: typed hex strings (so the inferred client
// types carry viem's `0x${string}`), amounts as decimal strings, the block stamp every read carries.
import { z } from "zod";

/** 0x-prefixed hex (ids, hashes, signatures). */
export const HexJson = z.templateLiteral(["0x", z.string()]);
/** A 20-byte address, 0x-prefixed (the server sends them lower-case). */
export const AddressJson = z.templateLiteral(["0x", z.string()]);
/** An amount in the settlement token's base units as a decimal string (JSON has no bigint). */
export const AmountJson = z.string().describe("base units, decimal string");

/** The block a response is current to. */
export const BlockStamp = z.object({
  number: z.number().int(),
  hash: z.string(),
  final: z.boolean(),
});
export type BlockStampJson = z.infer<typeof BlockStamp>;
