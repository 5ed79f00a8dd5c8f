// People inside a member: the member's administrator (its own key) lists, adds, changes and removes its staff;
// a staff key sees its colleagues. The header's PersonLine says who is signed in and for which member.
import { useEffect, useState, type FormEvent } from "react";
import { DESK_ROLES, type DeskRole } from "../../../common/desk-roles.ts";
import { parseAmount } from "../../../common/money.ts";
import { request } from "../api.ts";
import { Trans } from "react-i18next";
import { i18n, useTranslation } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { displayDate, money } from "../format.ts";
import { useSession } from "../session.tsx";
import { Notice, Party, Spinner } from "./bits.tsx";

interface StaffRow {
  id: string;
  address: string;
  name: string;
  deskRoles: DeskRole[];
  authorityAmount: string | null;
  active: boolean;
  addedBy: string;
  addedAt: string;
  updatedBy: string;
  updatedAt: string;
  removedBy: string | null;
  removedAt: string | null;
}

/** Desk roles by their catalog names (`deskRole.*`), in the chosen language. */
const roleList = (roles: readonly DeskRole[]) => roles.map((r) => i18n.t(`deskRole.${r}`)).join(i18n.t("staff.roleSeparator"));

/** "Anna Schmidt · staff of Acme Components Ltd · AR clerk" when a staff key is signed in; nothing otherwise. */
export function PersonLine() {
  const { signIn, companyOf } = useSession();
  const { t } = useTranslation();
  if (signIn.state !== "signed-in" || !signIn.person || signIn.person.administrator) return null;
  const company = companyOf(signIn.member);
  return (
    <span className="person-line" data-person={signIn.person.address} data-member={signIn.member}>
      {t("staff.personLine", {
        name: signIn.person.name ?? t("staff.staffFallback"),
        company: company?.name ?? signIn.member,
        roles: roleList(signIn.person.deskRoles),
      })}
    </span>
  );
}

function RoleBoxes(props: { value: Set<DeskRole>; onChange(next: Set<DeskRole>): void; name: string }) {
  const { t } = useTranslation();
  return (
    <fieldset className="role-boxes">
      <legend>{t("staff.deskRoles")}</legend>
      {DESK_ROLES.map((r) => (
        <label key={r} className="checkbox">
          <input
            type="checkbox"
            name={`${props.name}-${r}`}
            checked={props.value.has(r)}
            onChange={(e) => {
              const next = new Set(props.value);
              if (e.target.checked) next.add(r);
              else next.delete(r);
              props.onChange(next);
            }}
          />
          {t(`deskRole.${r}`)}
        </label>
      ))}
    </fieldset>
  );
}

const EMPTY = { address: "", name: "", roles: new Set<DeskRole>(["arClerk"]), authority: "" };

