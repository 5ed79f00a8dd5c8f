// The indexer's handler registry (Ponder's `ponder.on` is the model): each domain registers the events it
// projects and how it applies and rolls them back. The store inserts the events, keeps recent blocks and the
// checkpoint, and calls the handlers inside the batch's transaction; it knows no domain.
import type { Database, Tx } from "../database/client.ts";
import { isDatabaseError } from "../database/bulk-insert.ts";
import { ProjectionError, ServerError } from "../errors.ts";
import type { ChainEvent, Checkpoint } from "./types.ts";

/** What a handler changed, for the live stream (receivable ids, member addresses). */
export interface ProjectionChanges {
  receivables?: Iterable<string>;
  members?: Iterable<string>;
}

/** How a stored event is filed (LedgerEvent.receivableId / .member), for history reads and rollbacks. */
export interface EventKeys {
  receivableId?: string | null;
  member?: string | null;
}

export interface ApplyContext {
  db: Database;
  /** The checkpoint this batch moves to. */
  checkpoint: Checkpoint;
}

export interface RollbackContext {
  db: Database;
  chainId: number;
}

export interface ProjectionHandler {
  /** Names the handler in errors and logs. */
  name: string;
  /** Event names it projects; `apply` gets exactly these, in chain order. */
  events: readonly string[];
  /** How its events are filed in LedgerEvent. */
  keys?(event: ChainEvent): EventKeys;
  /**
   * Projects a batch's events (already stored as LedgerEvent rows in `tx`). Must be deterministic; a thrown error
   * that is not the database's stops the indexer (ProjectionError).
   */
  apply(tx: Tx, events: ChainEvent[], ctx: ApplyContext): Promise<ProjectionChanges | void>;
  /**
   * Undoes everything above `toBlock` (a reorg's common ancestor). Runs before the store deletes the events above
   * `toBlock`, so those are still there to say what they touched.
   */
  rollback(tx: Tx, toBlock: number, ctx: RollbackContext): Promise<ProjectionChanges | void>;
  /** Tables whose secondary indexes a cold backfill may drop and build again once caught up. */
  deferrableTables?: readonly string[];
}

/** Declares a projection (typed identity, the registration point of a domain). */
export function defineHandler(handler: ProjectionHandler): ProjectionHandler {
  return handler;
}

export interface AppliedChanges {
  receivables: string[];
  members: string[];
}

export function createHandlerRegistry(handlers: readonly ProjectionHandler[]) {
  const names = new Set<string>();
  for (const h of handlers) {
    if (names.has(h.name)) throw new Error(`two projection handlers named "${h.name}"`);
    names.add(h.name);
  }
  const sets = handlers.map((h) => new Set(h.events));
  /** Per event name: the handlers' key functions (precomputed; the event insert asks for every event). */
  const keyFns = new Map<string, ((e: ChainEvent) => EventKeys)[]>();
  handlers.forEach((h) => {
    if (!h.keys) return;
    for (const name of h.events) keyFns.set(name, [...(keyFns.get(name) ?? []), h.keys.bind(h)]);
  });

  /** A handler's failure as the indexer should see it: the database's errors stay retryable, the rest stop it. */
  const asProjectionError = (err: unknown, handler: string, what: string): unknown => {
    if (err instanceof ServerError && err.retryable) return err;
    if (isDatabaseError(err)) return err;
    return new ProjectionError(`projection "${handler}" failed ${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  };

  const collect = (out: { receivables: Set<string>; members: Set<string> }, c: ProjectionChanges | void) => {
    if (!c) return;
    for (const id of c.receivables ?? []) out.receivables.add(id);
    for (const m of c.members ?? []) out.members.add(m);
  };

  return {
    handlers,
    /** Every event name some handler projects. */
    eventNames: (): Set<string> => new Set(handlers.flatMap((h) => h.events)),
    deferrableTables: (): string[] => [...new Set(handlers.flatMap((h) => h.deferrableTables ?? []))],

    /** The LedgerEvent keys of an event (null when no handler files it). */
    keys(e: ChainEvent): { receivableId: string | null; member: string | null } {
      const fns = keyFns.get(e.name);
      let receivableId: string | null = null;
      let member: string | null = null;
      if (fns) {
        for (const f of fns) {
          const k = f(e);
          receivableId ??= k.receivableId ?? null;
          member ??= k.member ?? null;
        }
      }
      return { receivableId, member };
    },

    /** Calls each handler with its events of the batch, in registration order, inside `tx`. */
    async apply(tx: Tx, events: ChainEvent[], ctx: ApplyContext): Promise<AppliedChanges> {
      const out = { receivables: new Set<string>(), members: new Set<string>() };
      const range = events.length ? `on blocks ${events[0]!.blockNumber}–${events[events.length - 1]!.blockNumber}` : "";
      for (let i = 0; i < handlers.length; i++) {
        const h = handlers[i]!;
        const mine = events.filter((e) => sets[i]!.has(e.name));
        if (mine.length === 0) continue;
        try {
          collect(out, await h.apply(tx, mine, ctx));
        } catch (err) {
          throw asProjectionError(err, h.name, range);
        }
      }
      return { receivables: [...out.receivables], members: [...out.members] };
    },

    /** Calls each handler's rollback to `toBlock`, in registration order, inside `tx`. */
    async rollback(tx: Tx, toBlock: number, ctx: RollbackContext): Promise<AppliedChanges> {
      const out = { receivables: new Set<string>(), members: new Set<string>() };
      for (const h of handlers) {
        try {
          collect(out, await h.rollback(tx, toBlock, ctx));
        } catch (err) {
          throw asProjectionError(err, h.name, `rolling back to block ${toBlock}`);
        }
      }
      return { receivables: [...out.receivables], members: [...out.members] };
    },
  };
}

export type HandlerRegistry = ReturnType<typeof createHandlerRegistry>;
