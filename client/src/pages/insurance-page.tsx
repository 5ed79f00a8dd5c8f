// Credit insurance (issue 5): the insurer offers a policy on a confirmed receivable and escrows the maximum
// payout; the holder accepts by paying the premium; on default the holder claims the covered share, once.
// Insurers see no receivables through the API, so they look one up by id on the ledger.
import { useEffect, useState, type FormEvent } from "react";
import type { Hex } from "viem";
import { parseAmount } from "../../../common/money.ts";
import { applyBps } from "../../../common/pricing.ts";
import type { ReceivableDetail } from "../api.ts";
import { describeError, type ChainReceivable } from "../chain.ts";
import type { Policy } from "../financing.ts";
import { DAY_MS, displayDate, money } from "../format.ts";
import { useSession } from "../session.tsx";
import { Hash, Notice, Party, Spinner, StatusBadge } from "../components/bits.tsx";
import { receivableName, useConfirm } from "../components/confirm-dialog.tsx";

const ID_PATTERN = /^0x[0-9a-fA-F]{64}$/;
type Result = { tone: "ok" | "error"; text: string; tx?: Hex } | null;

function PolicyFacts(props: { p: Policy }) {
  const { p } = props;
  const state = p.claimed ? "claimed" : p.active ? "active" : "offered, waiting for the holder";
  return (
    <dl className="facts lookup" aria-label="Policy">
      <dt>Insurer</dt>
      <dd>
        <Party address={p.insurer} />
      </dd>
      <dt>Cover</dt>
      <dd>
        {(p.coverageBps / 100).toFixed(2)}% of the outstanding amount on default (escrowed: {money(p.escrow)})
      </dd>
      <dt>Premium</dt>
      <dd>{money(p.premium)}</dd>
      <dt>Expires</dt>
      <dd>{displayDate(p.expiry * 1000)}</dd>
      <dt>State</dt>
      <dd data-policy-state={state}>{state}</dd>
      {p.subrogation && (
        <>
          <dt>Subrogation</dt>
          <dd data-subrogation>
            The insurer paid {money(p.subrogation.paid)} and takes that share of every later payment by the buyer (recovered so far:{" "}
            {money(p.subrogation.recovered)}); the holder keeps the rest, never more than it was owed.
          </dd>
        </>
      )}
    </dl>
  );
}

