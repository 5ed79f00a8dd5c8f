// What is still owed on a receivable, as every list and page shows it (issue 9, item 19).
import { NO_CLAIM } from "../../../common/lifecycle.ts";
import { money } from "../format.ts";
import { useTranslation } from "../i18n/index.ts";

/** The outstanding amount to show: null ("—") when nothing is owed on this receivable. */
export function outstandingOf(r: { status: string; outstanding: string }): bigint | null {
  // NO_CLAIM: a cancelled invoice, a split parent (its parts carry the claim).
  return NO_CLAIM.has(r.status) ? null : BigInt(r.outstanding);
}

export function Outstanding(props: { r: { status: string; outstanding: string } }) {
  const { t } = useTranslation();
  const v = outstandingOf(props.r);
  return v === null ? (
    <span className="muted" title={t("outstanding.noneTitle")} data-testid="outstanding-none">
      —
    </span>
  ) : (
    money(v)
  );
}
