// The fingerprint normaliser (issue 9, item 13): look-alike dashes and spaces and invisible characters must not
// give the same invoice a second fingerprint. Pure functions: no chain, no database.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { invoiceFingerprint, normaliseIdentifier, canonicalIdentifierText, DEMO_CONSORTIUM_SALT, type InvoiceIdentity } from "../../common/fingerprint.ts";

const base: InvoiceIdentity = {
  sellerTaxId: "DE-811-000-001",
  buyerTaxId: "DE-999-000-003",
  invoiceNumber: "INV-2026-0001",
  currency: "USD",
  amount: 125_000_000_000n,
  issueDate: "2026-11-12",
};
const fp = (i: Partial<InvoiceIdentity>) => invoiceFingerprint({ ...base, ...i }, DEMO_CONSORTIUM_SALT);

describe("fingerprint normaliser", () => {
  it("gives the U+2010 hyphen variant of an invoice number the same fingerprint as '-'", () => {
    expect(fp({ invoiceNumber: "INV\u20102026\u20100001" })).to.equal(fp({}));
  });

  const DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\uFE58", "\uFE63", "\uFF0D"];
  for (const d of DASHES) {
    it(`maps U+${d.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} to "-" in tax ids and invoice numbers`, () => {
      expect(fp({ sellerTaxId: `DE${d}811${d}000${d}001`, invoiceNumber: `INV${d}2026${d}0001` })).to.equal(fp({}));
      expect(canonicalIdentifierText(`A${d}B`)).to.equal("A-B");
    });
  }

  const INVISIBLE = ["\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD", "\u202E", "\u2066"];
  for (const c of INVISIBLE) {
    it(`removes the invisible U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`, () => {
      expect(fp({ invoiceNumber: `INV-20${c}26-0001`, buyerTaxId: `DE-999${c}-000-003` })).to.equal(fp({}));
    });
  }

  it("treats space look-alikes (no-break, ideographic, thin, narrow no-break) like spaces", () => {
    for (const s of ["\u00A0", "\u3000", "\u2009", "\u202F", "\t"]) expect(normaliseIdentifier(`DE${s}811${s}000${s}001`)).to.equal("DE811000001");
  });

  it("applies NFKC (fullwidth letters and digits) and upper-cases", () => {
    expect(fp({ invoiceNumber: "ｉｎｖ－２０２６－０００１" })).to.equal(fp({}));
  });

  it("still tells different invoices apart", () => {
    expect(fp({ invoiceNumber: "INV-2026-0002" })).to.not.equal(fp({}));
    expect(fp({ buyerTaxId: "DE-999-000-004" })).to.not.equal(fp({}));
  });

  it("random mixes of look-alikes and invisibles never change the fingerprint (property)", () => {
    const noise = [...DASHES, ...INVISIBLE, "-", " ", "\u00A0", "\u3000"];
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const target = fp({});
    for (let k = 0; k < 200; k++) {
      // Insert noise between any characters of the canonical invoice number (which has no separators of its own).
      const chars = [..."INV20260001"];
      let out = "";
      for (const ch of chars) {
        out += ch;
        for (let j = rnd(3); j > 0; j--) out += noise[rnd(noise.length)];
      }
      expect(fp({ invoiceNumber: out }), JSON.stringify(out)).to.equal(target);
    }
  });

  it("is the one function the browser, the server and the demo script use", () => {
    // The client computes the id it registers with the shared module, never a copy of the rules.
    const page = readFileSync(new URL("../../client/src/pages/register-page.tsx", import.meta.url), "utf8");
    expect(page).to.match(/from "\.\.\/\.\.\/\.\.\/common\/fingerprint\.ts"/);
    expect(page).to.not.match(/normalize\("NFKC"\)/);
    const server = readFileSync(new URL("../../server/receivables/invoice-details.ts", import.meta.url), "utf8");
    expect(server).to.match(/from "\.\.\/\.\.\/common\/fingerprint\.ts"/);
  });
});
