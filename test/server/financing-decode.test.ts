// The indexer's fast log decoder agrees with viem's generic decoder on every event of the financing modules.
import { expect } from "chai";
import { encodeEventTopics, encodeAbiParameters, decodeEventLog, keccak256, toHex, type AbiEvent } from "viem";
import { factoringMarketAbi, pledgeLoansAbi, creditInsuranceAbi } from "../../deployments/contracts.ts";
import { decodeLog } from "../../server/indexer/decode.ts";
import { FINANCING_RECEIVABLE_EVENTS, NONCE_CANCEL_EVENTS } from "../../server/financing/projection.ts";

function sample(type: string, seed: number): unknown {
  if (type === "address") return ("0x" + keccak256(toHex(`a${seed}`)).slice(26)) as `0x${string}`;
  if (type === "bool") return seed % 2 === 0;
  const m = /^uint(\d+)$/.exec(type);
  if (m) return Number(m[1]) <= 48 ? (seed * 7919) % 2 ** Number(m[1]) : BigInt(keccak256(toHex(`u${seed}`))) % 2n ** BigInt(m[1]!);
  throw new Error(type);
}

const lower = (v: any): any =>
  typeof v === "string"
    ? v.toLowerCase()
    : Array.isArray(v)
      ? v.map(lower)
      : v && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lower(x)]))
        : v;

describe("financing log decoding", () => {
  const events = ([...factoringMarketAbi, ...pledgeLoansAbi, ...creditInsuranceAbi] as readonly any[]).filter(
    (x) => x.type === "event" && x.name !== "EIP712DomainChanged",
  ) as AbiEvent[];

  it("projects every event the financing modules emit (or knowingly ignores it)", () => {
    const handled = new Set<string>([...FINANCING_RECEIVABLE_EVENTS, ...NONCE_CANCEL_EVENTS]);
    expect(events.map((e) => e.name).filter((n) => !handled.has(n))).to.deep.equal([]);
  });

  for (const ev of events) {
    it(`decodes ${ev.name} like viem`, () => {
      const args: Record<string, unknown> = {};
      ev.inputs.forEach((inp: any, i) => (args[inp.name] = sample(inp.type, i + 3)));
      const topics = encodeEventTopics({ abi: [ev], eventName: ev.name, args: args as any });
      const nonIndexed = ev.inputs.filter((i: any) => !i.indexed);
      const data = encodeAbiParameters(nonIndexed as any, nonIndexed.map((i: any) => args[i.name]) as any);
      const log = {
        address: "0x" + "1".repeat(40),
        topics: topics as string[],
        data,
        blockNumber: "0x1",
        blockHash: "0x" + "2".repeat(64),
        transactionHash: "0x" + "3".repeat(64),
        transactionIndex: "0x0",
        logIndex: "0x0",
      };
      const ours = decodeLog(log, 31337)!;
      const viem = decodeEventLog({ abi: [ev], topics: topics as any, data });
      expect(ours.name).to.equal(ev.name);
      expect(ours.args).to.deep.equal(lower(viem.args ?? {}));
    });
  }
});
