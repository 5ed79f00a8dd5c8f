// A moment with its time of day (an offer's or a policy's expiry, when an offer was made), in the viewer's time
// zone and by the chosen language. Kept out of index.ts so that the first route (which bundles index.ts) does not
// carry it: only the pages that show such moments import it.
import { currentLanguage, type Language } from "./index.ts";

/** "23 Nov 2026, 14:05" / "2026年11月23日 14:05" (local time). */
export function formatDateTime(value: string | number | Date, lang: Language = currentLanguage()): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return "—";
  return lang === "zh-CN"
    ? d.toLocaleString("zh-CN", { year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false })
    : d.toLocaleString("en-GB", { day: "2-digit", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}
