// What is still owed on a receivable, as every list and page shows it (issue 9, item 19).
import { money } from "../format.ts";
import { useTranslation } from "../i18n/index.ts";

/** Statuses in which nothing is owed on the receivable itself: a cancelled invoice, a split parent (its parts carry the claim). */
const NOTHING_OWED: ReadonlySet<string> = new Set(["Cancelled", "Split"]);

/** The outstanding amount to show: null ("—") when nothing is owed on this receivable. */
export function outstandingOf(r: { status: string; outstanding: string }): bigint | null {
  return NOTHING_OWED.has(r.status) ? null : BigInt(r.outstanding);
}

export function Outstanding(props: { r: { status: string; outstanding: string } }) {
  const { t } = useTranslation();
  const v = outstandingOf(props.r);
  return v === null ? (
    <span className="muted" title={t("outstanding.noneTitle")} data-testid="outstanding-none">
      —
    </span>
  ) : (
    <>{money(v)}</>
  );
}
