// The receivable projection never shows a state the chain does not have: a split's parts are projected from the
// event only into fresh slots (the ledger reverts a split onto an occupied one, so an occupied slot means the
// events and the database disagree, and the indexer stops instead of overwriting).
import { expect } from "chai";
import { applyLedgerEvent, ProjectionError, idHex, type ReceivableState } from "../../server/receivables/projection.ts";
import type { ChainEvent } from "../../server/indexer/types.ts";

const pos = (blockNumber: number) => ({
  chainId: 31337,
  blockNumber,
  transactionIndex: 0,
  logIndex: 0,
  blockHash: "0x" + "b".repeat(64),
  transactionHash: "0x" + "c".repeat(64),
});
const seller = "0x" + "1".repeat(40);
const buyer = "0x" + "3".repeat(40);
const terms = { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 };
const registered = (id: bigint, amount: bigint, block: number): ChainEvent => ({
  ...pos(block),
  contract: "0xledger",
  name: "ReceivableRegistered",
  args: { id, seller, buyer, amount, currency: "0x555344", issueDate: 1_700_000_000, dueDate: 1_800_000_000, terms, documentHash: "0x" + "d".repeat(64) },
});

describe("receivable projection", () => {
  const parent = 11n;
  const parts = [(0x70617274n << 224n) | 1n, (0x70617274n << 224n) | 2n];
  const split: ChainEvent = {
    ...pos(3),
    contract: "0xledger",
    name: "ReceivableSplit",
    args: { id: parent, partIds: parts, amounts: [40n, 60n], holders: [seller, buyer] },
  };

  function fold(events: ChainEvent[]): Map<string, ReceivableState> {
    const state = new Map<string, ReceivableState>();
    for (const e of events) for (const s of applyLedgerEvent((id) => state.get(id), e)) state.set(s.id, s);
    return state;
  }

  it("projects a split's parts as Confirmed, unpaid, with the parent's dates", () => {
    const state = fold([registered(parent, 100n, 1), { ...pos(2), contract: "0xledger", name: "ReceivableConfirmed", args: { id: parent, buyer } }, split]);
    const part = state.get(idHex(parts[0]))!;
    expect([part.status, part.faceAmount, part.paid, part.holder, part.parentId, part.dueDate]).to.deep.equal([
      2,
      40n,
      0n,
      seller,
      idHex(parent),
      1_800_000_000,
    ]); // 2 = Confirmed;
  });

  it("refuses to project a part over a receivable that already exists", () => {
    const squat = registered(parts[1]!, 1n, 2);
    expect(() => fold([registered(parent, 100n, 1), squat, split])).to.throw(ProjectionError, /creates part .* which already exists/);
  });
});
