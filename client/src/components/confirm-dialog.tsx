// The confirmation asked before an irreversible action (issue 9, item 20): a native modal <dialog> (the page
// behind it is inert, so focus stays inside), saying exactly what will happen with the concrete facts. Escape
// or "Cancel" does nothing; the confirm button names the action. The caller passes the texts in the chosen language. Focus returns to the button that opened it.
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";
import type { ReceivableJson } from "../api.ts";
import { shortHex } from "../format.ts";
import { i18n, useTranslation } from "../i18n/index.ts";

export interface ConfirmRequest {
  /** The question, e.g. "Write off invoice INV-7?" */
  title: string;
  /** What will happen, with the invoice, amount and party; ends by saying whether it can be undone. */
  body: ReactNode;
  /** The action the confirm button names, e.g. "Write off". */
  confirmLabel: string;
  /** Red confirm button for destructive actions (the default); false for e.g. accepting an offer. */
  danger?: boolean;
}

interface Pending extends ConfirmRequest {
  resolve(ok: boolean): void;
  /** The element focused when the dialog opened (the action's button), focused again on close. */
  opener: HTMLElement | null;
}

/**
 * `const { confirm, dialog } = useConfirm()`: render `dialog` once in the component, and
 * `if (await confirm({...})) doIt()` in the action's handler.
 */
export function useConfirm(): { confirm(req: ConfirmRequest): Promise<boolean>; dialog: ReactNode } {
  const [pending, setPending] = useState<Pending | null>(null);
  const confirm = useCallback(
    (req: ConfirmRequest) =>
      new Promise<boolean>((resolve) => {
        const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        setPending({ ...req, resolve, opener });
      }),
    [],
  );
  const close = useCallback(
    (ok: boolean) => {
      if (!pending) return;
      setPending(null);
      pending.resolve(ok);
      // After React has removed the dialog: the opener may itself be gone once the action has run.
      const opener = pending.opener;
      requestAnimationFrame(() => {
        if (opener?.isConnected) opener.focus();
      });
    },
    [pending],
  );
  return { confirm, dialog: pending ? <ConfirmDialog request={pending} onClose={close} /> : null };
}

function ConfirmDialog(props: { request: ConfirmRequest; onClose(ok: boolean): void }) {
  const { request, onClose } = props;
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (!d.open) d.showModal();
    // The least destructive choice has the focus, so an accidental Enter does nothing irreversible.
    cancelRef.current?.focus();
    return () => {
      if (d.open) d.close();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(e) => {
        // Escape: close through React so the promise resolves and focus goes back.
        e.preventDefault();
        onClose(false);
      }}
    >
      <h2 id={titleId}>{request.title}</h2>
      <div id={bodyId} className="confirm-body">
        {request.body}
      </div>
      <div className="button-row confirm-buttons">
        <button type="button" ref={cancelRef} onClick={() => onClose(false)}>
          {t("common.cancel")}
        </button>
        <button type="button" className={request.danger === false ? "primary" : "danger"} onClick={() => onClose(true)}>
          {request.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** How a receivable is named in a confirmation, in the chosen language: its invoice number, else its short id. */
export function receivableName(r: Pick<ReceivableJson, "id" | "invoice">): string {
  if (!r.invoice) return i18n.t("confirmDialog.receivableName", { id: shortHex(r.id, 10, 6) });
  return i18n.t(r.invoice.ofParent ? "confirmDialog.invoicePartName" : "confirmDialog.invoiceName", { number: r.invoice.number });
}
