// The receivables list: what the signed-in company is owed and owes, filterable and paginated, with the
// actions that are waiting for it.
import { useEffect, useMemo, useRef, useState } from "react";
import { ApiError, type ReceivableJson, type ReceivablePage, type ReceivableQuery } from "../api.ts";
import { describeError } from "../chain.ts";
import { displayDate, idHex, money, relativeDue } from "../format.ts";
import { Outstanding } from "../components/outstanding.tsx";
import { useSession } from "../session.tsx";
import { Notice, Party, StatusBadge, Spinner } from "../components/bits.tsx";
import { InvoiceNumber } from "../components/invoice.tsx";
import { COLLECTABLE, EXPOSURE, OPEN, PAYABLE, STATUSES } from "../../../common/lifecycle.ts";
import { useTranslation } from "../i18n/index.ts";
import type { TFunction } from "i18next";

const PAGE_SIZE = 20;
const SUMMARY_LIMIT = 200;
type View = "all" | "seller" | "buyer" | "holder";

const VIEWS: View[] = ["all", "seller", "buyer", "holder"];

export function ReceivablesPage() {
  const { source, actingFor, roles, revision, ready, reportUnauthorized } = useSession();
  const { t } = useTranslation();
  const [view, setView] = useState<View>("all");
  const [status, setStatus] = useState("");
  const [sort, setSort] = useState("");
  const [dueFrom, setDueFrom] = useState("");
  const [dueTo, setDueTo] = useState("");
  const [search, setSearch] = useState("");
  const [searchQ, setSearchQ] = useState("");
  // Search as the clerk types, without a request per keystroke.
  useEffect(() => {
    const t = setTimeout(() => setSearchQ(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<ReceivablePage | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Refused for a signed-in account: said in the chosen language when shown (not when the answer came).
  const [denied, setDenied] = useState(false);
  const [signedOut, setSignedOut] = useState(false);
  const [loading, setLoading] = useState(true);

  const me = actingFor ?? undefined; // a staff key reads as its member
  const query = useMemo<ReceivableQuery>(() => {
    const q: ReceivableQuery = { limit: PAGE_SIZE, cursor: cursors[cursors.length - 1] ?? null };
    if (status) q.status = status;
    if (sort) q.sort = sort;
    if (dueFrom) q.dueFrom = dueFrom;
    // Inclusive of the whole "to" day.
    if (dueTo) q.dueTo = `${dueTo}T23:59:59Z`;
    if (me && view === "seller") q.seller = me;
    if (me && view === "buyer") q.buyer = me;
    if (me && view === "holder") q.holder = me;
    if (searchQ) q.q = searchQ;
    return q;
  }, [view, status, sort, dueFrom, dueTo, cursors, me, searchQ]);

  // Reset to the first page when the filters or the account change.
  useEffect(() => setCursors([null]), [view, status, sort, dueFrom, dueTo, me, searchQ]);
  useEffect(() => {
    if (!me && view !== "all") setView("all");
  }, [me, view]);

  // Background refreshes (stream, poll) replace the rows in place; only a new query shows the spinner.
  const queryKey = JSON.stringify(query);
  const loadedKey = useRef<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    if (!ready) return;
    if (loadedKey.current !== queryKey) setLoading(true);
    source
      .list(query)
      .then((p) => {
        if (cancelled) return;
        setPage(p);
        setError(null);
        setDenied(false);
        setSignedOut(false);
        loadedKey.current = queryKey;
      })
      .catch((e) => {
        if (cancelled) return;
        if (e instanceof ApiError && e.status === 401) reportUnauthorized();
        setPage(null);
        const denied = e instanceof ApiError && (e.status === 401 || e.status === 403);
        // Not signed in yet is the normal first visit, not an error: the page says what to do instead.
        setSignedOut(denied && !me);
        setDenied(denied && !!me);
        setError(denied ? null : describeError(e));
      })
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [source, query, queryKey, revision, ready, me]);

  const pageNumber = cursors.length;

  return (
    <section aria-labelledby="receivables-title">
      <div className="page-head">
        <div>
          <h1 id="receivables-title">{t("receivables.title")}</h1>
          <p className="lede">{t("receivables.lede")}</p>
        </div>
        {roles.includes("Seller") && (
          <a className="button primary" href="#/register">
            {t("receivables.registerInvoice")}
          </a>
        )}
      </div>

      {me && <Summary me={me} />}

      <form className="filters" aria-label={t("receivables.filtersLabel")} onSubmit={(e) => e.preventDefault()}>
        {source.kind === "api" && (
          <label>
            {t("receivables.search")}
            <input
              type="search"
              name="q"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder={t("receivables.searchPlaceholder")}
              aria-label={t("receivables.searchLabel")}
            />
          </label>
        )}
        <fieldset className="segmented" disabled={!me}>
          <legend className="sr-only">{t("receivables.show")}</legend>
          {VIEWS.map((v) => (
            <label key={v} className={view === v ? "active" : ""}>
              <input type="radio" name="view" value={v} checked={view === v} onChange={() => setView(v)} />
              {t(`receivables.view.${v}`)}
            </label>
          ))}
        </fieldset>
        <label className="inline-field">
          {t("receivables.status")}
          <select value={status} onChange={(e) => setStatus(e.target.value)} name="status">
            <option value="">{t("receivables.anyStatus")}</option>
            {STATUSES.filter((s) => s !== "None").map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          {t("receivables.sort")}
          <select value={sort} onChange={(e) => setSort(e.target.value)} name="sort">
            <option value="">{t("receivables.sortNewest")}</option>
            <option value="dueDate">{t("receivables.sortDueSoonest")}</option>
            <option value="-dueDate">{t("receivables.sortDueLatest")}</option>
            <option value="-faceAmount">{t("receivables.sortLargestAmount")}</option>
            <option value="-outstanding">{t("receivables.sortLargestOutstanding")}</option>
          </select>
        </label>
        {source.kind === "api" && (
          <fieldset className="inline-group">
            <legend>{t("receivables.due")}</legend>
            <label>
              <span className="sr-only">{t("receivables.dueFrom")}</span>
              <input type="date" name="dueFrom" value={dueFrom} onChange={(e) => setDueFrom(e.target.value)} />
            </label>
            <span aria-hidden="true">–</span>
            <label>
              <span className="sr-only">{t("receivables.dueTo")}</span>
              <input type="date" name="dueTo" value={dueTo} min={dueFrom || undefined} onChange={(e) => setDueTo(e.target.value)} />
            </label>
          </fieldset>
        )}
      </form>

      {(error || denied) && <Notice tone="error">{t("receivables.loadError", { error: error ?? t("receivables.deniedError") })}</Notice>}
      {signedOut && <Notice tone="info">{t("receivables.signedOut")}</Notice>}

      <div className="table-wrap">
        <table className="data-table" aria-describedby="receivables-title">
          <thead>
            <tr>
              <th scope="col">{t("receivables.col.receivable")}</th>
              <th scope="col">{t("receivables.col.seller")}</th>
              <th scope="col">{t("receivables.col.buyer")}</th>
              <th scope="col" className="num">
                {t("receivables.col.faceAmount")}
              </th>
              <th scope="col" className="num">
                {t("receivables.col.outstanding")}
              </th>
              <th scope="col">{t("receivables.col.due")}</th>
              <th scope="col">{t("receivables.col.status")}</th>
              <th scope="col">
                <span className="sr-only">{t("receivables.col.nextStep")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page?.items.map((r) => (
              <Row key={r.id} r={r} me={me} />
            ))}
            {page && page.items.length === 0 && (
              <tr>
                <td colSpan={8} className="empty">
                  {t("receivables.empty")}
                </td>
              </tr>
            )}
            {!page && !error && !denied && loading && (
              <tr>
                <td colSpan={8} className="empty">
                  {t("common.loading")}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      <nav className="pager" aria-label={t("receivables.pagesLabel")}>
        <span className="filters-status" aria-live="polite">
          {loading ? (
            <Spinner label={t("common.loading")} />
          ) : page?.block ? (
            <span className="muted">{t("receivables.asOfBlock", { block: page.block.number })}</span>
          ) : null}
        </span>
        <button type="button" onClick={() => setCursors((c) => c.slice(0, -1))} disabled={pageNumber <= 1}>
          {t("receivables.previous")}
        </button>
        <span>{t("receivables.page", { page: pageNumber })}</span>
        <button type="button" onClick={() => page?.nextCursor && setCursors((c) => [...c, page.nextCursor!])} disabled={!page?.nextCursor}>
          {t("receivables.next")}
        </button>
      </nav>
    </section>
  );
}

function nextStep(r: ReceivableJson, me: string | undefined, t: TFunction): string | null {
  if (!me) return null;
  const mine = (a: string) => a.toLowerCase() === me.toLowerCase();
  if (mine(r.buyer) && r.status === "Registered") return t("receivables.step.reviewConfirm");
  if (mine(r.buyer) && PAYABLE.has(r.status)) return t("receivables.step.pay");
  if (mine(r.buyer) && r.status === "Disputed") return t("receivables.step.review");
  if (mine(r.seller) && r.status === "Disputed") return t("receivables.step.resolveDispute");
  return null;
}

function Row(props: { r: ReceivableJson; me: string | undefined }) {
  const { r, me } = props;
  const { t } = useTranslation();
  const href = `#/receivables/${r.id}`;
  const open = OPEN.has(r.status);
  // Overdue is the server's one definition (chain time); the relative text only describes the due date.
  const overdue = r.overdue === true;
  const step = nextStep(r, me, t);
  return (
    <tr data-id={r.id}>
      <td>
        <a
          href={href}
          className="id-link"
          aria-label={r.invoice?.number ? t("receivables.rowLabel", { number: r.invoice.number, id: r.id }) : t("receivables.rowLabelNoNumber", { id: r.id })}
        >
          <InvoiceNumber r={r} />
        </a>
        {idHex(r.parentId) && (
          <span className="tag" title={t("receivables.partOf", { id: idHex(r.parentId) })}>
            {t("receivables.part")}
          </span>
        )}
      </td>
      <td>
        <Party address={r.seller} />
      </td>
      <td>
        <Party address={r.buyer} />
      </td>
      <td className="num">{money(r.faceAmount)}</td>
      <td className="num">
        <Outstanding r={r} />
      </td>
      <td>
        <span className="due">
          {displayDate(r.dueDate)}
          {open && (
            <span className={overdue ? "due-rel overdue" : "due-rel"} data-overdue={overdue ? "true" : "false"}>
              {overdue ? t("due.overdue", { count: r.daysOverdue }) : relativeDue(r.dueDate)}
            </span>
          )}
        </span>
      </td>
      <td>
        <StatusBadge status={r.status} />
      </td>
      <td>
        {step && (
          <a className="button small" href={href}>
            {step}
          </a>
        )}
      </td>
    </tr>
  );
}

/** At-a-glance totals for the selected company: what it is owed and what it owes. */
function Summary(props: { me: string }) {
  const { source, revision, roles, ready } = useSession();
  const { t } = useTranslation();
  const [data, setData] = useState<{ asSeller: ReceivableJson[]; asHolder: ReceivableJson[]; asBuyer: ReceivableJson[]; truncated: boolean } | null>(null);

  useEffect(() => {
    let cancelled = false;
    if (!ready) return;
    Promise.all([
      source.list({ seller: props.me as `0x${string}`, limit: SUMMARY_LIMIT }),
      source.list({ buyer: props.me as `0x${string}`, limit: SUMMARY_LIMIT }),
      // "Owed to you" is what the company holds as creditor: not what it sold or passed on, but parts passed to it.
      source.list({ holder: props.me as `0x${string}`, limit: SUMMARY_LIMIT }),
    ])
      .then(
        ([s, b, h]) =>
          !cancelled && setData({ asSeller: s.items, asHolder: h.items, asBuyer: b.items, truncated: !!(s.nextCursor || b.nextCursor || h.nextCursor) }),
      )
      .catch(() => !cancelled && setData(null));
    return () => {
      cancelled = true;
    };
  }, [source, props.me, revision, ready]);

  // What is claimed: registered (not disputed) or confirmed and not settled, as a credit limit counts it.
  const open = (r: ReceivableJson) => EXPOSURE.has(r.status);
  const sum = (rs: ReceivableJson[]) => rs.reduce((t, r) => t + BigInt(r.outstanding), 0n);
  const sellerOpen = data?.asSeller.filter(open) ?? [];
  const heldOpen = data?.asHolder.filter(open) ?? [];
  const buyerOpen = data?.asBuyer.filter(open) ?? [];
  const cards: { label: string; value: string; hint: string }[] = [];
  const sells = (data?.asSeller.length ?? 0) > 0 || (roles.includes("Seller") && !roles.includes("Buyer"));
  if (sells) {
    cards.push(
      { label: t("receivables.summary.owedToYou"), value: money(sum(heldOpen)), hint: t("receivables.summary.owedHint", { count: heldOpen.length }) },
      {
        label: t("receivables.summary.awaitingConfirmation"),
        value: String(sellerOpen.filter((r) => r.status === "Registered").length),
        hint: t("receivables.summary.awaitingHint"),
      },
    );
  }
  if (roles.includes("Buyer") || (data?.asBuyer.length ?? 0) > 0) {
    const toConfirm = buyerOpen.filter((r) => r.status === "Registered").length;
    const overdue = buyerOpen.filter((r) => r.overdue === true).length;
    cards.push(
      {
        label: t("receivables.summary.youOwe"),
        value: money(sum(buyerOpen.filter((r) => COLLECTABLE.has(r.status)))),
        hint: overdue ? t("receivables.summary.overdueCount", { n: overdue }) : t("receivables.summary.noneOverdue"),
      },
      { label: t("receivables.summary.toConfirm"), value: String(toConfirm), hint: t("receivables.summary.toConfirmHint") },
    );
  }
  if (!data || cards.length === 0) return null;
  return (
    <ul className="summary" aria-label={t("receivables.summary.label")}>
      {cards.map((c) => (
        <li key={c.label} className="card stat">
          <span className="stat-label">{c.label}</span>
          <span className="stat-value">{c.value}</span>
          <span className="stat-hint">{data.truncated ? t("receivables.summary.truncated", { hint: c.hint }) : c.hint}</span>
        </li>
      ))}
    </ul>
  );
}
