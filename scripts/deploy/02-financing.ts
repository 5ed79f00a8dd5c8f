// Step 02: the financing modules (issue 5) and their approval by governance. The factoring market and the
// pledge-loan module take liens on receivables, and credit insurance is subrogated after a paid claim (issue 9),
// so the ledger only lets them act once the timelock approved them (never the operator). With a zero timelock delay (local networks) the approval is executed at once;
// otherwise it is scheduled and the printed operation executes after the delay.
import { Contract, Interface, ZeroHash, id as keccakText, type Signer } from "ethers";
import { artifact, deployContract } from "./01-core.ts";

export interface FinancingAddresses {
  FactoringMarket: string;
  PledgeLoans: string;
  CreditInsurance: string;
  /** Timelock operations still waiting for their delay (empty when executed at once). */
  pendingApprovals: { target: string; data: string; salt: string; readyAt: number }[];
}

export async function deployFinancing(signer: Signer, opts: { ledger: string; timelock: string; governorIsDeployer: boolean }): Promise<FinancingAddresses> {
  const market = await deployContract(signer, "FactoringMarket", [opts.ledger], "financing");
  const loans = await deployContract(signer, "PledgeLoans", [opts.ledger], "financing");
  const insurance = await deployContract(signer, "CreditInsurance", [opts.ledger], "financing");
  const pendingApprovals: FinancingAddresses["pendingApprovals"] = [];
  if (opts.governorIsDeployer) {
    const timelock = new Contract(opts.timelock, artifact("ConsortiumTimelock").abi, signer);
    const ledgerAbi = new Interface(artifact("ReceivableLedger").abi);
    const delay = Number(await timelock.getFunction("getMinDelay")());
    for (const module of [market.address, loans.address, insurance.address]) {
      const data = ledgerAbi.encodeFunctionData("setFinancingModule", [module, true]);
      const salt = keccakText(`approve ${module}`);
      await (await timelock.getFunction("schedule")(opts.ledger, 0, data, ZeroHash, salt, delay)).wait();
      if (delay === 0) await (await timelock.getFunction("execute")(opts.ledger, 0, data, ZeroHash, salt)).wait();
      else pendingApprovals.push({ target: opts.ledger, data, salt, readyAt: Math.floor(Date.now() / 1000) + delay });
    }
  }
  return {
    FactoringMarket: market.address,
    PledgeLoans: loans.address,
    CreditInsurance: insurance.address,
    pendingApprovals,
  };
}