export function InsurancePage() {
  const { insurance, chain, wallet, roles, revision, refresh, account } = useSession();
  const [id, setId] = useState("");
  const [found, setFound] = useState<{ r: ChainReceivable; policy: Policy | null } | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [form, setForm] = useState({ coverage: "80", premium: "", days: "90" });
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<Result>(null);

  useEffect(() => {
    let cancelled = false;
    setLookupError(null);
    if (!insurance || !ID_PATTERN.test(id.trim())) return setFound(null);
    const rid = id.trim().toLowerCase() as Hex;
    Promise.all([chain.receivable(rid), insurance.policy(rid)])
      .then(([r, policy]) => {
        if (cancelled) return;
        if (r.status === "None") {
          setFound(null);
          setLookupError("No receivable with this id on the ledger.");
        } else setFound({ r, policy });
      })
      .catch((e) => !cancelled && setLookupError(describeError(e)));
    return () => {
      cancelled = true;
    };
  }, [id, chain, insurance, revision]);

  if (!insurance) return <Notice tone="info">This deployment has no credit insurance module.</Notice>;
  if (!roles.includes("Insurer")) return <Notice tone="info">Only admitted insurers offer policies.</Notice>;

  const outstanding = found ? found.r.faceAmount - found.r.paid : 0n;
  const coverageBps = Math.round(Number(form.coverage) * 100);
  const escrow = applyBps(outstanding, Number.isFinite(coverageBps) ? Math.max(0, coverageBps) : 0);
  const mine = found?.policy && found.policy.insurer.toLowerCase() === account?.address.toLowerCase();

  async function act(label: string, f: (step: (s: string) => void) => Promise<Hex>, done: string) {
    setBusy(label);
    setResult(null);
    try {
      const tx = await f((s) => setBusy(s));
      setResult({ tone: "ok", text: done, tx });
      refresh();
    } catch (e) {
      setResult({ tone: "error", text: describeError(e) });
    } finally {
      setBusy(null);
    }
  }

  function onOffer(e: FormEvent) {
    e.preventDefault();
    let premium: bigint;
    try {
      premium = parseAmount(form.premium);
    } catch (err) {
      return setResult({ tone: "error", text: describeError(err) });
    }
    const expiry = Math.floor((Date.now() + Number(form.days) * DAY_MS) / 1000);
    void act("Offering…", (step) => insurance!.offerPolicy(wallet!, id.trim() as Hex, coverageBps, premium, expiry, step), `Policy offered: ${form.coverage}% cover for a premium of ${money(premium)}.`);
  }

  return (
    <section aria-labelledby="insurance-title">
      <div className="page-head">
        <div>
          <h1 id="insurance-title">Credit insurance</h1>
          <p className="lede">
            Offer cover on a confirmed receivable. Offering escrows the maximum payout; the holder accepts by paying the premium; if the receivable
            defaults while covered, the holder is paid the covered share once.
          </p>
        </div>
      </div>
      {result && (
        <Notice tone={result.tone}>
          {result.text} {result.tx && <Hash value={result.tx} />}
        </Notice>
      )}
      <form className="card form" onSubmit={onOffer} aria-labelledby="insurance-title">
        <fieldset disabled={!!busy}>
          <div className="form-grid">
            <label className="wide">
              Receivable id
              <input name="insureId" required className="mono" value={id} onChange={(e) => setId(e.target.value)} placeholder="0x… (64 hex digits)" />
            </label>
          </div>
        </fieldset>
        {lookupError && <Notice tone="warn">{lookupError}</Notice>}
        {found && (
          <dl className="facts lookup" aria-label="Receivable">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={found.r.status} />
            </dd>
            <dt>Debtor</dt>
            <dd>
              <Party address={found.r.buyer} />
            </dd>
            <dt>Holder</dt>
            <dd>
              <Party address={found.r.holder} />
            </dd>
            <dt>Outstanding</dt>
            <dd>{money(outstanding)}</dd>
            <dt>Due</dt>
            <dd>{displayDate(found.r.dueDate * 1000)}</dd>
          </dl>
        )}
        {found?.policy && <PolicyFacts p={found.policy} />}
        {found && !found.policy && (
          <fieldset disabled={!!busy}>
            <legend>Policy</legend>
            <div className="form-grid">
              <label>
                Coverage (% of outstanding)
                <input name="coverage" inputMode="decimal" required value={form.coverage} onChange={(e) => setForm({ ...form, coverage: e.target.value })} />
              </label>
              <label>
                Premium
                <input name="premium" inputMode="decimal" required value={form.premium} onChange={(e) => setForm({ ...form, premium: e.target.value })} placeholder="1500.00" />
              </label>
              <label>
                Valid for (days)
                <input name="policyDays" inputMode="numeric" required value={form.days} onChange={(e) => setForm({ ...form, days: e.target.value })} />
              </label>
            </div>
            <p className="hint">Offering escrows {money(escrow)} from your account until a claim, the expiry or the receivable's payment.</p>
          </fieldset>
        )}
        <div className="form-foot">
          {found && !found.policy && (
            <button type="submit" className="primary" disabled={!!busy || !form.premium || found.r.status !== "Confirmed"}>
              Offer policy
            </button>
          )}
          {mine && (
            <button type="button" disabled={!!busy} onClick={() => void act("Releasing…", () => insurance.release(wallet!, id.trim() as Hex), "Escrow released.")}>
              Release escrow
            </button>
          )}
          {busy && <Spinner label={busy} />}
        </div>
      </form>
    </section>
  );
}

