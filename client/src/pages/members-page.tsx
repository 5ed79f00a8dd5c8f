// The consortium's members (operator and auditors): the registry as the server indexed it, with company
// profiles. The operator admits, suspends and reinstates members here (transactions on the MemberRegistry).
import { useEffect, useState, type FormEvent } from "react";
import { isAddress, type Address, type Hex } from "viem";
import { Role, type RoleName } from "../../../common/roles.ts";
import { ApiError, type MemberJson } from "../api.ts";
import { describeError } from "../chain.ts";
import { DAY_MS, displayDate, isoDay, dayToUnix } from "../format.ts";
import { useSession } from "../session.tsx";
import { Hash, Notice, Party, Spinner } from "../components/bits.tsx";
import { useConfirm } from "../components/confirm-dialog.tsx";
import { StaffPanel } from "../components/staff-panel.tsx";

/** A member as GET /api/members lists it (the type comes from the server's schema). */
type MemberRow = MemberJson;

async function fetchMembers(): Promise<MemberRow[]> {
  const res = await fetch("/api/members", { credentials: "same-origin", headers: { accept: "application/json" } });
  const body = (await res.json().catch(() => ({}))) as { items?: MemberRow[]; error?: { message?: string } };
  if (!res.ok) throw new ApiError(res.status, body.error?.message ?? `HTTP ${res.status}`);
  return body.items ?? [];
}

export function MembersPage() {
  const { chain, wallet, isOperator, roles, revision, ready, refresh } = useSession();
  const { confirm, dialog } = useConfirm();
  const [members, setMembers] = useState<MemberRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<{ tone: "ok" | "error"; text: string; tx?: Hex } | null>(null);
  const [form, setForm] = useState({ address: "", roles: new Set<RoleName>(["Seller"]), expires: isoDay(new Date(Date.now() + 365 * DAY_MS)) });

  useEffect(() => {
    let cancelled = false;
    if (!ready) return;
    fetchMembers()
      .then((m) => {
        if (cancelled) return;
        setMembers(m);
        setError(null);
      })
      .catch((e) => !cancelled && setError(e instanceof ApiError && e.status === 403 ? "The member list is for the operator and auditors." : describeError(e)));
    return () => {
      cancelled = true;
    };
  }, [revision, ready]);

  async function act(label: string, f: () => Promise<Hex>, done: string) {
    setBusy(label);
    setResult(null);
    try {
      const tx = await f();
      setResult({ tone: "ok", text: done, tx });
      refresh();
    } catch (e) {
      setResult({ tone: "error", text: describeError(e) });
    } finally {
      setBusy(null);
    }
  }

  function onAdmit(e: FormEvent) {
    e.preventDefault();
    if (!wallet) return;
    if (!isAddress(form.address)) return setResult({ tone: "error", text: "Enter a valid 0x address." });
    const bits = [...form.roles].reduce((b, r) => b | Role[r], 0);
    void act(
      "Admitting…",
      () => chain.admit(wallet, form.address as Address, bits, BigInt(dayToUnix(form.expires))),
      `Admitted ${form.address} as ${[...form.roles].join(", ")}.`,
    );
  }

  const canManage = isOperator && !!wallet;
  return (
    <section aria-labelledby="members-title">
      <div className="page-head">
        <div>
          <h1 id="members-title">Members</h1>
          <p className="lede">Admitted consortium members, their roles and admission expiry (KYC), as recorded in the member registry.</p>
        </div>
      </div>
      {!isOperator && !roles.includes("Auditor") && <Notice tone="info">Only the operator and auditors see the member list.</Notice>}
      {result && (
        <Notice tone={result.tone}>
          {result.text} {result.tx && <Hash value={result.tx} />}
        </Notice>
      )}
      {canManage && (
        <form className="card form" onSubmit={onAdmit} aria-labelledby="admit-h">
          <h2 id="admit-h">Admit or update a member</h2>
          <div className="form-grid">
            <label>
              Address
              <input name="memberAddress" required value={form.address} onChange={(e) => setForm({ ...form, address: e.target.value.trim() })} placeholder="0x…" />
            </label>
            <fieldset className="role-boxes">
              <legend>Roles</legend>
              {(Object.keys(Role) as RoleName[]).map((r) => (
                <label key={r} className="checkbox">
                  <input
                    type="checkbox"
                    checked={form.roles.has(r)}
                    onChange={(e) => {
                      const next = new Set(form.roles);
                      if (e.target.checked) next.add(r);
                      else next.delete(r);
                      setForm({ ...form, roles: next });
                    }}
                  />
                  {r}
                </label>
              ))}
            </fieldset>
            <label>
              Admission expires
              <input type="date" name="expires" required value={form.expires} onChange={(e) => setForm({ ...form, expires: e.target.value })} />
            </label>
          </div>
          <div className="form-foot">
            <button type="submit" className="primary" disabled={!!busy}>
              Admit member
            </button>
            {busy && <Spinner label={busy} />}
          </div>
        </form>
      )}
      <StaffPanel />
      {error && <Notice tone="warn">{error}</Notice>}
      {dialog}
      {members && (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Company (off-chain profile)</th>
                <th scope="col">Roles</th>
                <th scope="col">Admission expires</th>
                <th scope="col">State</th>
                {canManage && (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.address}>
                  <td>
                    <Party address={m.address} />
                  </td>
                  <td>{m.company ? `${m.company.legalName} (${m.company.taxId})` : <span className="muted">no profile</span>}</td>
                  <td>{m.roles.join(", ") || <span className="muted">none</span>}</td>
                  <td>{displayDate(m.expiresAt)}</td>
                  <td>
                    <span className={`badge ${m.active ? "badge-ok" : m.suspended ? "badge-danger" : "badge-warn"}`}>
                      {m.active ? "Active" : m.suspended ? "Suspended" : "Expired"}
                    </span>
                  </td>
                  {canManage && (
                    <td>
                      {m.suspended ? (
                        <button type="button" className="small" disabled={!!busy} onClick={() => void act("Reinstating…", () => chain.reinstate(wallet!, m.address), `Reinstated ${m.address}.`)}>
                          Reinstate
                        </button>
                      ) : (
                        <button
                          type="button"
                          className="small danger"
                          disabled={!!busy}
                          onClick={async () => {
                            const who = m.company ? `${m.company.legalName} (${m.company.taxId})` : m.address;
                            const ok = await confirm({
                              title: `Suspend ${m.company?.legalName ?? m.address}?`,
                              body: (
                                <>
                                  <p>
                                    Suspending {who}, member {m.address} with the role{m.roles.length === 1 ? "" : "s"} {m.roles.join(", ") || "none"}, stops it
                                    acting on the ledger at once: it can no longer register, confirm, pay, transfer or finance receivables, and offers it signed
                                    can no longer be accepted.
                                  </p>
                                  <p>Its receivables stay as they are. It stays suspended until you reinstate it.</p>
                                </>
                              ),
                              confirmLabel: "Suspend",
                            });
                            if (ok) void act("Suspending…", () => chain.suspend(wallet!, m.address), `Suspended ${m.address}.`);
                          }}
                        >
                          Suspend
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
