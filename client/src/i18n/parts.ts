// A page's own catalog part (e.g. the reports' `reports.*` keys), in both languages, registered by the page's
// lazily loaded chunk so the first route carries only the main catalog (en.ts). The Chinese part joins the
// Chinese catalog only once that catalog's own chunk has arrived: index.ts fetches it when no zh-CN bundle exists
// yet, so registering the part earlier would stop it from being fetched. (The store, not the instance, emits "added".)
import { i18n, type Language } from "./index.ts";

export function addCatalogPart(key: string, parts: Record<Language, object>): void {
  const add = (lang: Language) => i18n.addResourceBundle(lang, "translation", { [key]: parts[lang] }, true, true);
  add("en");
  if (i18n.hasResourceBundle("zh-CN", "translation")) add("zh-CN");
  else {
    const onAdded = (lang: string) => {
      if (lang !== "zh-CN") return;
      i18n.store.off("added", onAdded);
      add("zh-CN");
    };
    i18n.store.on("added", onAdded);
  }
}