export function StaffPanel() {
  const { signIn, ready, revision } = useSession();
  const { t } = useTranslation();
  const member = signIn.state === "signed-in" ? signIn.member : null;
  const administrator = signIn.state === "signed-in" && !!signIn.person?.administrator;
  const [rows, setRows] = useState<StaffRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState(EMPTY);
  const [editing, setEditing] = useState<{ address: string; roles: Set<DeskRole>; authority: string } | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let cancelled = false;
    if (!ready || !member) return;
    request<{ items: StaffRow[] }>("GET", `/api/members/${member}/staff`)
      .then((b) => !cancelled && (setRows(b.items), setError(null)))
      .catch((e) => !cancelled && setError(errorText(e)));
    return () => {
      cancelled = true;
    };
  }, [member, ready, revision, reload]);

  if (!member) return null;
  const path = `/api/members/${member}/staff`;
  const authorityOf = (roles: Set<DeskRole>, text: string) => (roles.has("creditApprover") ? { authorityAmount: parseAmount(text).toString() } : {});

  async function act(f: () => Promise<unknown>, done: string) {
    setBusy(true);
    setResult(null);
    try {
      await f();
      setResult({ tone: "ok", text: done });
      setReload((n) => n + 1);
      return true;
    } catch (e) {
      setResult({ tone: "error", text: errorText(e) });
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function onAdd(e: FormEvent) {
    e.preventDefault();
    const ok = await act(
      () => request("POST", path, { address: form.address, name: form.name, deskRoles: [...form.roles], ...authorityOf(form.roles, form.authority) }),
      t("staff.added", { name: form.name }),
    );
    if (ok) setForm(EMPTY);
  }

  const current = (rows ?? []).filter((r) => r.active);
  const removed = (rows ?? []).filter((r) => !r.active);
  return (
    <section className="card" aria-labelledby="staff-h">
      <h2 id="staff-h">{t("staff.title")}</h2>
      <p className="muted">{t("staff.lede")}</p>
      {error && <Notice tone="warn">{error}</Notice>}
      {result && <Notice tone={result.tone}>{result.text}</Notice>}
      {rows === null && !error && <Spinner label={t("staff.loading")} />}
      {rows && (
        <div className="table-wrap">
          <table className="data-table" aria-label={t("staff.tableLabel")}>
            <thead>
              <tr>
                <th scope="col">{t("staff.col.name")}</th>
                <th scope="col">{t("staff.col.key")}</th>
                <th scope="col">{t("staff.col.deskRoles")}</th>
                <th scope="col">{t("staff.col.authority")}</th>
                <th scope="col">{t("staff.col.added")}</th>
                {administrator && (
                  <th scope="col">
                    <span className="sr-only">{t("staff.col.actions")}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {current.length === 0 && (
                <tr>
                  <td colSpan={administrator ? 6 : 5} className="muted">
                    {t("staff.none")}
                  </td>
                </tr>
              )}
              {current.map((r) => (
                <tr key={r.id} data-staff={r.address}>
                  <td>{r.name}</td>
                  <td>
                    <Party address={r.address} inline />
                  </td>
                  <td>
                    {editing?.address === r.address ? (
                      <>
                        <RoleBoxes name={`edit-${r.address}`} value={editing.roles} onChange={(roles) => setEditing({ ...editing, roles })} />
                        {editing.roles.has("creditApprover") && (
                          <label>
                            {t("staff.authority")}
                            <input name="editAuthority" value={editing.authority} onChange={(e) => setEditing({ ...editing, authority: e.target.value })} />
                          </label>
                        )}
                      </>
                    ) : (
                      roleList(r.deskRoles)
                    )}
                  </td>
                  <td>{r.authorityAmount ? money(r.authorityAmount) : <span className="muted">—</span>}</td>
                  <td>
                    <Trans i18nKey="staff.addedBy" values={{ date: displayDate(r.addedAt) }} components={{ by: <Party address={r.addedBy} inline /> }} />
                  </td>
                  {administrator && (
                    <td>
                      {editing?.address === r.address ? (
                        <>
                          <button
                            type="button"
                            className="small primary"
                            disabled={busy}
                            onClick={() =>
                              void act(
                                () =>
                                  request("PATCH", `${path}/${r.address}`, {
                                    deskRoles: [...editing.roles],
                                    authorityAmount: editing.roles.has("creditApprover") ? parseAmount(editing.authority).toString() : null,
                                  }),
                                t("staff.changed", { name: r.name }),
                              ).then((ok) => ok && setEditing(null))
                            }
                          >
                            {t("staff.save")}
                          </button>
                          <button type="button" className="small" onClick={() => setEditing(null)}>
                            {t("common.cancel")}
                          </button>
                        </>
                      ) : (
                        <>
                          <button
                            type="button"
                            className="small"
                            disabled={busy}
                            onClick={() =>
                              setEditing({
                                address: r.address,
                                roles: new Set(r.deskRoles),
                                authority: r.authorityAmount ? money(r.authorityAmount).replace(/,/g, "") : "",
                              })
                            }
                          >
                            {t("staff.changeRoles")}
                          </button>
                          <button
                            type="button"
                            className="small danger"
                            disabled={busy}
                            onClick={() => void act(() => request("DELETE", `${path}/${r.address}`), t("staff.removedDone", { name: r.name }))}
                          >
                            {t("staff.remove")}
                          </button>
                        </>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {removed.length > 0 && (
        <details>
          <summary>{t("staff.removedTitle", { n: removed.length })}</summary>
          <ul>
            {removed.map((r) => (
              <li key={r.id}>
                <Trans
                  i18nKey="staff.removedLine"
                  values={{ name: r.name, roles: roleList(r.deskRoles), date: displayDate(r.removedAt!) }}
                  components={{ addr: <Party address={r.address} inline />, by: <Party address={r.removedBy!} inline /> }}
                />
              </li>
            ))}
          </ul>
        </details>
      )}
      {administrator && (
        <form className="form" onSubmit={onAdd} aria-labelledby="staff-add-h">
          <h3 id="staff-add-h">{t("staff.addTitle")}</h3>
          <div className="form-grid">
            <label>
              {t("staff.address")}
              <input
                name="staffAddress"
                required
                value={form.address}
                onChange={(e) => setForm({ ...form, address: e.target.value.trim() })}
                placeholder="0x…"
              />
            </label>
            <label>
              {t("staff.name")}
              <input name="staffName" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
            </label>
            <RoleBoxes name="add" value={form.roles} onChange={(roles) => setForm({ ...form, roles })} />
            {form.roles.has("creditApprover") && (
              <label>
                {t("staff.authorityHint")}
                <input
                  name="staffAuthority"
                  required
                  value={form.authority}
                  onChange={(e) => setForm({ ...form, authority: e.target.value })}
                  placeholder="1,000,000.00"
                />
              </label>
            )}
          </div>
          <div className="form-foot">
            <button type="submit" className="primary" disabled={busy}>
              {t("staff.submit")}
            </button>
            {busy && <Spinner label={t("staff.saving")} />}
          </div>
        </form>
      )}
    </section>
  );
}
