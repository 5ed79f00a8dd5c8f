// The reasons of a risk score in words, in English and Chinese (same keys in both; checked by the risk test). A
// reason names the feature, states its value in the buyer's terms and says whether it raises or lowers the risk.
import type { FeatureName } from "./model.ts";

export type Language = "en" | "zh-CN";
export const LANGUAGES: readonly Language[] = ["en", "zh-CN"];

const pct = (v: number) => (Math.round(v * 1000) / 10).toString();
const num = (v: number, d = 1) => (Math.round(v * 10 ** d) / 10 ** d).toString();
const int = (v: number) => Math.round(v).toString();

type Text = (v: number) => string;

export const REASONS: Record<Language, Record<FeatureName, Text> & { raises: string; lowers: string }> = {
  en: {
    onTimeShare: (v) => `pays ${pct(v)}% of its invoices on time (smoothed) across all its suppliers on the ledger`,
    recentOnTimeShare: (v) => `paid ${pct(v)}% of its latest invoices on time (smoothed)`,
    meanDaysBeyondTerms: (v) => `pays ${num(v)} days beyond terms on average`,
    trendDays: (v) =>
      v >= 0
        ? `its recent invoices are paid ${num(v)} days later than its older ones`
        : `its recent invoices are paid ${num(-v)} days earlier than its older ones`,
    partialPaymentShare: (v) => `${pct(v)}% of its paid invoices were paid in parts`,
    disputeShare: (v) => `it disputed ${pct(v)}% of its invoices`,
    creditNoteShare: (v) => `credit notes were issued on ${pct(v)}% of its invoices`,
    defaultShare: (v) => `${pct(v)}% of its invoices defaulted`,
    history: (v) => `${int(Math.expm1(v))} invoices of payment history`,
    brokenPromises: (v) => `${int(v)} broken promises to pay`,
    dunningLevel: (v) => `dunning reached level ${int(v)}`,
    limitUse: (v) => `it uses ${pct(v)}% of its credit limit`,
    amountVsTypical: (v) => `the amount is ${num(Math.exp(v), 2)}× its typical invoice`,
    termDays: (v) => `a payment term of ${int(v)} days`,
    daysToDue: (v) => (v >= 0 ? `due in ${int(v)} days` : `${int(-v)} days past due`),
    raises: "raises the risk",
    lowers: "lowers the risk",
  },
  "zh-CN": {
    onTimeShare: (v) => `在账本上所有供应商处按时付款的发票占 ${pct(v)}%（平滑后）`,
    recentOnTimeShare: (v) => `最近的发票中按时付款占 ${pct(v)}%（平滑后）`,
    meanDaysBeyondTerms: (v) => `平均超出账期 ${num(v)} 天付款`,
    trendDays: (v) => (v >= 0 ? `近期发票比早期发票平均晚 ${num(v)} 天付款` : `近期发票比早期发票平均早 ${num(-v)} 天付款`),
    partialPaymentShare: (v) => `已付款发票中 ${pct(v)}% 为分期付款`,
    disputeShare: (v) => `对 ${pct(v)}% 的发票提出过争议`,
    creditNoteShare: (v) => `${pct(v)}% 的发票开具过红字发票（贷项通知）`,
    defaultShare: (v) => `${pct(v)}% 的发票发生违约`,
    history: (v) => `付款记录共 ${int(Math.expm1(v))} 张发票`,
    brokenPromises: (v) => `${int(v)} 次未兑现付款承诺`,
    dunningLevel: (v) => `催收已达第 ${int(v)} 级`,
    limitUse: (v) => `已使用信用额度的 ${pct(v)}%`,
    amountVsTypical: (v) => `金额为其常规发票的 ${num(Math.exp(v), 2)} 倍`,
    termDays: (v) => `账期 ${int(v)} 天`,
    daysToDue: (v) => (v >= 0 ? `${int(v)} 天后到期` : `已逾期 ${int(-v)} 天`),
    raises: "提高风险",
    lowers: "降低风险",
  },
};

/** A reason in words: "<what> (raises the risk)" / "<what>（提高风险）". */
export function reasonText(language: Language, feature: FeatureName, value: number, contribution: number): string {
  const c = REASONS[language];
  const effect = contribution >= 0 ? c.raises : c.lowers;
  return language === "zh-CN" ? `${c[feature](value)}（${effect}）` : `${c[feature](value)} (${effect})`;
}

/** Both languages of a reason. */
export function reasonTexts(feature: FeatureName, value: number, contribution: number): Record<Language, string> {
  return { en: reasonText("en", feature, value, contribution), "zh-CN": reasonText("zh-CN", feature, value, contribution) };
}
