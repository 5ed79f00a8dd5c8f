// Decodes raw logs of the consortium contracts with the ABIs from deployments/contracts.ts.
import { decodeEventLog, toEventSelector, type AbiEvent } from "viem";
import { memberRegistryAbi, receivableLedgerAbi } from "../../deployments/contracts.ts";
import type { ChainEvent } from "../receivables/projection.ts";
import type { RawLog } from "./rpc.ts";

const EVENTS = new Map<string, AbiEvent>();
for (const item of [...memberRegistryAbi, ...receivableLedgerAbi] as readonly any[]) {
  if (item.type === "event") EVENTS.set(toEventSelector(item as AbiEvent), item as AbiEvent);
}

/** Names of every event the indexer understands (all events of MemberRegistry and ReceivableLedger). */
export const INDEXED_EVENT_NAMES = [...EVENTS.values()].map((e) => e.name);

function lowerAddresses(v: unknown): unknown {
  if (typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v)) return v.toLowerCase();
  if (Array.isArray(v)) return v.map(lowerAddresses);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lowerAddresses(x)]));
  return v;
}

/** Returns null for logs of events the ABIs do not know (e.g. from a newer contract version). */
export function decodeLog(log: RawLog, chainId: number): ChainEvent | null {
  const abiEvent = log.topics[0] ? EVENTS.get(log.topics[0]) : undefined;
  if (!abiEvent) return null;
  const decoded = decodeEventLog({ abi: [abiEvent], topics: log.topics as any, data: log.data as `0x${string}`, strict: true });
  return {
    chainId,
    blockNumber: Number(log.blockNumber),
    transactionIndex: Number(log.transactionIndex),
    logIndex: Number(log.logIndex),
    blockHash: log.blockHash.toLowerCase(),
    transactionHash: log.transactionHash.toLowerCase(),
    contract: log.address.toLowerCase(),
    name: decoded.eventName as string,
    args: lowerAddresses(decoded.args) as Record<string, unknown>,
  };
}
