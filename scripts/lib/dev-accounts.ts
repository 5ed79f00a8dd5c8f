// Hardhat's development accounts (the demo consortium's members) and signing in to the server as one of them
// with SIWE. Shared by the benchmarks and the tests, so neither imports the other's tree.
import { mnemonicToAccount } from "viem/accounts";
import { SiweMessage } from "siwe";

export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
/** Development account `index` (derives an HD key: ~20 ms of CPU, so call it once per account, not per request). */
export const account = (index: number) => mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: index });
export const addressOf = (index: number) => account(index).address.toLowerCase();

/** Signs in with SIWE as development account `index`; returns the bearer token. */
export async function login(baseUrl: string, index: number, chainId = 31337): Promise<string> {
  const n = (await (await fetch(baseUrl + "/api/auth/nonce")).json()) as { nonce: string };
  const acct = account(index);
  const message = new SiweMessage({
    domain: new URL(baseUrl).host,
    address: acct.address,
    statement: "Sign in to the receivables ledger",
    uri: baseUrl,
    version: "1",
    chainId,
    nonce: n.nonce,
    issuedAt: new Date().toISOString(),
  }).prepareMessage();
  const signature = await acct.signMessage({ message });
  const res = await fetch(baseUrl + "/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message, signature }),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
  return (body as { token: string }).token;
}
