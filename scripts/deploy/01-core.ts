// Step 01: the membership registry, the settlement token (local networks only) and the ledger.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ContractFactory, type Signer } from "ethers";

const ROOT = join(import.meta.dirname, "..", "..");

function artifact(name: string): { abi: any[]; bytecode: string } {
  return JSON.parse(readFileSync(join(ROOT, "artifacts", "contracts", `${name}.sol`, `${name}.json`), "utf8"));
}

export async function deployContract(signer: Signer, name: string, args: unknown[]): Promise<{ address: string; block: number }> {
  const { abi, bytecode } = artifact(name);
  const contract = await new ContractFactory(abi, bytecode, signer).deploy(...args);
  const receipt = await contract.deploymentTransaction()!.wait();
  return { address: await contract.getAddress(), block: receipt!.blockNumber };
}

export interface CoreAddresses {
  MemberRegistry: string;
  SettlementToken: string;
  ReceivableLedger: string;
  deploymentBlock: number;
}

/**
 * Deploys the core contracts. `operator` administers membership; `settlementToken` is the consortium
 * stablecoin's address on a production network, or undefined to deploy the local stand-in.
 */
export async function deployCore(
  signer: Signer,
  opts: { operator: string; settlementToken?: string | undefined },
): Promise<CoreAddresses> {
  const registry = await deployContract(signer, "MemberRegistry", [opts.operator]);
  const token = opts.settlementToken
    ? { address: opts.settlementToken, block: registry.block }
    : await deployContract(signer, "SettlementToken", ["Consortium Dollar", "CUSD", await signer.getAddress()]);
  const ledger = await deployContract(signer, "ReceivableLedger", [registry.address, token.address]);
  return {
    MemberRegistry: registry.address,
    SettlementToken: token.address,
    ReceivableLedger: ledger.address,
    deploymentBlock: registry.block,
  };
}
