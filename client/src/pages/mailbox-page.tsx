// The embedded mailbox (issue 12): the e-mail the outbox sent, as the in-process SMTP receiver caught it, so a demo
// user sees the reminders that went out. The server decides who sees which message (sender, addressee, operator).
import { useEffect, useState } from "react";
import { ApiError } from "../api.ts";
import { describeError } from "../chain.ts";
import { useSession } from "../session.tsx";
import { Notice, Spinner } from "../components/bits.tsx";
import { useTranslation, formatDate } from "../i18n/index.ts";
import { notificationsApi, type CaughtMail, type CaughtMailSummary } from "../notifications-api.ts";

const time = (iso: string) => `${formatDate(iso)} ${new Date(iso).toISOString().slice(11, 16)} UTC`;

export function MailboxPage() {
  const { t } = useTranslation();
  const { ready, revision } = useSession();
  const [items, setItems] = useState<CaughtMailSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [open, setOpen] = useState<CaughtMail | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!ready) return;
    let cancelled = false;
    notificationsApi
      .mailbox()
      .then((r) => !cancelled && (setItems(r.items), setError(null)))
      .catch((e) => {
        if (cancelled) return;
        if (e instanceof ApiError && e.status === 404) setUnavailable(true);
        else setError(describeError(e));
      });
    return () => {
      cancelled = true;
    };
  }, [ready, revision, tick]);

  async function show(id: number) {
    try {
      setOpen(await notificationsApi.mail(id));
    } catch (e) {
      setError(describeError(e));
    }
  }

  return (
    <section aria-labelledby="mailbox-title">
      <div className="page-head">
        <div>
          <h1 id="mailbox-title">{t("mailbox.title")}</h1>
          <p className="lede">{t("mailbox.intro")}</p>
        </div>
        <button type="button" className="small" onClick={() => setTick((n) => n + 1)}>
          {t("mailbox.refresh")}
        </button>
      </div>
      {unavailable && <Notice tone="info">{t("mailbox.unavailable")}</Notice>}
      {error && <Notice tone="error">{error}</Notice>}
      {!items && !error && !unavailable && <Spinner label={t("mailbox.loading")} />}
      {items && items.length === 0 && <Notice tone="info">{t("mailbox.empty")}</Notice>}
      {items && items.length > 0 && (
        <div className="mailbox">
          <div className="table-wrap">
            <table className="data-table" aria-label={t("mailbox.title")}>
              <thead>
                <tr>
                  <th scope="col">{t("mailbox.received")}</th>
                  <th scope="col">{t("mailbox.to")}</th>
                  <th scope="col">{t("mailbox.subject")}</th>
                  <th scope="col">{t("mailbox.deliveries")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((m) => (
                  <tr key={m.id} aria-selected={open?.id === m.id}>
                    <td className="num">{time(m.receivedAt)}</td>
                    <td>{m.to.join(", ")}</td>
                    <td>
                      <button type="button" className="link" onClick={() => void show(m.id)}>
                        {m.subject}
                      </button>
                      <div className="muted mail-preview">{m.preview}</div>
                    </td>
                    <td>{m.deliveries === 1 ? t("mailbox.deliveredOnce") : t("mailbox.deliveredTimes", { count: m.deliveries })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <article className="card mail-view" aria-live="polite">
            {open ? (
              <>
                <h2>{open.subject}</h2>
                <dl className="mail-head">
                  <dt>{t("mailbox.from")}</dt>
                  <dd>{open.from}</dd>
                  <dt>{t("mailbox.to")}</dt>
                  <dd>{open.to.join(", ")}</dd>
                  <dt>{t("mailbox.received")}</dt>
                  <dd>{time(open.receivedAt)}</dd>
                </dl>
                <pre className="mail-text" lang={open.language ?? undefined}>
                  {open.text}
                </pre>
              </>
            ) : (
              <p className="muted">{t("mailbox.choose")}</p>
            )}
          </article>
        </div>
      )}
    </section>
  );
}
