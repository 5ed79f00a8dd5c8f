// Chinese and English (issue 10, client item 4): i18next with react-i18next, the catalogs in en.ts and zh-CN.ts,
// the language chosen once and kept (localStorage), numbers and dates formatted by the language with Intl.
import i18next from "i18next";
import { initReactI18next, useTranslation } from "react-i18next";
import { en } from "./en.ts";

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
// English is bundled (and the fallback); the Chinese catalog is its own chunk, fetched when Chinese is chosen, so
// the first route's JavaScript carries one catalog.
void i18n.use(initReactI18next).init({
  resources: { en: { translation: en } },
  partialBundledLanguages: true,
  lng: "en",
  fallbackLng: "en",
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

async function switchTo(lang: Language): Promise<void> {
  if (lang === "zh-CN" && !i18n.hasResourceBundle("zh-CN", "translation")) {
    const { zhCN } = await import("./zh-CN.ts");
    i18n.addResourceBundle("zh-CN", "translation", zhCN);
  }
  await i18n.changeLanguage(lang);
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}
const initial = initialLanguage(storedLanguage(), typeof navigator === "undefined" ? [] : (navigator.languages ?? [navigator.language]));
if (typeof document !== "undefined") document.documentElement.lang = "en";
if (initial !== "en") void switchTo(initial);

export function setLanguage(lang: Language): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  void switchTo(lang);
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

/** A catalog as key → text ("receivables.col.faceAmount" → "Face amount"): for the catalog checks. */
export function flattenCatalog(obj: object, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === "string") out.set(prefix + k, v);
    else for (const [kk, vv] of flattenCatalog(v as object, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
