// The invoice behind a receivable, and near-duplicate warnings (issue 9, items 15–16): shown everywhere a
// receivable is named, instead of (or beside) its 0x… fingerprint.
import type { ReceivableJson, SimilarWarning } from "../api.ts";
import { Notice } from "./bits.tsx";

/** "INV-2026-0001" with the short id beside it; the id alone when the seller has not submitted the details. */
export function InvoiceNumber(props: { r: Pick<ReceivableJson, "id" | "invoice">; withId?: boolean }) {
  const { r } = props;
  const number = r.invoice?.number;
  return (
    <span className="invoice-number" data-invoice-number={number ?? ""}>
      {number ? <strong>{number}{r.invoice?.ofParent ? " (part)" : ""}</strong> : <span className="muted">no invoice details</span>}
      {(props.withId ?? true) && (
        <span className="mono muted" title={r.id}>
          {" "}
          {r.id.slice(0, 10)}…
        </span>
      )}
    </span>
  );
}

const REASON: Record<string, string> = {
  same_document: "the same invoice document",
  same_seller_and_invoice_number: "the same seller and invoice number",
  same_parties_date_and_amount: "the same seller, buyer, issue date and nearly the same amount",
};

/** Warnings that this invoice may have been registered before (named only when you may see the other one). */
export function SimilarWarnings(props: { similar: SimilarWarning[] | undefined; lead?: string }) {
  const list = props.similar ?? [];
  if (list.length === 0) return null;
  return (
    <Notice tone="warn">
      <div className="similar-warnings" data-testid="similar-warnings">
        <strong>{props.lead ?? "Possible duplicate."}</strong>
        <ul>
          {list.map((w, i) =>
            w.visible && w.id ? (
              <li key={w.id}>
                Invoice <a href={`#/receivables/${w.id}`}>{w.invoiceNumber}</a> has {w.reasons.map((x) => REASON[x] ?? x).join(" and ")}.
              </li>
            ) : (
              <li key={`hidden-${i}`}>A similar invoice exists ({w.reasons.map((x) => REASON[x] ?? x).join(" and ")}).</li>
            ),
          )}
        </ul>
      </div>
    </Notice>
  );
}
