// Identifier and free-text rules (issue 9, item 14): what a company profile, an invoice's details or a message
// may contain. Identifiers are validated on their canonical text (the fingerprint's normalisation before the
// separators are removed), so what is validated is what is hashed and stored. Isomorphic: server and client.
import { canonicalIdentifierText, INVISIBLES } from "./fingerprint.ts";

/** A tax id (VAT number, EIN, Chinese unified social credit code of 18 characters, …) after canonicalisation. */
export const TAX_ID_PATTERN = /^[A-Z0-9][A-Z0-9-]{1,39}$/;
/** An invoice number after canonicalisation: letters, digits and the usual separators. */
export const INVOICE_NUMBER_PATTERN = /^[A-Z0-9][A-Z0-9 ./_-]{0,63}$/;
/** A phone number: digits, spaces, + ( ) - . */
export const PHONE_PATTERN = /^\+?[0-9 ()./-]{3,50}$/;
/** C0 controls (tab, CR and LF allowed in multi-line text only), DEL, C1 controls. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F]/;
/** Bidi embeddings, overrides and isolates (the "Trojan source" characters), and LRM/RLM/ALM marks. */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

export type Checked = { ok: true; value: string } | { ok: false; message: string };

/**
 * Identifiers typed into the server must not hide anything: control characters, bidi controls and invisible
 * characters are refused outright (the fingerprint strips invisibles only so that look-alikes cannot make a
 * second id for the same invoice).
 */
function refuseHidden(raw: string): Checked | null {
  if (CONTROL_SINGLE_LINE.test(raw)) return { ok: false, message: "must not contain control characters (including NUL and ANSI escapes)" };
  if (BIDI.test(raw)) return { ok: false, message: "must not contain bidirectional override or isolate characters" };
  if (new RegExp(INVISIBLES.source).test(raw)) return { ok: false, message: "must not contain invisible characters (zero-width, soft hyphen, BOM)" };
  return null;
}

/** The canonical tax id, or why it is refused. */
export function checkTaxId(raw: string): Checked {
  const hidden = refuseHidden(raw);
  if (hidden) return hidden;
  const value = canonicalIdentifierText(raw).trim();
  if (!TAX_ID_PATTERN.test(value)) {
    return {
      ok: false,
      message: `must be 2–40 ASCII letters, digits and hyphens, starting with a letter or digit (${TAX_ID_PATTERN.source} after normalisation)`,
    };
  }
  return { ok: true, value };
}

export function checkInvoiceNumber(raw: string): Checked {
  const hidden = refuseHidden(raw);
  if (hidden) return hidden;
  const value = canonicalIdentifierText(raw).trim();
  if (!INVOICE_NUMBER_PATTERN.test(value)) {
    return {
      ok: false,
      message: `must be 1–64 ASCII letters, digits, spaces and . / _ -, starting with a letter or digit (${INVOICE_NUMBER_PATTERN.source} after normalisation)`,
    };
  }
  return { ok: true, value };
}

/** Names and free text: any script and emoji, but no control characters and no bidi overrides. */
export function checkText(raw: string, opts: { multiLine?: boolean } = {}): Checked {
  const value = raw.normalize("NFC").trim();
  if ((opts.multiLine ? CONTROL : CONTROL_SINGLE_LINE).test(value))
    return { ok: false, message: "must not contain control characters (including NUL and ANSI escapes)" };
  if (BIDI.test(value)) return { ok: false, message: "must not contain bidirectional override or isolate characters" };
  return { ok: true, value };
}
