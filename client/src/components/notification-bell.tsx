// The top bar's bell (issue 12): the signed-in person's unread in-app notifications, a short list, a link to the
// mailbox. Loaded lazily by the shell, so it adds nothing to the first route's JavaScript.
import { useEffect, useState } from "react";
import { useSession } from "../session.tsx";
import { useTranslation, formatDate } from "../i18n/index.ts";
import { notificationsApi, type NotificationItem } from "../notifications-api.ts";

const POLL_INTERVAL_MS = 30_000;

export function NotificationBell() {
  const { t } = useTranslation();
  const { ready, revision } = useSession();
  const [state, setState] = useState<{ unread: number; items: NotificationItem[] } | null>(null);
  const [open, setOpen] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!ready) return;
    let cancelled = false;
    notificationsApi
      .notifications()
      .then((r) => !cancelled && setState(r))
      .catch(() => !cancelled && setState(null));
    const timer = setTimeout(() => setTick((n) => n + 1), POLL_INTERVAL_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [ready, revision, tick]);

  async function markRead(id: number) {
    await notificationsApi.markRead(id).catch(() => undefined);
    setTick((n) => n + 1);
  }

  const unread = state?.unread ?? 0;
  return (
    <div className="bell">
      <button type="button" aria-expanded={open} aria-label={`${t("bell.label")}: ${t("bell.unread", { count: unread })}`} onClick={() => setOpen((o) => !o)}>
        <span aria-hidden="true">🔔</span>
        {unread > 0 && (
          <span className="bell-count" data-testid="bell-count">
            {unread}
          </span>
        )}
      </button>
      {open && (
        <div className="bell-panel" role="dialog" aria-label={t("bell.label")}>
          {!state || state.items.length === 0 ? (
            <p className="muted">{t("bell.none")}</p>
          ) : (
            <ul>
              {state.items.map((n) => (
                <li key={n.id} className={n.readAt ? undefined : "unread"}>
                  <strong>{n.title}</strong>
                  <div>{n.body}</div>
                  <div className="muted">{formatDate(n.createdAt)}</div>
                  <div className="bell-actions">
                    {n.link?.startsWith("#/") && (
                      <a href={n.link} onClick={() => setOpen(false)}>
                        {t("bell.open")}
                      </a>
                    )}
                    {!n.readAt && (
                      <button type="button" className="link" onClick={() => void markRead(n.id)}>
                        {t("bell.markRead")}
                      </button>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
          {/* biome-ignore lint/a11y/useValidAnchor: a real link (href) that also closes the popup */}
          <a className="bell-footer" href="#/mailbox" onClick={() => setOpen(false)}>
            {t("mailbox.title")}
          </a>
        </div>
      )}
    </div>
  );
}
