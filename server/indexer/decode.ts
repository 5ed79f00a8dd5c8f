// Decodes raw logs of the consortium contracts with the ABIs from deployments/contracts.ts, and the events of
// earlier contract versions whose signature changed since (logs from before a live upgrade), in today's shape.
import { decodeEventLog, parseAbiItem, toEventSelector, type AbiEvent } from "viem";
import { memberRegistryAbi, receivableLedgerAbi, factoringMarketAbi, pledgeLoansAbi, creditInsuranceAbi } from "../../deployments/contracts.ts";
import type { ChainEvent } from "./types.ts";
import type { RawLog } from "../chain/client.ts";

const EVENTS = new Map<string, AbiEvent>();
for (const item of [...memberRegistryAbi, ...receivableLedgerAbi, ...factoringMarketAbi, ...pledgeLoansAbi, ...creditInsuranceAbi] as readonly any[]) {
  if (item.type === "event") EVENTS.set(toEventSelector(item as AbiEvent), item as AbiEvent);
}

/** What a legacy event lacks, filled in when it is decoded. */
export interface LegacyDefaults {
  /** The ledger's settlement currency as bytes3 (e.g. 0x555344 for USD). */
  currency: `0x${string}`;
}

/** The stand-in token's currency (USD), for a decoder not told the ledger's. */
export const DEFAULT_LEGACY_DEFAULTS: LegacyDefaults = { currency: "0x555344" };

/**
 * Events whose signature changed in a contract upgrade (git log -p contracts/interfaces): the old signature, and how
 * its arguments become the current event's. Only ReceivableRegistered changed so far (issue 9 added the invoice's
 * currency; the ledger before it registered in its settlement currency only, which the event therefore gets).
 */
const LEGACY_EVENTS: { abi: AbiEvent; upgrade: (args: Record<string, unknown>, d: LegacyDefaults) => Record<string, unknown> }[] = [
  {
    abi: parseAbiItem(
      "event ReceivableRegistered(uint256 indexed id, address indexed seller, address indexed buyer, uint96 amount, uint32 issueDate, uint32 dueDate, (uint16 discountBps, uint16 discountDays, uint16 lateInterestBps, uint16 graceDays) terms, bytes32 documentHash)",
    ) as AbiEvent,
    upgrade: ({ id, seller, buyer, amount, issueDate, dueDate, terms, documentHash }, d) => ({
      id,
      seller,
      buyer,
      amount,
      currency: d.currency,
      issueDate,
      dueDate,
      terms,
      documentHash,
    }),
  },
];
const LEGACY = new Map<string, (typeof LEGACY_EVENTS)[number]["upgrade"]>();
for (const legacy of LEGACY_EVENTS) {
  const selector = toEventSelector(legacy.abi);
  if (EVENTS.has(selector)) throw new Error(`legacy ${legacy.abi.name} has the current signature`);
  EVENTS.set(selector, legacy.abi);
  LEGACY.set(selector, legacy.upgrade);
}

/** Names of every event the indexer understands (MemberRegistry, ReceivableLedger and the financing modules). */
export const INDEXED_EVENT_NAMES = [...new Set([...EVENTS.values()].map((e) => e.name))];

function lowerAddresses(v: unknown): unknown {
  if (typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v)) return v.toLowerCase();
  if (Array.isArray(v)) return v.map(lowerAddresses);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lowerAddresses(x)]));
  return v;
}

// ── Fast path: events whose non-indexed parameters are all static are decoded by slicing 32-byte words
// (about ten times faster than the generic decoder, which stays in charge of dynamic types such as arrays).
type WordDecoder = (word: string) => unknown;
interface StaticParam {
  name: string;
  indexed: boolean;
  words: number;
  decode: (words: string[]) => unknown;
}

