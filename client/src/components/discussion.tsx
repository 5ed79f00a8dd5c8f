// Reasons and the dispute thread of a receivable (issue 9, item 17): the texts behind the on-chain hashes
// (dispute reason, credit-note reasons, bank references), the seller's and buyer's messages and attachments.
import { useEffect, useState } from "react";
import type { ReceivableDetail } from "../api.ts";
import { invoiceApi, type DiscussionJson } from "../invoice-api.ts";
import { useSession } from "../session.tsx";
import { displayDate } from "../format.ts";
import { Hash, Notice, Party } from "./bits.tsx";
import { useTranslation } from "../i18n/index.ts";

export function Discussion(props: { r: ReceivableDetail }) {
  const { r } = props;
  const { account, revision } = useSession();
  const { t } = useTranslation();
  const [data, setData] = useState<DiscussionJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const me = account?.address.toLowerCase();
  const disputed = r.events.some((e) => e.type === "ReceivableDisputed");
  const party = !!me && (me === r.seller.toLowerCase() || me === r.buyer.toLowerCase());

  useEffect(() => {
    let cancelled = false;
    invoiceApi.discussion(r.id).then(
      (d) => !cancelled && (setData(d), setError(null)),
      (e: unknown) => !cancelled && setError((e as Error).message),
    );
    return () => {
      cancelled = true;
    };
  }, [r.id, revision, tick, me]);

  if (!data && !error) return null;
  const hashed = r.events.filter((e) => e.type === "ReceivableDisputed" || e.type === "CreditNoteIssued" || e.type === "BankPaymentAttested");
  if (!disputed && hashed.length === 0) return null;

  async function act(f: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await f();
      setTick((t) => t + 1);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="discussion-h">
      <h2 id="discussion-h">{disputed ? t("discussion.titleDispute") : t("discussion.titleReasons")}</h2>
      {error && <Notice tone="error">{error}</Notice>}
      {data && (
        <>
          <dl className="reasons">
            {data.reasons.length === 0 && <p className="muted">{t("discussion.noTexts")}</p>}
            {data.reasons.map((x) => (
              <div key={`${x.kind}-${x.hash}`} data-reason={x.kind}>
                <dt>{t(`discussion.kind.${x.kind}`, { defaultValue: x.kind })}</dt>
                <dd>
                  <span className="reason-text">{x.text}</span> <Hash value={x.hash} /> <span className="muted">{t("discussion.matchesHash")}</span>
                </dd>
              </div>
            ))}
          </dl>
          {disputed && (
            <>
              <h3>{t("discussion.messages")}</h3>
              <ol className="thread">
                {data.messages.length === 0 && <li className="muted">{t("discussion.noMessages")}</li>}
                {data.messages.map((m) => (
                  <li key={m.id} data-message-id={m.id}>
                    <Party address={m.author} inline />{" "}
                    <span className="muted">
                      {t("discussion.postedAt", { date: displayDate(m.createdAt), time: new Date(m.createdAt).toISOString().slice(11, 16) })}
                    </span>
                    <p className="message-body">{m.body}</p>
                  </li>
                ))}
              </ol>
              {data.attachments.length > 0 && (
                <ul className="attachments">
                  {data.attachments.map((a) => (
                    <li key={a.id}>
                      <a href={invoiceApi.attachmentUrl(r.id, a.id)} download={a.fileName}>
                        {a.fileName}
                      </a>{" "}
                      <Party address={a.uploadedBy} inline /> <Hash value={a.hash} />
                    </li>
                  ))}
                </ul>
              )}
              {party && (
                <form
                  className="inline-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void act(async () => {
                      await invoiceApi.postMessage(r.id, message.trim());
                      setMessage("");
                    });
                  }}
                >
                  <label>
                    {t("discussion.reply")}
                    <textarea name="disputeMessage" required value={message} onChange={(e) => setMessage(e.target.value)} rows={3} />
                  </label>
                  <button type="submit" className="primary" disabled={busy || !message.trim()}>
                    {t("discussion.postReply")}
                  </button>
                  <label>
                    {t("discussion.attachFile")}
                    <input
                      type="file"
                      name="disputeAttachment"
                      disabled={busy}
                      onChange={(e) => {
                        const f = e.target.files?.[0];
                        if (f) void act(() => invoiceApi.uploadAttachment(r.id, f)).then(() => (e.target.value = ""));
                      }}
                    />
                  </label>
                </form>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
