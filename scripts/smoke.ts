import { JsonRpcProvider } from "ethers";
import { startChain, deployFresh } from "./local-chain.ts";
import { admitDemoMembers, registerDemoInvoices } from "./demo.ts";
const chain = await startChain();
try {
  const d = await deployFresh(chain.rpcUrl);
  const p = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, pollingInterval: 50 });
  await admitDemoMembers(p, d as any);
  const ids = await registerDemoInvoices(p, d as any);
  console.log("ok", d.contracts, ids.length, await p.getBlockNumber());
  p.destroy();
} finally {
  await chain.stop();
}