/** On a receivable's page: its policy, and the holder's accept/claim. */
export function InsuranceCard(props: { r: ReceivableDetail }) {
  const { r } = props;
  const { insurance, account, wallet, revision, refresh, chain, companyOf, tokenSymbol } = useSession();
  const { confirm, dialog } = useConfirm();
  const [policy, setPolicy] = useState<Policy | null>(null);
  /** The chain's time (seconds): the policy's expiry is judged by it. */
  const [chainNow, setChainNow] = useState<number | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<Result>(null);

  useEffect(() => {
    let cancelled = false;
    if (!insurance) return;
    insurance
      .policy(r.id)
      .then((p) => !cancelled && setPolicy(p))
      .catch(() => !cancelled && setPolicy(null));
    chain
      .now()
      .then((t) => !cancelled && setChainNow(Number(t)))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [insurance, chain, r.id, revision]);

  if (!insurance || (!policy && !result)) return null;
  const isHolder = account?.address.toLowerCase() === r.holder.toLowerCase();
  // By the chain's time, as the contract judges: an offer is accepted and a claim made only until the expiry,
  // a claim only once the receivable is Defaulted.
  const inForce = policy !== null && chainNow !== null && chainNow <= policy.expiry;
  const canAccept = isHolder && inForce && !policy.active;
  const canClaim = isHolder && inForce && policy.active && !policy.claimed && r.status === "Defaulted";
  const outstanding = BigInt(r.outstanding);
  const payout = policy ? min((outstanding * BigInt(policy.coverageBps)) / 10_000n, policy.escrow) : 0n;

  async function act(label: string, f: (step: (s: string) => void) => Promise<Hex>, done: string) {
    setBusy(label);
    setResult(null);
    try {
      const tx = await f((s) => setBusy(s));
      setResult({ tone: "ok", text: done, tx });
    } catch (e) {
      setResult({ tone: "error", text: describeError(e) });
    } finally {
      setBusy(null);
      refresh();
    }
  }

  return (
    <section className="card insurance-card" aria-labelledby="insurance-h">
      <h2 id="insurance-h">Credit insurance</h2>
      {policy && <PolicyFacts p={policy} />}
      <div className="button-row">
        {canAccept && (
          <button type="button" className="primary" disabled={!!busy || !wallet} onClick={() => void act("Accepting…", (step) => insurance.acceptPolicy(wallet!, r.id, policy!.premium, step), "Policy accepted: the receivable is insured.")}>
            Accept policy (pay {money(policy!.premium)})
          </button>
        )}
        {canClaim && (
          <button
            type="button"
            className="primary"
            disabled={!!busy || !wallet}
            onClick={async () => {
              const currency = r.invoice?.currency ?? tokenSymbol;
              const insurer = companyOf(policy!.insurer)?.name ?? policy!.insurer;
              const name = receivableName(r);
              const ok = await confirm({
                title: `Claim on the policy for ${name}?`,
                body: (
                  <>
                    <p>
                      {insurer} pays you {money(payout)} {currency}: {(policy!.coverageBps / 100).toFixed(0)}% of the {money(outstanding)} {currency} outstanding
                      {payout < (outstanding * BigInt(policy!.coverageBps)) / 10_000n ? `, capped at the ${money(policy!.escrow)} escrowed` : ""}.
                    </p>
                    <p>
                      From then on {insurer} takes its share of every payment the buyer still makes, and {name} can no longer be written off, reduced by a
                      credit note or settled by bank attestation. The policy pays once: this cannot be undone.
                    </p>
                  </>
                ),
                confirmLabel: "Claim",
                danger: false,
              });
              if (ok) void act("Claiming…", () => insurance.claim(wallet!, r.id), "Claim paid.");
            }}
          >
            Claim {(policy!.coverageBps / 100).toFixed(0)}% of {money(r.outstanding)}
          </button>
        )}
      </div>
      {dialog}
      {busy && <Spinner label={busy} />}
      {result && (
        <Notice tone={result.tone}>
          {result.text} {result.tx && <Hash value={result.tx} />}
        </Notice>
      )}
    </section>
  );
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
