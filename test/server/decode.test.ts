// The indexer's fast log decoder agrees with viem's generic decoder on every event of the ledger's ABIs.
import { expect } from "chai";
import { encodeEventTopics, encodeAbiParameters, keccak256, toHex, type AbiEvent } from "viem";
import { memberRegistryAbi, receivableLedgerAbi } from "../../deployments/contracts.ts";
import { decodeLog } from "../../server/indexer/decode.ts";
import { decodeEventLog } from "viem";
import { readFileSync } from "node:fs";
import { join } from "node:path";

function sample(type: string, components: readonly any[] | undefined, seed: number): unknown {
  if (type === "address") return ("0x" + keccak256(toHex(`a${seed}`)).slice(26)) as `0x${string}`;
  if (type === "bool") return seed % 2 === 0;
  if (type === "bytes32") return keccak256(toHex(`b${seed}`));
  const b = /^bytes(\d+)$/.exec(type);
  if (b) return keccak256(toHex(`b${seed}`)).slice(0, 2 + 2 * Number(b[1]));
  const m = /^uint(\d+)$/.exec(type);
  if (m) return Number(m[1]) <= 48 ? (seed * 7919) % 2 ** Number(m[1]) : BigInt(keccak256(toHex(`u${seed}`))) % 2n ** BigInt(m[1]!);
  if (type.endsWith("[]")) return [0, 1, 2].map((i) => sample(type.slice(0, -2), components, seed * 10 + i));
  if (type === "tuple") return Object.fromEntries(components!.map((c, i) => [c.name, sample(c.type, c.components, seed + i)]));
  throw new Error(type);
}

describe("log decoding", () => {
  const events = ([...memberRegistryAbi, ...receivableLedgerAbi] as readonly any[]).filter((x) => x.type === "event") as AbiEvent[];
  for (const ev of events) {
    it(`decodes ${ev.name} like viem`, () => {
      const args: Record<string, unknown> = {};
      ev.inputs.forEach((inp: any, i) => (args[inp.name] = sample(inp.type, inp.components, i + 3)));
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
      const lower = (v: any): any =>
        typeof v === "string"
          ? v.toLowerCase()
          : Array.isArray(v)
            ? v.map(lower)
            : v && typeof v === "object"
              ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lower(x)]))
              : v;
      expect(ours.name).to.equal(ev.name);
      expect(ours.args).to.deep.equal(lower(viem.args ?? {}));
    });
  }

  describe("events of the ledger before issue 9 (test/contracts/fixtures/ReceivableLedger.v1.json)", () => {
    const v1 = JSON.parse(readFileSync(join(import.meta.dirname, "..", "contracts", "fixtures", "ReceivableLedger.v1.json"), "utf8")).abi as any[];
    const changed = v1
      .filter((x) => x.type === "event")
      .filter((ev: AbiEvent) => {
        const now = (receivableLedgerAbi as readonly any[]).find((x) => x.type === "event" && x.name === ev.name);
        return (
          !now ||
          JSON.stringify(now.inputs.map((i: any) => [i.type, i.components])) !== JSON.stringify(ev.inputs.map((i: any) => [i.type, (i as any).components]))
        );
      }) as AbiEvent[];

    it("only ReceivableRegistered changed signature", () => {
      expect(changed.map((e) => e.name)).to.deep.equal(["ReceivableRegistered"]);
    });

    for (const ev of changed) {
      it(`decodes the old ${ev.name} in today's shape, with the settlement currency it was registered in`, () => {
        const args: Record<string, unknown> = {};
        ev.inputs.forEach((inp: any, i) => (args[inp.name] = sample(inp.type, inp.components, i + 3)));
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
        const viem = decodeEventLog({ abi: [ev], topics: topics as any, data }).args as Record<string, unknown>;
        const lower = (v: any): any =>
          typeof v === "string" ? v.toLowerCase() : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lower(x)])) : v;
        const eur = decodeLog(log, 31337, { currency: "0x455552" })!;
        expect(eur.name).to.equal(ev.name);
        const current = (receivableLedgerAbi as readonly any[]).find((x) => x.type === "event" && x.name === ev.name);
        expect(Object.keys(eur.args)).to.deep.equal(current.inputs.map((i: any) => i.name));
        expect(eur.args).to.deep.equal({ ...lower(viem), currency: "0x455552" });
        expect(decodeLog(log, 31337)!.args["currency"], "default: USD").to.equal("0x555344");
      });
    }
  });
});
