// The invoice behind a receivable, and near-duplicate warnings (issue 9, items 15–16): shown everywhere a
// receivable is named, instead of (or beside) its 0x… fingerprint.
import type { ReceivableJson, SimilarWarning } from "../api.ts";
import { Notice } from "./bits.tsx";
import { Trans } from "react-i18next";
import { useTranslation } from "../i18n/index.ts";

/** "INV-2026-0001" with the short id beside it; the id alone when the seller has not submitted the details. */
export function InvoiceNumber(props: { r: Pick<ReceivableJson, "id" | "invoice">; withId?: boolean }) {
  const { r } = props;
  const { t } = useTranslation();
  const number = r.invoice?.number;
  return (
    <span className="invoice-number" data-invoice-number={number ?? ""}>
      {number ? (
        <strong>{r.invoice?.ofParent ? t("invoice.numberOfPart", { number }) : number}</strong>
      ) : (
        <span className="muted">{t("invoice.noDetails")}</span>
      )}
      {(props.withId ?? true) && (
        <span className="mono muted" title={r.id}>
          {" "}
          {r.id.slice(0, 10)}…
        </span>
      )}
    </span>
  );
}

/** Warnings that this invoice may have been registered before (named only when you may see the other one). */
export function SimilarWarnings(props: { similar: SimilarWarning[] | undefined; lead?: string }) {
  const { t } = useTranslation();
  const list = props.similar ?? [];
  if (list.length === 0) return null;
  const reasons = (w: SimilarWarning) => w.reasons.map((x) => t(`invoice.reason.${x}`, { defaultValue: x })).join(t("invoice.reasonSeparator"));
  return (
    <Notice tone="warn">
      <div className="similar-warnings" data-testid="similar-warnings">
        <strong>{props.lead ?? t("invoice.possibleDuplicate")}</strong>
        <ul>
          {list.map((w, i) =>
            w.visible && w.id ? (
              <li key={w.id}>
                <Trans
                  i18nKey="invoice.similarVisible"
                  values={{ reasons: reasons(w) }}
                  components={{ open: <a href={`#/receivables/${w.id}`}>{w.invoiceNumber}</a> }}
                />
              </li>
            ) : (
              <li key={`hidden-${i}`}>{t("invoice.similarHidden", { reasons: reasons(w) })}</li>
            ),
          )}
        </ul>
      </div>
    </Notice>
  );
}
