// Deploys the ledger to a JSON-RPC network and records it in deployments/<network>.json, then regenerates
// deployments/contracts.ts. Configuration (environment):
//   NETWORK        name of the record (default "localhost")
//   RPC_URL        JSON-RPC endpoint (default http://127.0.0.1:8545)
//   DEPLOYER_KEY   private key of the deployer; without it the node's first unlocked account is used
//   OPERATOR       consortium operator address (default: the deployer)
//   SETTLEMENT_TOKEN  address of the consortium stablecoin (default: deploy the local stand-in)
//   SETTLEMENT_CURRENCY  ISO 4217 code of that stablecoin's currency, the only one the ledger registers (default USD)
//   GOVERNOR       proposer on the governance timelock (default: the deployer)
//   TIMELOCK_DELAY_S  governance delay in seconds (default 0 on Hardhat's chain 31337, else 2 days)
// MemberRegistry and ReceivableLedger are UUPS proxies; the record holds the proxy addresses (stable across
// upgrades), the timelock that governs upgrades, and the current implementation addresses.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { JsonRpcProvider, Wallet, type Signer } from "ethers";
import { deployCore, DEFAULT_TIMELOCK_DELAY_S } from "./deploy/01-core.ts";
import { deployFinancing } from "./deploy/02-financing.ts";
import { generateContractsModule } from "./codegen.ts";

export interface DeployOptions {
  network: string;
  rpcUrl: string;
  deployerKey?: string | undefined;
  operator?: string | undefined;
  settlementToken?: string | undefined;
  settlementCurrency?: string | undefined;
  /** Proposer on the governance timelock (default: the deployer). */
  governor?: string | undefined;
  timelockDelaySeconds?: number | undefined;
  /** Where to write the record; defaults to deployments/<network>.json. */
  outFile?: string | undefined;
  /** Tests only: an earlier build of the ledger to start from (upgraded later through the timelock). */
  legacyLedger?: { abi: any[]; bytecode: string } | undefined;
}

export async function deploy(opts: DeployOptions) {
  const provider = new JsonRpcProvider(opts.rpcUrl, undefined, { staticNetwork: true, pollingInterval: 50 });
  const signer: Signer = opts.deployerKey ? new Wallet(opts.deployerKey, provider) : await provider.getSigner(0);
  const chainId = Number((await provider.getNetwork()).chainId);
  const operator = opts.operator ?? (await signer.getAddress());
  const core = await deployCore(signer, {
    operator,
    settlementToken: opts.settlementToken,
    settlementCurrency: opts.settlementCurrency,
    governor: opts.governor,
    timelockDelaySeconds: opts.timelockDelaySeconds ?? (chainId === 31337 ? 0 : DEFAULT_TIMELOCK_DELAY_S),
    legacyLedger: opts.legacyLedger,
  });
  const deployer = await signer.getAddress();
  const financing = await deployFinancing(signer, {
    ledger: core.ReceivableLedger,
    timelock: core.Timelock,
    governorIsDeployer: (opts.governor ?? deployer).toLowerCase() === deployer.toLowerCase(),
  });
  const record = {
    network: opts.network,
    chainId,
    deploymentBlock: core.deploymentBlock,
    deployedAt: new Date().toISOString(),
    contracts: {
      MemberRegistry: core.MemberRegistry,
      SettlementToken: core.SettlementToken,
      ReceivableLedger: core.ReceivableLedger,
      Timelock: core.Timelock,
      FactoringMarket: financing.FactoringMarket,
      PledgeLoans: financing.PledgeLoans,
      CreditInsurance: financing.CreditInsurance,
    },
    implementations: core.implementations,
    settlementCurrency: core.settlementCurrency,
    pendingGovernance: financing.pendingApprovals,
  };
  const outFile = opts.outFile ?? join(import.meta.dirname, "..", "deployments", `${opts.network}.json`);
  writeFileSync(outFile, JSON.stringify(record, null, 2) + "\n");
  if (!opts.outFile) generateContractsModule();
  provider.destroy();
  return record;
}

if (process.argv[1] === import.meta.filename) {
  const record = await deploy({
    network: process.env.NETWORK ?? "localhost",
    rpcUrl: process.env.RPC_URL ?? "http://127.0.0.1:8545",
    deployerKey: process.env.DEPLOYER_KEY,
    operator: process.env.OPERATOR,
    settlementToken: process.env.SETTLEMENT_TOKEN,
    settlementCurrency: process.env.SETTLEMENT_CURRENCY,
    governor: process.env.GOVERNOR,
    timelockDelaySeconds: process.env.TIMELOCK_DELAY_S ? Number(process.env.TIMELOCK_DELAY_S) : undefined,
  });
  console.log(JSON.stringify(record, null, 2));
}
