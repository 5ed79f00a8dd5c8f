// The fingerprint's identifier normalisation (common/identifiers.ts): look-alike dashes, spaces and invisible
// characters must not make one invoice two. Hand cases, then a property test against a small independent
// reimplementation of the stated rule written from the README, not from the code.
import { expect } from "chai";
import { invoiceFingerprint, DEMO_CONSORTIUM_SALT, type InvoiceIdentity } from "../../common/fingerprint.ts";
import { normaliseIdentifier } from "../../common/identifiers.ts";

const base: InvoiceIdentity = { sellerTaxId: "DE-811-000-001", buyerTaxId: "CN 9135 0200 MA2X", invoiceNumber: "INV-2026-0001", currency: "USD", amount: 125_000_000_000n, issueDate: "2026-11-12" };
const fp = (over: Partial<InvoiceIdentity>) => invoiceFingerprint({ ...base, ...over }, DEMO_CONSORTIUM_SALT);

describe("normaliseIdentifier", () => {
  it("maps every listed dash look-alike to the plain hyphen's result", () => {
    for (const dash of ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\uFE58", "\uFE63", "\uFF0D", "\u2043"]) {
      expect(fp({ invoiceNumber: `INV${dash}2026${dash}0001` }), `U+${dash.codePointAt(0)!.toString(16)}`).to.equal(fp({}));
    }
  });
  it("removes invisible characters (soft hyphen, zero-width space and joiners, BOM, direction marks)", () => {
    for (const inv of ["\u00AD", "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u200E", "\u202E"]) {
      expect(fp({ invoiceNumber: `INV-20${inv}26-0001` }), `U+${inv.codePointAt(0)!.toString(16)}`).to.equal(fp({}));
    }
  });
  it("treats Unicode spaces, full-width forms and ideographic full stops as their plain forms", () => {
    expect(fp({ buyerTaxId: "CN\u00A09135\u30000200\u2009MA2X" })).to.equal(fp({}));
    expect(fp({ invoiceNumber: "ＩＮＶ－２０２６－０００１" })).to.equal(fp({}));
    expect(normaliseIdentifier("DE。811．000/001")).to.equal("DE811000001");
  });
  it("still tells different invoices apart", () => {
    expect(fp({ invoiceNumber: "INV-2026-0002" })).to.not.equal(fp({}));
    expect(fp({ invoiceNumber: "INV-2026-00010" })).to.not.equal(fp({}));
    expect(normaliseIdentifier("A+B")).to.equal("A+B");
  });
  it("agrees with an independent reimplementation of the README's rule on random strings", () => {
    // The README's rule, written out by code point: NFKC; drop format characters; upper-case; drop spaces,
    // dashes (Pd), minus signs, the hyphen bullet, full stops, slashes and underscores.
    const DASHES = new Set([0x2d, 0x58a, 0x5be, 0x1400, 0x1806, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2e17, 0x2e1a, 0x2e3a, 0x2e3b, 0x2e40, 0x2e5d, 0x301c, 0x3030, 0x30a0, 0xfe31, 0xfe32, 0xfe58, 0xfe63, 0xff0d, 0x10ead, 0x2212, 0x2796, 0x2043]);
    const OTHER = new Set([0x2e, 0x3002, 0xff61, 0x2f, 0x2044, 0x2215, 0x5f]);
    const reference = (s: string) =>
      [...s.normalize("NFKC")]
        .filter((c) => !/\p{Cf}/u.test(c))
        .join("")
        .toUpperCase()
        .split("")
        .filter((c) => !(/\s/u.test(c) || DASHES.has(c.codePointAt(0)!) || OTHER.has(c.codePointAt(0)!)))
        .join("");
    const alphabet = ["A", "b", "7", "-", " ", ".", "/", "_", "\u2010", "\u2013", "\u2212", "\u00AD", "\u200B", "\u200D", "\uFEFF", "\u3000", "\u00A0", "Ｚ", "９", "－", "。", "é", "中", "+", "#"];
    let seed = 20261202;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 2000; i++) {
      const s = Array.from({ length: 1 + rnd(12) }, () => alphabet[rnd(alphabet.length)]).join("");
      expect(normaliseIdentifier(s), JSON.stringify(s)).to.equal(reference(s));
    }
  });
});
