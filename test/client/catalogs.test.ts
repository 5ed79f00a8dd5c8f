// The two catalogs (issue 10, client item 4): same keys, no empty text, the same {{placeholders}} per key, and
// the Chinese catalog is Chinese (no entry left as its English value, apart from codes and names kept as is).
import { expect } from "chai";
import { en } from "../../client/src/i18n/en.ts";
import { zhCN } from "../../client/src/i18n/zh-CN.ts";
import { reportsEn } from "../../client/src/i18n/reports/en.ts";
import { reportsZhCN } from "../../client/src/i18n/reports/zh-CN.ts";
import { receivableEn } from "../../client/src/i18n/receivable/en.ts";
import { receivableZhCN } from "../../client/src/i18n/receivable/zh-CN.ts";
import { initialLanguage, formatDate, flattenCatalog } from "../../client/src/i18n/index.ts";

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
/** Texts that are the same in both languages on purpose (codes, names). */
const SAME_IN_BOTH = new Set<string>([]);
/** Separators: the Chinese text is full-width punctuation (no ideograph to find), but never the English one. */
const PUNCTUATION = new Set<string>(["audit.diffSeparator", "staff.roleSeparator"]);

describe("client catalogs (zh-CN and en)", () => {
  // The main catalog, and the reports page's own part (registered under `reports.` when that page loads).
  const pairs: [string, object, object][] = [
    ["main", en, zhCN],
    ["reports", { reports: reportsEn }, { reports: reportsZhCN }],
    ["receivable", { receivable: receivableEn }, { receivable: receivableZhCN }],
  ];
  for (const [name, enCatalog, zhCatalog] of pairs) {
    const e = flattenCatalog(enCatalog), z = flattenCatalog(zhCatalog);
    it(`have the same keys (${name})`, () => {
      expect([...z.keys()].sort()).to.deep.equal([...e.keys()].sort());
    });
    it(`have no empty text and the same placeholders per key (${name})`, () => {
      for (const [k, v] of e) {
        expect(v.trim(), `en ${k}`).to.not.equal("");
        expect(z.get(k)!.trim(), `zh-CN ${k}`).to.not.equal("");
        expect(placeholders(z.get(k)!), `placeholders of ${k}`).to.deep.equal(placeholders(v));
      }
    });
    it(`leave no Chinese entry in English (${name})`, () => {
      const english = [...z].filter(([k, v]) => !SAME_IN_BOTH.has(k) && !PUNCTUATION.has(k) && (v === e.get(k) || !/[\u4e00-\u9fff]/.test(v)));
      expect(english.map(([k]) => k)).to.deep.equal([]);
      for (const k of PUNCTUATION) if (e.has(k)) expect(z.get(k), k).to.match(/^[^A-Za-z]+$/).and.not.equal(e.get(k));
    });
  }
  it("keep the pages' parts apart from the main catalog (no key of one overrides the other)", () => {
    expect(flattenCatalog(en).has("reports.title")).to.equal(false);
    for (const part of ["reports", "receivable"]) expect([...flattenCatalog(en).keys()].some((k) => k.startsWith(`${part}.`)), part).to.equal(false);
  });
  it("choose the kept language, else the browser's, else English", () => {
    expect(initialLanguage("en", ["zh-CN"])).to.equal("en");
    expect(initialLanguage(null, ["zh-TW", "en"])).to.equal("zh-CN");
    expect(initialLanguage(null, ["de-DE", "en-US"])).to.equal("en");
    expect(initialLanguage("fr", ["fr-FR"])).to.equal("en");
  });
  it("format calendar dates per language, in UTC", () => {
    expect(formatDate("2026-11-23T00:00:00Z", "en")).to.equal("23 Nov 2026");
    expect(formatDate("2026-11-23T00:00:00Z", "zh-CN")).to.equal("2026年11月23日");
    expect(formatDate("not a date", "en")).to.equal("—");
  });
});
