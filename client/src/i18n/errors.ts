// What an error says to the user, in the chosen language (issue 10, client item 4). The API answers errors as
// `{ error: { code, message } }`: a code the catalog knows (`apiError.*`) shows its translation; an unknown code
// shows a translated "the server refused" with the server's own (English) message under "details". In English the
// server's message is shown as it is (it names the problem more exactly than the generic text).
import { ApiError } from "../api.ts";
import { describeError } from "../chain.ts";
import { currentLanguage, i18n } from "./index.ts";

export function errorText(error: unknown): string {
  if (!(error instanceof ApiError) || currentLanguage() === "en") return describeError(error);
  const key = `apiError.${error.code}`;
  if (error.code && i18n.exists(key)) return i18n.t(key);
  return `${i18n.t("apiError.unknown", { status: error.status })} ${i18n.t("apiError.details", { message: error.message })}`;
}
