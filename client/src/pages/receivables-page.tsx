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
import { STATUSES } from "../../../common/domain.ts";

const PAGE_SIZE = 20;
const SUMMARY_LIMIT = 200;
type View = "all" | "seller" | "buyer" | "holder";

const VIEW_LABELS: Record<View, string> = {
  all: "All",
  seller: "Issued by me",
  buyer: "Addressed to me",
  holder: "Held by me",
};

export function ReceivablesPage() {
  const { source, account, actingFor, roles, revision, ready, reportUnauthorized } = useSession();
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
        setError(
          denied
            ? me
              ? "this account may not see these receivables (sign-in is required; receivables are visible to their parties only)."
              : null
            : describeError(e),
        );
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
          <h1 id="receivables-title">Receivables</h1>
          <p className="lede">Invoices registered on the consortium ledger, with their confirmation and payment state.</p>
        </div>
        {roles.includes("Seller") && (
          <a className="button primary" href="#/register">
            Register invoice
          </a>
        )}
      </div>

      {me && <Summary me={me} />}

      <form className="filters" aria-label="Filter receivables" onSubmit={(e) => e.preventDefault()}>
        {source.kind === "api" && (
          <label>
            Search
            <input
              type="search" name="q" value={search} onChange={(e) => setSearch(e.target.value)}
              placeholder="Invoice number, counterparty or amount" aria-label="Search by invoice number, counterparty or amount"
            />
          </label>
        )}
        <fieldset className="segmented" disabled={!me}>
          <legend className="sr-only">Show</legend>
          {(Object.keys(VIEW_LABELS) as View[]).map((v) => (
            <label key={v} className={view === v ? "active" : ""}>
              <input type="radio" name="view" value={v} checked={view === v} onChange={() => setView(v)} />
              {VIEW_LABELS[v]}
            </label>
          ))}
        </fieldset>
        <label className="inline-field">
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)} name="status">
            <option value="">Any status</option>
            {STATUSES.filter((s) => s !== "None").map((s) => (
              <option key={s} value={s}>
                {s === "WrittenOff" ? "Written off" : s}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          Sort
          <select value={sort} onChange={(e) => setSort(e.target.value)} name="sort">
            <option value="">Newest</option>
            <option value="dueDate">Due soonest</option>
            <option value="-dueDate">Due latest</option>
            <option value="-faceAmount">Largest amount</option>
            <option value="-outstanding">Largest outstanding</option>
          </select>
        </label>
        {source.kind === "api" && (
          <fieldset className="inline-group">
            <legend>Due</legend>
            <label>
              <span className="sr-only">Due from</span>
              <input type="date" name="dueFrom" value={dueFrom} onChange={(e) => setDueFrom(e.target.value)} />
            </label>
            <span aria-hidden="true">–</span>
            <label>
              <span className="sr-only">Due to</span>
              <input type="date" name="dueTo" value={dueTo} min={dueFrom || undefined} onChange={(e) => setDueTo(e.target.value)} />
            </label>
          </fieldset>
        )}
      </form>

      {error && <Notice tone="error">Could not load receivables: {error}</Notice>}
      {signedOut && (
        <Notice tone="info">
          Choose an account at the top right to sign in. Each member sees what its role may see: sellers the invoices
          they issued, buyers those addressed to them, financiers listed and held receivables, auditors everything.
        </Notice>
      )}

      <div className="table-wrap">
        <table className="data-table" aria-describedby="receivables-title">
          <thead>
            <tr>
              <th scope="col">Receivable</th>
              <th scope="col">Seller</th>
              <th scope="col">Buyer</th>
              <th scope="col" className="num">
                Face amount
              </th>
              <th scope="col" className="num">
                Outstanding
              </th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Next step</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page?.items.map((r) => <Row key={r.id} r={r} me={me} />)}
            {page && page.items.length === 0 && (
              <tr>
                <td colSpan={8} className="empty">
                  No receivables match these filters.
                </td>
              </tr>
            )}
            {!page && !error && loading && (
              <tr>
                <td colSpan={8} className="empty">
                  Loading…
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      <nav className="pager" aria-label="Pages">
        <span className="filters-status" aria-live="polite">
          {loading ? <Spinner label="Loading…" /> : page?.block ? <span className="muted">As of block {page.block.number}</span> : null}
        </span>
        <button type="button" onClick={() => setCursors((c) => c.slice(0, -1))} disabled={pageNumber <= 1}>
          ← Previous
        </button>
        <span>Page {pageNumber}</span>
        <button
          type="button"
          onClick={() => page?.nextCursor && setCursors((c) => [...c, page.nextCursor!])}
          disabled={!page?.nextCursor}
        >
          Next →
        </button>
      </nav>
    </section>
  );
}

function nextStep(r: ReceivableJson, me: string | undefined): string | null {
  if (!me) return null;
  const mine = (a: string) => a.toLowerCase() === me.toLowerCase();
  if (mine(r.buyer) && r.status === "Registered") return "Review & confirm";
  if (mine(r.buyer) && (r.status === "Confirmed" || r.status === "Defaulted")) return "Pay";
  if (mine(r.buyer) && r.status === "Disputed") return "Review";
  if (mine(r.seller) && r.status === "Disputed") return "Resolve dispute";
  return null;
}

function Row(props: { r: ReceivableJson; me: string | undefined }) {
  const { r, me } = props;
  const href = `#/receivables/${r.id}`;
  const open = r.status === "Registered" || r.status === "Confirmed" || r.status === "Disputed" || r.status === "Defaulted";
  // Overdue is the server's one definition (chain time); the relative text only describes the due date.
  const overdue = r.overdue === true;
  const step = nextStep(r, me);
  return (
    <tr data-id={r.id}>
      <td>
        <a href={href} className="id-link" aria-label={`Receivable ${r.invoice?.number ? r.invoice.number + " " : ""}${r.id}`}>
          <InvoiceNumber r={r} />
        </a>
        {idHex(r.parentId) && (
          <span className="tag" title={`Part of ${idHex(r.parentId)}`}>
            part
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
              {overdue ? `${r.daysOverdue} day${r.daysOverdue === 1 ? "" : "s"} overdue` : relativeDue(r.dueDate)}
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

  const open = (r: ReceivableJson) => r.status === "Registered" || r.status === "Confirmed" || r.status === "Defaulted";
  const sum = (rs: ReceivableJson[]) => rs.reduce((t, r) => t + BigInt(r.outstanding), 0n);
  const sellerOpen = data?.asSeller.filter(open) ?? [];
  const heldOpen = data?.asHolder.filter(open) ?? [];
  const buyerOpen = data?.asBuyer.filter(open) ?? [];
  const cards: { label: string; value: string; hint: string }[] = [];
  const sells = (data?.asSeller.length ?? 0) > 0 || (roles.includes("Seller") && !roles.includes("Buyer"));
  if (sells) {
    cards.push(
      { label: "Owed to you", value: money(sum(heldOpen)), hint: `${heldOpen.length} open receivable${heldOpen.length === 1 ? "" : "s"} you hold` },
      {
        label: "Awaiting buyer confirmation",
        value: String(sellerOpen.filter((r) => r.status === "Registered").length),
        hint: "registered, not yet confirmed",
      },
    );
  }
  if (roles.includes("Buyer") || (data?.asBuyer.length ?? 0) > 0) {
    const toConfirm = buyerOpen.filter((r) => r.status === "Registered").length;
    const overdue = buyerOpen.filter((r) => r.overdue === true).length;
    cards.push(
      { label: "You owe (confirmed)", value: money(sum(buyerOpen.filter((r) => r.status !== "Registered"))), hint: overdue ? `${overdue} overdue` : "none overdue" },
      { label: "Invoices to confirm", value: String(toConfirm), hint: "addressed to you, not yet confirmed" },
    );
  }
  if (!data || cards.length === 0) return null;
  return (
    <ul className="summary" aria-label="Summary">
      {cards.map((c) => (
        <li key={c.label} className="card stat">
          <span className="stat-label">{c.label}</span>
          <span className="stat-value">{c.value}</span>
          <span className="stat-hint">
            {c.hint}
            {data.truncated ? " (first 200)" : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}
