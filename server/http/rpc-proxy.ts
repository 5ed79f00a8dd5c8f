// The browser's JSON-RPC proxy (`POST /rpc`, on in the embedded default): only what a browser needs to sign in,
// sign and send, never a way around the API's role scoping. Reads of ledger history (eth_getLogs) are for
// auditors' chain check only; everything else a client shows comes from the API.
//
// Without a session: the chain id, the node's development accounts (the embedded demo's account picker stands
// in for a wallet) and `personal_sign` of a Sign-In with Ethereum message for this server's own domain (that
// one also with a session, for the next account signing in).
// With a session: also gas and nonce look-ups, pre-flight `eth_call`, sending (a node-signed transaction only
// from the session's own address), receipts, and EIP-712 / personal signatures by the session's own address.
// Any other method, or a signature or transaction for another address, is a JSON-RPC error naming it; the node
// is not asked. A batch is checked element by element.
import type { Request, Response } from "express";
import { hexToString, isHex } from "viem";
import { Role } from "../../common/roles.ts";
import type { Viewer } from "../receivables/visibility.ts";

const PUBLIC_METHODS = new Set(["eth_chainId", "net_version", "eth_accounts"]);
const SESSION_METHODS = new Set([
  "eth_blockNumber",
  "eth_getBlockByNumber",
  "eth_gasPrice",
  "eth_maxPriorityFeePerGas",
  "eth_feeHistory",
  "eth_estimateGas",
  "eth_getTransactionCount",
  "eth_call",
  "eth_sendRawTransaction",
  "eth_getTransactionReceipt",
  "eth_getTransactionByHash",
]);
const AUDITOR_METHODS = new Set(["eth_getLogs"]);
/** Methods that sign or send for an address: allowed only for the session's own address. */
const OWN_ADDRESS_METHODS: Record<string, (params: unknown[]) => unknown> = {
  eth_sendTransaction: (p) => (p[0] as { from?: unknown } | undefined)?.from,
  eth_signTypedData_v4: (p) => p[0],
  personal_sign: (p) => p[1],
};

interface RpcRequest {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

export interface RpcProxyOptions {
  rpcUrl: string;
  /** host[:port] values a sign-in message may name (the SIWE domains this server accepts). */
  siweDomains: () => readonly string[];
  resolveViewer: (req: Request) => Promise<Viewer | null>;
}

/** Why `call` may not be forwarded for `viewer`, or null when it may. */
export function refusal(call: RpcRequest, viewer: Viewer | null, siweDomains: readonly string[]): { code: number; message: string } | null {
  if (typeof call !== "object" || call === null || typeof call.method !== "string")
    return { code: -32600, message: "invalid request: a JSON-RPC call needs a string method" };
  const method = call.method;
  const params = Array.isArray(call.params) ? call.params : [];
  if (PUBLIC_METHODS.has(method)) return null;
  if (method === "personal_sign") {
    // A sign-in message for this server may be signed with or without a session (switching accounts signs
    // the next account in while the previous one's session is still on).
    const text = typeof params[0] === "string" && isHex(params[0]) ? safeText(params[0]) : String(params[0] ?? "");
    const domain = /^(\S+) wants you to sign in with your Ethereum account:\n/.exec(text)?.[1];
    if (domain && siweDomains.includes(domain)) return null;
    if (!viewer) return { code: -32001, message: "personal_sign without a session is only for a sign-in message for this server" };
  }
  if (!viewer) return { code: -32001, message: `${method} needs a session: sign in first` };
  if (SESSION_METHODS.has(method)) return null;
  if (AUDITOR_METHODS.has(method))
    return (viewer.roles & Role.Auditor) !== 0 ? null : { code: -32003, message: `${method} is for auditors; ledger history is read through the API` };
  const own = OWN_ADDRESS_METHODS[method];
  if (own) {
    const address = own(params);
    if (typeof address === "string" && address.toLowerCase() === viewer.address.toLowerCase()) return null;
    return { code: -32003, message: `${method} is allowed only for the signed-in address ${viewer.address}` };
  }
  return { code: -32601, message: `method ${method} is not available through this proxy` };
}

function safeText(hex: `0x${string}`): string {
  try {
    return hexToString(hex);
  } catch {
    return "";
  }
}

export function rpcProxy(opts: RpcProxyOptions) {
  return async (req: Request, res: Response) => {
    const viewer = await opts.resolveViewer(req);
    const body: unknown = req.body;
    const batch = Array.isArray(body);
    const calls = (batch ? body : [body]) as RpcRequest[];
    if (calls.length === 0 || calls.length > 100) {
      res.status(400).json({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "invalid request: a batch holds 1 to 100 calls" } });
      return;
    }
    const domains = opts.siweDomains();
    const refused = calls.map((c) => refusal(c, viewer, domains));
    if (process.env["DEBUG_RPC"]) refused.forEach((r, i) => r && console.error("[rpc refused]", (calls[i] as any)?.method, r.message));
    const forward = calls.filter((_, i) => refused[i] === null);
    let answers: RpcRequest[] = [];
    if (forward.length > 0) {
      let upstream: globalThis.Response;
      try {
        upstream = await fetch(opts.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(forward) });
      } catch (err) {
        res.status(502).json({ jsonrpc: "2.0", id: null, error: { code: -32603, message: `JSON-RPC node unreachable: ${(err as Error).message}` } });
        return;
      }
      const parsed: unknown = await upstream.json().catch(() => null);
      answers = Array.isArray(parsed) ? parsed : parsed ? [parsed as RpcRequest] : [];
    }
    const byId = new Map(answers.map((a) => [JSON.stringify(a.id ?? null), a]));
    const out = calls.map((c, i) => {
      const id = c && typeof c === "object" ? (c.id ?? null) : null;
      const r = refused[i];
      if (r) return { jsonrpc: "2.0", id, error: r };
      return byId.get(JSON.stringify(id)) ?? { jsonrpc: "2.0", id, error: { code: -32603, message: "no answer from the node" } };
    });
    res.status(200).json(batch ? out : out[0]);
  };
}
