// Signed webhooks: what a receiver gets and how it checks it, and which targets the server refuses.
//   POST <endpoint url>, content-type application/json, the body a JSON object (WebhookBody);
//   X-Ledger-Signature: sha256=<hex HMAC-SHA256 over the raw body bytes with the endpoint's secret>;
//   X-Ledger-Timestamp: unix seconds of this attempt; X-Ledger-Delivery: the delivery's id, the same on every retry
//   (a receiver deduplicates on it). A 2xx answer is delivered; anything else (or no answer in time) is retried.
import { createHmac, randomBytes } from "node:crypto";
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

export const SIGNATURE_HEADER = "x-ledger-signature";
export const TIMESTAMP_HEADER = "x-ledger-timestamp";
export const DELIVERY_HEADER = "x-ledger-delivery";

export function sign(secret: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody, "utf8").digest("hex")}`;
}

/** A new endpoint secret: 32 random bytes, hex, prefixed so it is recognisable in a receiver's configuration. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString("hex")}`;
}

/** Who may be a webhook target besides public addresses. */
export interface TargetPolicy {
  /** Allow every private, loopback and link-local address (WEBHOOK_ALLOW_PRIVATE=1; local development only). */
  allowPrivate: boolean;
  /** Host names or IP literals allowed although they are private (WEBHOOK_ALLOW_PRIVATE=127.0.0.1,hooks.lan). */
  allowHosts: readonly string[];
}

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  PRIVATE.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  PRIVATE.addSubnet(net, bits, "ipv6");

/** Private, loopback, link-local, shared, multicast or reserved (v4, v6 and v4-mapped v6). */
export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return PRIVATE.check(mapped[1]!, "ipv4");
  const family = isIP(ip);
  if (family === 0) return true;
  return PRIVATE.check(ip, family === 4 ? "ipv4" : "ipv6");
}

/** A refused target: the message names why (shown to the member as a 400, or kept as the delivery's error). */
export class TargetRefused extends Error {
  readonly retryable = false;
}

/**
 * Checks a webhook URL: http(s) only, no credentials in it, and a host that resolves only to public addresses
 * (checked again before every delivery, so a name that later points inside is refused then).
 */
export async function checkTarget(raw: string, policy: TargetPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused(`url: not a URL: ${raw.slice(0, 100)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new TargetRefused(`url: only http and https URLs are allowed, not ${url.protocol.replace(":", "")}`);
  if (url.username || url.password) throw new TargetRefused("url: must not carry a user name or password");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (policy.allowPrivate || policy.allowHosts.includes(host.toLowerCase())) return url;
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch (err) {
      throw Object.assign(new Error(`url: the host ${host} does not resolve (${(err as { code?: string }).code ?? (err as Error).message})`), {
        retryable: true,
      });
    }
  }
  const inside = addresses.find(isPrivateAddress);
  if (inside !== undefined) throw new TargetRefused(`url: ${host} is a private-network address (${inside}); webhooks go to public addresses only`);
  return url;
}

/** The JSON a webhook carries. */
export interface WebhookBody {
  /** The delivery's id (also X-Ledger-Delivery). */
  id: string;
  /** What the message is about (the outbox key, e.g. "dunning:<receivable>:<level>"). */
  key: string;
  sender: string;
  recipient: string;
  subject: string;
  text: string;
  language: string;
  /** The producer's data (e.g. the receivable, level, amount), as it enqueued it. */
  data: unknown;
  createdAt: string;
}

export interface WebhookAttempt {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

/** One POST of a delivery. Never throws: the outcome is returned. */
export async function postWebhook(
  url: URL,
  secret: string,
  deliveryId: string,
  rawBody: string,
  opts: { timeoutMs: number; now: () => Date },
): Promise<WebhookAttempt> {
  try {
    const res = await fetch(url, {
      method: "POST",
      redirect: "manual", // a redirect could lead inside; it counts as a failure
      signal: AbortSignal.timeout(opts.timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "ReceivablesLedger-Webhook/1",
        [SIGNATURE_HEADER]: sign(secret, rawBody),
        [TIMESTAMP_HEADER]: String(Math.floor(opts.now().getTime() / 1000)),
        [DELIVERY_HEADER]: deliveryId,
      },
      body: rawBody,
    });
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status, error: null };
    return { ok: false, statusCode: res.status, error: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return {
      ok: false,
      statusCode: null,
      error: e.name === "TimeoutError" ? `no answer within ${opts.timeoutMs} ms` : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : ""}`,
    };
  }
}
