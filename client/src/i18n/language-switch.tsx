// The language switch of the top bar: the choice is kept for the next visit.
import { LANGUAGES, setLanguage, useTranslation, type Language } from "./index.ts";

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language-switch">
      <span className="sr-only">{t("app.language")}</span>
      <select name="language" value={i18n.language} onChange={(e) => setLanguage(e.target.value as Language)}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}