function staticDecoder(type: string, components?: readonly any[]): { words: number; decode: (w: string[]) => unknown } | null {
  const one = (f: WordDecoder) => ({ words: 1, decode: (w: string[]) => f(w[0]!) });
  if (type === "address") return one((w) => "0x" + w.slice(24).toLowerCase());
  if (type === "bool") return one((w) => !/^0*$/.test(w));
  if (type === "bytes32") return one((w) => "0x" + w);
  const b = /^bytes(\d+)$/.exec(type);
  if (b) return one((w) => "0x" + w.slice(0, Number(b[1]) * 2)); // bytesN is left-aligned in its word
  const m = /^uint(\d+)$/.exec(type);
  if (m) return Number(m[1]) <= 48 ? one((w) => parseInt(w.slice(-12), 16)) : one((w) => BigInt("0x" + w));
  if (type === "tuple" && components) {
    const parts = components.map((c) => ({ name: c.name as string, d: staticDecoder(c.type, c.components) }));
    if (parts.some((p) => !p.d)) return null;
    return {
      words: parts.reduce((n, p) => n + p.d!.words, 0),
      decode: (w) => {
        const out: Record<string, unknown> = {};
        let i = 0;
        for (const p of parts) {
          out[p.name] = p.d!.decode(w.slice(i, i + p.d!.words));
          i += p.d!.words;
        }
        return out;
      },
    };
  }
  return null;
}

const FAST = new Map<string, { name: string; params: StaticParam[] }>();
for (const [selector, ev] of EVENTS) {
  const params: StaticParam[] = [];
  let ok = true;
  for (const input of ev.inputs as readonly any[]) {
    const d = staticDecoder(input.type, input.components);
    if (!d || (input.indexed && d.words !== 1)) ok = false;
    else params.push({ name: input.name, indexed: !!input.indexed, ...d });
  }
  if (ok) FAST.set(selector, { name: ev.name, params });
}

function fastDecode(log: RawLog): { eventName: string; args: Record<string, unknown> } | null {
  const f = FAST.get(log.topics[0]!);
  if (!f) return null;
  const data = log.data.slice(2);
  const args: Record<string, unknown> = {};
  let topic = 1;
  let word = 0;
  for (const p of f.params) {
    if (p.indexed) {
      const t = log.topics[topic++];
      if (!t) return null;
      args[p.name] = p.decode([t.slice(2)]);
    } else {
      const words: string[] = [];
      for (let i = 0; i < p.words; i++) words.push(data.slice((word + i) * 64, (word + i + 1) * 64));
      if (words.some((w) => w.length !== 64)) return null;
      word += p.words;
      args[p.name] = p.decode(words);
    }
  }
  return { eventName: f.name, args };
}

/**
 * Returns null for logs of events the ABIs do not know (e.g. from a newer contract version). Events of an earlier
 * version are returned in the current shape, with `defaults` for what they lack.
 */
export function decodeLog(log: RawLog, chainId: number, defaults: LegacyDefaults = DEFAULT_LEGACY_DEFAULTS): ChainEvent | null {
  const abiEvent = log.topics[0] ? EVENTS.get(log.topics[0]) : undefined;
  if (!abiEvent) return null;
  // The fast path lower-cases addresses itself (it makes no other 40-hex-digit strings); the generic decoder's
  // checksummed addresses are lower-cased after.
  const fast = fastDecode(log);
  const decoded = fast ?? decodeEventLog({ abi: [abiEvent], topics: log.topics as any, data: log.data as `0x${string}`, strict: true });
  let args = (fast ? fast.args : lowerAddresses(decoded.args)) as Record<string, unknown>;
  const upgrade = LEGACY.get(log.topics[0]!);
  if (upgrade) args = upgrade(args, defaults);
  return {
    chainId,
    blockNumber: Number(log.blockNumber),
    transactionIndex: Number(log.transactionIndex),
    logIndex: Number(log.logIndex),
    blockHash: log.blockHash.toLowerCase(),
    transactionHash: log.transactionHash.toLowerCase(),
    contract: log.address.toLowerCase(),
    name: decoded.eventName as string,
    args,
  };
}
