// The two catalogs (issue 10, client item 4): same keys, no empty text, the same {{placeholders}} per key, and
// the Chinese catalog is Chinese (no entry left as its English value, apart from codes and names kept as is).
import { expect } from "chai";
import { en } from "../../client/src/i18n/en.ts";
import { zhCN } from "../../client/src/i18n/zh-CN.ts";
import { reportsEn } from "../../client/src/i18n/reports/en.ts";
import { reportsZhCN } from "../../client/src/i18n/reports/zh-CN.ts";
import { receivableEn } from "../../client/src/i18n/receivable/en.ts";
import { receivableZhCN } from "../../client/src/i18n/receivable/zh-CN.ts";
import { financingEn } from "../../client/src/i18n/financing/en.ts";
import { financingZhCN } from "../../client/src/i18n/financing/zh-CN.ts";
import { membersEn } from "../../client/src/i18n/members/en.ts";
import { membersZhCN } from "../../client/src/i18n/members/zh-CN.ts";
import { collectionsEn } from "../../client/src/i18n/collections/en.ts";
import { collectionsZhCN } from "../../client/src/i18n/collections/zh-CN.ts";
import { initialLanguage, formatDate, flattenCatalog } from "../../client/src/i18n/index.ts";
import { formatDateTime } from "../../client/src/i18n/date-time.ts";

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
/** The <tag/> and <tag>…</tag> markup a Trans component fills in. */
const tags = (s: string) => [...s.matchAll(/<\/?\w+\/?>/g)].map((m) => m[0]).sort();
/** Texts that are the same in both languages on purpose (codes, names). */
const SAME_IN_BOTH = new Set<string>([]);
/** Separators: the Chinese text is full-width punctuation (no ideograph to find), but never the English one. */
const PUNCTUATION = new Set<string>(["audit.diffSeparator", "staff.roleSeparator", "financing.factoring.offers.stateSeparator", "members.roleSeparator"]);

describe("client catalogs (zh-CN and en)", () => {
  // The main catalog, and the pages' own parts (each registered under its key when its page loads): the reports,
  // the financing pages (market, loans, insurance and their cards), the members page, and the collections and
  // early-warning pages (with the seller dashboard's alerts card).
  const parts: [string, object, object][] = [
    ["reports", reportsEn, reportsZhCN],
    ["receivable", receivableEn, receivableZhCN],
    ["financing", financingEn, financingZhCN],
    ["members", membersEn, membersZhCN],
    ["collections", collectionsEn, collectionsZhCN],
  ];
  const pairs: [string, object, object][] = [["main", en, zhCN], ...parts.map(([key, e, z]): [string, object, object] => [key, { [key]: e }, { [key]: z }])];
  for (const [name, enCatalog, zhCatalog] of pairs) {
    const e = flattenCatalog(enCatalog),
      z = flattenCatalog(zhCatalog);
    it(`have the same keys (${name})`, () => {
      expect([...z.keys()].sort()).to.deep.equal([...e.keys()].sort());
    });
    it(`have no empty text and the same placeholders and markup per key (${name})`, () => {
      for (const [k, v] of e) {
        expect(v.trim(), `en ${k}`).to.not.equal("");
        expect(z.get(k)!.trim(), `zh-CN ${k}`).to.not.equal("");
        expect(placeholders(z.get(k)!), `placeholders of ${k}`).to.deep.equal(placeholders(v));
        expect(tags(z.get(k)!), `markup of ${k}`).to.deep.equal(tags(v));
      }
    });
    it(`leave no Chinese entry in English (${name})`, () => {
      const english = [...z].filter(([k, v]) => !SAME_IN_BOTH.has(k) && !PUNCTUATION.has(k) && (v === e.get(k) || !/[\u4e00-\u9fff]/.test(v)));
      expect(english.map(([k]) => k)).to.deep.equal([]);
      for (const k of PUNCTUATION)
        if (e.has(k))
          expect(z.get(k), k)
            .to.match(/^[^A-Za-z]+$/)
            .and.not.equal(e.get(k));
    });
  }
  it("keep the pages' parts apart from the main catalog and from each other (no key of one overrides another)", () => {
    expect(flattenCatalog(en).has("reports.title")).to.equal(false);
    for (const [key] of parts) {
      expect(
        [...flattenCatalog(en).keys()].filter((k) => k.startsWith(`${key}.`)),
        key,
      ).to.deep.equal([]);
      expect(
        [...flattenCatalog(zhCN).keys()].filter((k) => k.startsWith(`${key}.`)),
        key,
      ).to.deep.equal([]);
    }
    expect(new Set(parts.map(([key]) => key)).size).to.equal(parts.length);
  });
  it("say the financing pages' and the members page's words in the field's Chinese", () => {
    // The terms a Chinese factoring and lending desk uses, and the ones the main catalog already uses.
    expect(financingZhCN.market.title).to.equal(zhCN.nav.market);
    expect(financingZhCN.market.col.reserveListing).to.include("底价").and.include("挂牌");
    expect(financingZhCN.factoring.withRecourse).to.equal("有追索权");
    expect(financingZhCN.factoring.repurchase).to.include("回购");
    expect(financingZhCN.factoring.listButton).to.include("挂牌保理");
    expect(financingZhCN.market.makeOffer).to.equal("报价");
    expect(financingZhCN.loans.title).to.include("质押贷款");
    expect(financingZhCN.loans.advancePct).to.include("预付款");
    expect(financingZhCN.insurance.premium).to.equal("保费");
    expect(financingZhCN.insurance.policyLegend).to.equal("保单");
    expect(financingZhCN.insurance.card.claimConfirm).to.include("理赔");
    expect(membersZhCN.admit).to.include("准入");
    expect(membersZhCN.suspend).to.equal("暂停");
    expect(membersZhCN.reinstate).to.equal("恢复");
    expect(membersZhCN.forbidden).to.include(zhCN.role.Operator);
  });
  it("say the collections and early-warning pages' words as a Chinese AR team does", () => {
    const c = collectionsZhCN;
    expect(zhCN.nav.collections).to.equal("催收管理");
    expect(zhCN.nav.risk).to.equal("风险预警");
    expect(c.worklist.col.daysPastDue).to.equal("逾期天数");
    expect(c.promiseForm.title).to.include("承诺付款");
    expect(c.outcome.promised).to.equal("承诺付款");
    expect(c.promiseStatus.broken).to.equal("已违约");
    expect(c.channel.letter).to.equal("催收函");
    expect(c.policies.title).to.equal("催收策略");
    expect(c.kpis.col.collected).to.equal("回款金额");
    // The desk roles the pages name are the staff panel's.
    expect(c.worklist.collector).to.equal(zhCN.deskRole.collector);
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
  it("format moments (an offer's expiry) with their time of day per language, in local time", () => {
    // Local time: the day may move with the machine's zone, the format does not.
    expect(formatDateTime("2026-12-06T12:05:00Z", "zh-CN")).to.match(/^2026年12月[5-7]日 \d{2}:\d{2}$/);
    expect(formatDateTime("2026-12-06T12:05:00Z", "en")).to.match(/^0[5-7] Dec 2026, \d{2}:\d{2}$/);
    expect(formatDateTime(Date.UTC(2026, 11, 6, 12, 5), "zh-CN")).to.equal(formatDateTime("2026-12-06T12:05:00Z", "zh-CN"));
    expect(formatDateTime("not a date", "zh-CN")).to.equal("—");
  });
});
