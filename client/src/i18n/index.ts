// Chinese and English (issue 10, client item 4): i18next with react-i18next, the catalogs in en.ts and zh-CN.ts,
// the language chosen once and kept (localStorage), numbers and dates formatted by the language with Intl.
import i18next from "i18next";
import { initReactI18next, useTranslation } from "react-i18next";
import { en } from "./en.ts";
import { zhCN } from "./zh-CN.ts";

export const LANGUAGES = [
  { code: "zh-CN", label: "中文" },
  { code: "en", label: "English" },
] as const;
export type Language = (typeof LANGUAGES)[number]["code"];

const STORAGE_KEY = "ledger.language";

/** The kept choice; else the browser's first language (Chinese for any zh-*), else English. */
export function initialLanguage(stored: string | null, browser: readonly string[]): Language {
  if (stored === "zh-CN" || stored === "en") return stored;
  for (const l of browser) {
    if (/^zh\b/i.test(l)) return "zh-CN";
    if (/^en\b/i.test(l)) return "en";
  }
  return "en";
}

function storedLanguage(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, "zh-CN": { translation: zhCN } },
  lng: initialLanguage(storedLanguage(), typeof navigator === "undefined" ? [] : navigator.languages ?? [navigator.language]),
  fallbackLng: "en",
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});
if (typeof document !== "undefined") document.documentElement.lang = i18n.language;

export function setLanguage(lang: Language): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  void i18n.changeLanguage(lang);
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

export const currentLanguage = (): Language => (i18n.language === "zh-CN" ? "zh-CN" : "en");

/** Dates in UTC (due and issue dates are calendar dates): "23 Nov 2026" / "2026年11月23日". */
export function formatDate(value: string | number | Date, lang: Language = currentLanguage()): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return "—";
  return lang === "zh-CN"
    ? d.toLocaleDateString("zh-CN", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" })
    : d.toLocaleDateString("en-GB", { day: "2-digit", month: "short", year: "numeric", timeZone: "UTC" });
}

/** A whole or decimal number grouped by the language's rules. */
export function formatNumber(value: number, lang: Language = currentLanguage(), digits = 0): string {
  return new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

export { useTranslation };
