// The consortium's members (operator and auditors): the registry as the server indexed it, with company
// profiles. The operator admits, suspends and reinstates members here (transactions on the MemberRegistry).
// Strings come from the members catalog part (client/src/i18n/members/), registered by this chunk.
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
import { i18n, useTranslation } from "../i18n/index.ts";
import { addCatalogPart } from "../i18n/parts.ts";
import { membersEn } from "../i18n/members/en.ts";
import { membersZhCN } from "../i18n/members/zh-CN.ts";

// The members page's strings come with this chunk (the first route bundles only the main catalog).
addCatalogPart("members", { en: membersEn, "zh-CN": membersZhCN });

/** Role names in the chosen language ("Seller, Financier" / "供应商、资金方"); the main catalog's `role.*`. */
const roleList = (roles: readonly string[]) => roles.map((r) => i18n.t(`role.${r}`, { defaultValue: r })).join(i18n.t("members.roleSeparator"));

/** A member as GET /api/members lists it (the type comes from the server's schema). */
type MemberRow = MemberJson;

async function fetchMembers(): Promise<MemberRow[]> {
  const res = await fetch("/api/members", { credentials: "same-origin", headers: { accept: "application/json" } });
  const body = (await res.json().catch(() => ({}))) as { items?: MemberRow[]; error?: { message?: string } };
  if (!res.ok) throw new ApiError(res.status, body.error?.message ?? `HTTP ${res.status}`);
  return body.items ?? [];
}

export function MembersPage() {
  const { t } = useTranslation();
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
      .catch((e) => !cancelled && setError(e instanceof ApiError && e.status === 403 ? i18n.t("members.forbidden") : describeError(e)));
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
    if (!isAddress(form.address)) return setResult({ tone: "error", text: t("members.invalidAddress") });
    const bits = [...form.roles].reduce((b, r) => b | Role[r], 0);
    void act(
      t("members.admitting"),
      () => chain.admit(wallet, form.address as Address, bits, BigInt(dayToUnix(form.expires))),
      t("members.admitted", { address: form.address, roles: roleList([...form.roles]) }),
    );
  }

  const canManage = isOperator && !!wallet;
  return (
    <section aria-labelledby="members-title">
      <div className="page-head">
        <div>
          <h1 id="members-title">{t("members.title")}</h1>
          <p className="lede">{t("members.lede")}</p>
        </div>
      </div>
      {!isOperator && !roles.includes("Auditor") && <Notice tone="info">{t("members.onlyOperator")}</Notice>}
      {result && (
        <Notice tone={result.tone}>
          {result.text} {result.tx && <Hash value={result.tx} />}
        </Notice>
      )}
      {canManage && (
        <form className="card form" onSubmit={onAdmit} aria-labelledby="admit-h">
          <h2 id="admit-h">{t("members.admitTitle")}</h2>
          <div className="form-grid">
            <label>
              {t("members.address")}
              <input
                name="memberAddress"
                required
                value={form.address}
                onChange={(e) => setForm({ ...form, address: e.target.value.trim() })}
                placeholder="0x…"
              />
            </label>
            <fieldset className="role-boxes">
              <legend>{t("members.roles")}</legend>
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
                  {t(`role.${r}`)}
                </label>
              ))}
            </fieldset>
            <label>
              {t("members.expires")}
              <input type="date" name="expires" required value={form.expires} onChange={(e) => setForm({ ...form, expires: e.target.value })} />
            </label>
          </div>
          <div className="form-foot">
            <button type="submit" className="primary" disabled={!!busy}>
              {t("members.admit")}
            </button>
            {busy && <Spinner label={busy} />}
          </div>
        </form>
      )}
      <StaffPanel />
      {error && <Notice tone="warn">{error}</Notice>}
      {dialog}
      {members && (
        <div className="table-wrap members-table">
          <table className="data-table" aria-label={t("members.tableLabel")}>
            <thead>
              <tr>
                <th scope="col">{t("members.col.member")}</th>
                <th scope="col">{t("members.col.company")}</th>
                <th scope="col">{t("members.col.roles")}</th>
                <th scope="col">{t("members.col.expires")}</th>
                <th scope="col">{t("members.col.state")}</th>
                {canManage && (
                  <th scope="col">
                    <span className="sr-only">{t("members.col.actions")}</span>
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
                  <td>{m.company ? `${m.company.legalName} (${m.company.taxId})` : <span className="muted">{t("members.noProfile")}</span>}</td>
                  <td>{roleList(m.roles) || <span className="muted">{t("members.noRoles")}</span>}</td>
                  <td>{displayDate(m.expiresAt)}</td>
                  <td>
                    <span className={`badge ${m.active ? "badge-ok" : m.suspended ? "badge-danger" : "badge-warn"}`}>
                      {m.active ? t("members.active") : m.suspended ? t("members.suspendedState") : t("members.expired")}
                    </span>
                  </td>
                  {canManage && (
                    <td>
                      {m.suspended ? (
                        <button
                          type="button"
                          className="small"
                          disabled={!!busy}
                          onClick={() =>
                            void act(t("members.reinstating"), () => chain.reinstate(wallet!, m.address), t("members.reinstated", { address: m.address }))
                          }
                        >
                          {t("members.reinstate")}
                        </button>
                      ) : (
                        <button
                          type="button"
                          className="small danger"
                          disabled={!!busy}
                          onClick={async () => {
                            const who = m.company ? `${m.company.legalName} (${m.company.taxId})` : m.address;
                            const ok = await confirm({
                              title: t("members.suspendTitle", { name: m.company?.legalName ?? m.address }),
                              body: (
                                <>
                                  <p>
                                    {t("members.suspendBody", {
                                      count: m.roles.length,
                                      who,
                                      address: m.address,
                                      roles: roleList(m.roles) || t("members.noRoles"),
                                    })}
                                  </p>
                                  <p>{t("members.suspendStays")}</p>
                                </>
                              ),
                              confirmLabel: t("members.suspend"),
                            });
                            if (ok) void act(t("members.suspending"), () => chain.suspend(wallet!, m.address), t("members.suspended", { address: m.address }));
                          }}
                        >
                          {t("members.suspend")}
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
