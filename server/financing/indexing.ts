// What the financing domain projects from the chain (registered with the indexer): listings, sales, loans and
// policies per receivable (re-folded from the stored events), and cancelled offer nonces.
import { defineHandler } from "../indexer/handlers.ts";
import { receivableIdOf } from "../receivables/projection.ts";
import { projectFinancingBatch, rollbackFinancing } from "./store.ts";
import { FINANCING_RECEIVABLE_EVENTS, NONCE_CANCEL_EVENTS, FINANCING_EVENT_NAMES } from "./projection.ts";

export const financingProjection = defineHandler({
  name: "financing",
  events: [...FINANCING_RECEIVABLE_EVENTS, ...NONCE_CANCEL_EVENTS],
  keys: (e) => ({ receivableId: FINANCING_EVENT_NAMES.has(e.name) ? receivableIdOf(e) : null }),
  async apply(tx, events) {
    return { receivables: await projectFinancingBatch(tx, events) };
  },
  async rollback(tx, toBlock, { chainId }) {
    await rollbackFinancing(tx, chainId, toBlock);
  },
});
