// Step 01: governance (a TimelockController), the membership registry and the ledger behind UUPS proxies, and
// the settlement token (local networks only). Records the proxy addresses: they never change across upgrades.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ContractFactory, Interface, ZeroAddress, getCreateAddress, type Signer } from "ethers";

const ROOT = join(import.meta.dirname, "..", "..");

/** Default delay before a scheduled governance action (upgrade, module approval) can execute. */
export const DEFAULT_TIMELOCK_DELAY_S = 2 * 24 * 3600;

export function artifact(name: string, dir = ""): { abi: any[]; bytecode: string } {
  return JSON.parse(readFileSync(join(ROOT, "artifacts", "contracts", dir, `${name}.sol`, `${name}.json`), "utf8"));
}

export async function deployContract(signer: Signer, name: string, args: unknown[], dir = ""): Promise<{ address: string; block: number }> {
  const { abi, bytecode } = artifact(name, dir);
  const contract = await new ContractFactory(abi, bytecode, signer).deploy(...args);
  const receipt = await contract.deploymentTransaction()!.wait();
  return { address: await contract.getAddress(), block: receipt!.blockNumber };
}

/** Deploys `name`'s implementation and an ERC-1967 proxy initialised with `init(...initArgs)`. */
export async function deployProxied(
  signer: Signer,
  name: string,
  constructorArgs: unknown[],
  initArgs: unknown[],
  built: { abi: any[]; bytecode: string } = artifact(name),
): Promise<{ address: string; implementation: string; block: number }> {
  const contract = await new ContractFactory(built.abi, built.bytecode, signer).deploy(...constructorArgs);
  const receipt = await contract.deploymentTransaction()!.wait();
  const implementation = { address: await contract.getAddress(), block: receipt!.blockNumber };
  const data = new Interface(built.abi).encodeFunctionData("initialize", initArgs);
  const proxy = await deployContract(signer, "LedgerProxy", [implementation.address, data]);
  return { address: proxy.address, implementation: implementation.address, block: implementation.block };
}

export interface CoreAddresses {
  MemberRegistry: string;
  SettlementToken: string;
  ReceivableLedger: string;
  Timelock: string;
  implementations: { MemberRegistry: string; ReceivableLedger: string };
  /** ISO 4217 code the ledger settles (and registers) in. */
  settlementCurrency: string;
  deploymentBlock: number;
}

export interface CoreOptions {
  /** Administers membership and attests bank payments. */
  operator: string;
  /** The consortium stablecoin on a production network; undefined deploys the local stand-in. */
  settlementToken?: string | undefined;
  /** Proposes governance actions on the timelock (default: the deployer). */
  governor?: string | undefined;
  timelockDelaySeconds?: number | undefined;
  /** ISO 4217 code of the settlement token's currency, the only one the ledger registers (default "USD"). */
  settlementCurrency?: string | undefined;
  /** Tests only: an earlier build of the ledger (constructed with registry and token) to upgrade from. */
  legacyLedger?: { abi: any[]; bytecode: string } | undefined;
}

/** The default settlement currency: the local stand-in token is a dollar. */
export const DEFAULT_SETTLEMENT_CURRENCY = "USD";

/** An ISO 4217 code as the ledger's bytes3 (ASCII). */
export function currencyBytes3(code: string): string {
  if (!/^[A-Z]{3}$/.test(code)) throw new Error(`settlement currency must be a 3-letter ISO 4217 code, got "${code}"`);
  return "0x" + Buffer.from(code, "ascii").toString("hex");
}

/** Deploys the core contracts; the timelock owns upgrades of both proxies. */
export async function deployCore(signer: Signer, opts: CoreOptions): Promise<CoreAddresses> {
  const deployer = await signer.getAddress();
  const governor = opts.governor ?? deployer;
  const delay = opts.timelockDelaySeconds ?? DEFAULT_TIMELOCK_DELAY_S;
  // Anyone may execute a proposal once its delay has passed; the timelock administers itself.
  const timelock = await deployContract(signer, "ConsortiumTimelock", [delay, [governor], [ZeroAddress], ZeroAddress]);
  // The ledger's implementation is built with the registry proxy's address, and the registry is initialised
  // (in its proxy's constructor) with the ledger proxy's address, which is predicted from the deployer's nonce.
  const registryImpl = await deployContract(signer, "MemberRegistry", []);
  const nonce = await signer.getNonce("pending");
  // registry proxy at `nonce`, then the token (unless given), the ledger implementation and the ledger proxy.
  const ledgerProxyNonce = nonce + (opts.settlementToken ? 2 : 3);
  const predictedLedger = getCreateAddress({ from: deployer, nonce: ledgerProxyNonce });
  const registryInit = new Interface(artifact("MemberRegistry").abi).encodeFunctionData("initialize", [opts.operator, timelock.address, predictedLedger]);
  const registryProxy = await deployContract(signer, "LedgerProxy", [registryImpl.address, registryInit]);
  const token = opts.settlementToken
    ? { address: opts.settlementToken }
    : await deployContract(signer, "SettlementToken", ["Consortium Dollar", "CUSD", deployer]);
  const settlementCurrency = opts.settlementCurrency ?? DEFAULT_SETTLEMENT_CURRENCY;
  const currency = currencyBytes3(settlementCurrency);
  const ledger = opts.legacyLedger
    ? await deployProxied(signer, "ReceivableLedger", [registryProxy.address, token.address], [timelock.address], opts.legacyLedger)
    : await deployProxied(signer, "ReceivableLedger", [registryProxy.address, token.address, currency], [timelock.address]);
  if (ledger.address !== predictedLedger) {
    throw new Error(`ledger deployed at ${ledger.address}, registry expects ${predictedLedger}: was the deployer key used concurrently?`);
  }
  const registry = { address: registryProxy.address, implementation: registryImpl.address };
  return {
    MemberRegistry: registry.address,
    SettlementToken: token.address,
    ReceivableLedger: ledger.address,
    Timelock: timelock.address,
    implementations: { MemberRegistry: registry.implementation, ReceivableLedger: ledger.implementation },
    settlementCurrency,
    deploymentBlock: timelock.block,
  };
}
