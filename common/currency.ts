// ISO 4217 currency codes as the ledger stores them: three ASCII letters in a bytes3 ("USD" = 0x555344).
// Until several currencies are supported, the ledger registers only its settlement currency.
import type { Hex } from "viem";

const ISO_CODE = /^[A-Z]{3}$/;

export class CurrencyCodeError extends Error {
  override name = "CurrencyCodeError";
}

/** "USD" → "0x555344" (the Invoice's and the event's bytes3). */
export function currencyToBytes3(code: string): Hex {
  const c = code.trim().toUpperCase();
  if (!ISO_CODE.test(c)) throw new CurrencyCodeError(`currency must be a 3-letter ISO 4217 code, got "${code}"`);
  return ("0x" + [...c].map((ch) => ch.charCodeAt(0).toString(16).padStart(2, "0")).join("")) as Hex;
}

/** "0x555344" → "USD"; throws on anything but three upper-case ASCII letters. */
export function currencyFromBytes3(value: string): string {
  const hex = value.toLowerCase().replace(/^0x/, "");
  if (!/^[0-9a-f]{6}$/.test(hex)) throw new CurrencyCodeError(`not a bytes3 currency code: ${value}`);
  const code = String.fromCharCode(...[0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  if (!ISO_CODE.test(code)) throw new CurrencyCodeError(`not an ISO 4217 code: ${value}`);
  return code;
}
