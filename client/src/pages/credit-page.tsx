// Credit profiles per counterparty (as a debtor): score and tier from the ledger's payment history, the reasons,
// the credit limit, exposure and limit use. The operator (credit analyst) sets a buyer's limit.
import { useEffect, useState, type FormEvent } from "react";
import { parseAmount } from "../../../common/money.ts";
import { financingApi, type CreditProfileJson } from "../api.ts";
import { describeError } from "../chain.ts";
import { money } from "../format.ts";
import { useSession } from "../session.tsx";
import { Notice, Party, Spinner } from "../components/bits.tsx";

function LimitForm(props: { p: CreditProfileJson; onSaved: () => void }) {
  const { p } = props;
  const [limit, setLimit] = useState(p.limit ? money(p.limit).replace(/,/g, "") : "");
  const [rating, setRating] = useState(p.externalRating ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    let units: bigint;
    try {
      units = parseAmount(limit);
    } catch (err) {
      return setError(describeError(err));
    }
    setBusy(true);
    try {
      await financingApi.setLimit(p.address, { limit: units.toString(), ...(rating.trim() ? { externalRating: rating.trim() } : {}) });
      props.onSaved();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="inline-form limit-form" onSubmit={onSubmit} aria-label={`Credit limit for ${p.address}`}>
      <label>
        Credit limit
        <input name="creditLimit" inputMode="decimal" required value={limit} onChange={(e) => setLimit(e.target.value)} />
      </label>
      <label>
        External rating
        <input name="externalRating" value={rating} placeholder="e.g. BBB+" onChange={(e) => setRating(e.target.value)} />
      </label>
      <button type="submit" className="primary small" disabled={busy}>
        Save limit
      </button>
      {busy && <Spinner label="Saving…" />}
      {error && <Notice tone="error">{error}</Notice>}
    </form>
  );
}

export function CreditPage() {
  const { revision, ready, isOperator, account, refresh } = useSession();
  const [items, setItems] = useState<CreditProfileJson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => setEditing(null), [account?.address]);
  useEffect(() => {
    let cancelled = false;
    if (!ready) return;
    financingApi
      .creditProfiles()
      .then((x) => {
        if (cancelled) return;
        setItems(x.items);
        setError(null);
      })
      .catch((e) => !cancelled && setError(describeError(e)));
    return () => {
      cancelled = true;
    };
  }, [revision, ready, account?.address]);

  return (
    <section aria-labelledby="credit-title">
      <div className="page-head">
        <div>
          <h1 id="credit-title">Credit</h1>
          <p className="lede">
            Each buyer's credit as a debtor: a score and tier from its payment history on the ledger, the reasons, and its exposure (open confirmed
            and registered receivables) against the credit limit the consortium's credit analyst sets.
          </p>
        </div>
      </div>
      {error && <Notice tone="error">Could not load the credit profiles: {error}</Notice>}
      {saved && <Notice tone="ok">{saved}</Notice>}
      {!items && !error && <Spinner label="Loading credit profiles…" />}
      {items && (
        <div className="table-wrap">
          <table className="data-table credit-table">
            <thead>
              <tr>
                <th scope="col">Counterparty</th>
                <th scope="col">Tier</th>
                <th scope="col" className="num">
                  Score
                </th>
                <th scope="col">Reasons</th>
                <th scope="col" className="num">
                  Limit
                </th>
                <th scope="col" className="num">
                  Exposure
                </th>
                <th scope="col" className="num">
                  Limit use
                </th>
                <th scope="col" className="num">
                  DSO
                </th>
                {isOperator && (
                  <th scope="col">
                    <span className="sr-only">Set limit</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {items.map((p) => [
                <tr key={p.address} data-address={p.address.toLowerCase()}>
                  <td>
                    <Party address={p.address} />
                  </td>
                  <td>
                    <span className={`tier tier-${p.tier}`}>Tier {p.tier}</span>
                    {p.externalRating && <span className="muted small"> · rated {p.externalRating}</span>}
                  </td>
                  <td className="num">{p.score ?? <span className="muted">no history</span>}</td>
                  <td className="reasons">
                    {p.reasons.length === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      <ul>
                        {p.reasons.map((r) => (
                          <li key={r}>{r}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="num" data-field="limit">
                    {p.limit === null ? <span className="muted">none set</span> : money(p.limit)}
                  </td>
                  <td className="num">
                    {money(p.exposure)}
                    <span className="muted small"> ({p.openCount} open)</span>
                  </td>
                  <td className="num" data-field="limit-use">
                    {p.limitUsePct === null ? (
                      <span className="muted">—</span>
                    ) : (
                      <span className={p.limitUsePct > 100 ? "error-text" : p.limitUsePct > 80 ? "warn-text" : ""}>{p.limitUsePct.toFixed(1)}%</span>
                    )}
                  </td>
                  <td className="num">{p.dsoDays === null ? "—" : `${p.dsoDays.toFixed(0)} days`}</td>
                  {isOperator && (
                    <td>
                      <button type="button" className="small" aria-expanded={editing === p.address} onClick={() => setEditing(editing === p.address ? null : p.address)}>
                        Set limit…
                      </button>
                    </td>
                  )}
                </tr>,
                editing === p.address ? (
                  <tr key={`${p.address}-limit`} className="offer-row">
                    <td colSpan={9}>
                      <LimitForm
                        p={p}
                        onSaved={() => {
                          setEditing(null);
                          setSaved("Credit limit saved.");
                          refresh();
                        }}
                      />
                    </td>
                  </tr>
                ) : null,
              ])}
              {items.length === 0 && (
                <tr>
                  <td colSpan={9} className="empty">
                    No counterparties yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
