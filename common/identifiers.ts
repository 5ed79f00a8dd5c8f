// Identifiers and names typed by people: the rules that keep look-alike characters from making one invoice
// two, and control or direction characters from hiding what a record really says. Isomorphic (server,
// client, scripts), so the browser computes the same fingerprint the scripts do.
//
// Normalisation of an identifier (tax id, invoice number) for the fingerprint:
//   1. Unicode NFKC (full-width letters and digits become ASCII, "ｱ" becomes "ア", "①" becomes "1", …);
//   2. invisible characters are removed: every format character (Unicode category Cf: U+00AD soft hyphen,
//      U+200B–U+200F zero-width space/joiners and marks, U+202A–U+202E and U+2066–U+2069 direction
//      controls, U+2060–U+2064, U+FEFF, …);
//   3. upper case;
//   4. separators are removed: every space (Unicode White_Space: U+0020, U+00A0, U+3000, …), every dash
//      (Unicode category Pd: U+002D, U+2010–U+2015, U+2E3A, U+FE58, U+FE63, U+FF0D, …, plus the minus signs
//      U+2212 and U+2796 and the hyphen bullet U+2043), full stops U+002E, U+3002, U+FF61, slashes U+002F,
//      U+2044, U+2215, and the underscore U+005F.
// So "de 123-456.78", "DE12345678" and "DE‐123‐456·78" with U+2010 hyphens all give "DE12345678".

const INVISIBLE = /\p{Cf}/gu;
const SEPARATORS = /[\s\p{Pd}\u2212\u2796\u2043.\u3002\uFF61/\u2044\u2215_]/gu;

/** The identifier as the fingerprint sees it (the rule above). */
export function normaliseIdentifier(value: string): string {
  return value.normalize("NFKC").replace(INVISIBLE, "").toUpperCase().replace(SEPARATORS, "");
}

/**
 * A company tax id as stored on a profile: ASCII letters and digits, optionally separated by single spaces,
 * dashes, dots or slashes; 2–40 characters; starts and ends with a letter or digit. Fits China's unified
 * social credit code (18 characters), EU VAT numbers ("DE123456789") and US EINs ("12-3456789").
 */
export const TAX_ID_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|[ .\/-](?=[A-Za-z0-9])){1,39}$/;

/** What is wrong with a tax id, or null when it is well-formed. */
export function taxIdProblem(value: string): string | null {
  if (value.length === 0) return "must not be empty";
  if (TAX_ID_PATTERN.test(value)) return null;
  const bad = [...value].find((c) => !/[A-Za-z0-9 .\/-]/.test(c));
  if (bad) return `contains ${describeChar(bad)}: only ASCII letters and digits, separated by single spaces, dashes, dots or slashes`;
  if (value.length > 40) return "is longer than 40 characters";
  return "must be 2–40 ASCII letters and digits, separated by single spaces, dashes, dots or slashes, starting and ending with a letter or digit";
}

// Control characters (Cc: NUL, ESC of ANSI escapes, …), format characters (Cf: bidi overrides and isolates,
// zero-width joiners), unassigned, private-use and surrogate code points, line and paragraph separators.
const NOT_IN_TEXT = /[\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Cs}\u2028\u2029]/u;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;

/**
 * What is wrong with a one-line name a person typed (legal name, contact name, role), or null. Any script is
 * fine (公司名称, Müller GmbH); control, direction and invisible characters and emoji are not.
 */
export function nameProblem(value: string): string | null {
  const bad = [...value].find((c) => NOT_IN_TEXT.test(c) || PICTOGRAPH.test(c));
  return bad ? `contains ${describeChar(bad)}, which a name may not contain` : null;
}

/** A phone number: digits with an optional leading +, spaces, dashes, dots and parentheses; 3–30 characters. */
export const PHONE_PATTERN = /^\+?[0-9 ().-]{3,30}$/;

/** "U+202E (a control, direction or invisible character)" — never the raw character, which may hide itself. */
function describeChar(c: string): string {
  const cp = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  if (NOT_IN_TEXT.test(c)) return `${cp} (a control, direction or invisible character)`;
  if (PICTOGRAPH.test(c)) return `${cp} (an emoji or pictograph)`;
  if (/\p{Nd}/u.test(c)) return `${cp} (a digit that is not ASCII 0–9)`;
  return `"${c}" (${cp})`;
}
