// The chain as the indexer sees it: decoded events, block headers and the checkpoint. Domains project events;
// they import these types from here (the indexer knows no domain).

/** Where an event sits on the chain. */
export interface EventPosition {
  chainId: number;
  blockNumber: number;
  transactionIndex: number;
  logIndex: number;
  blockHash: string;
  transactionHash: string;
}

/** A decoded event of the consortium's contracts. Integers are bigint; addresses lower-case. */
export interface ChainEvent extends EventPosition {
  contract: string;
  name: string;
  args: Record<string, unknown>;
}

export interface BlockHeader {
  number: number;
  hash: string;
  parentHash: string;
}

/** The last block the database is current to (written with each batch, in its transaction). */
export interface Checkpoint {
  chainId: number;
  blockNumber: number;
  blockHash: string;
  headBlock: number;
}
