// The seller registers an invoice: the form computes the fingerprint (the receivable's id) and the document
// hash in the browser, registers on chain, then hands the document to the server.
import { Fragment, useEffect, useMemo, useState, type FormEvent } from "react";
import type { Address, Hex } from "viem";
import { documentHash, invoiceFingerprint, FingerprintInputError } from "../../../common/fingerprint.ts";
import { currencyToBytes3 } from "../../../common/money.ts";
import { parseAmount } from "../../../common/money.ts";
import { ApiError, api, type SimilarWarning } from "../api.ts";
import { invoiceApi } from "../invoice-api.ts";
import { SimilarWarnings } from "../components/invoice.tsx";
import { describeError } from "../chain.ts";
import { dayToUnix, isoDay, money, shortHex, DAY_MS } from "../format.ts";
import { navigate } from "../router.ts";
import { useSession } from "../session.tsx";
import { Hash, Notice, Spinner } from "../components/bits.tsx";
import { useAccountData } from "../use-account-data.ts";
import { Trans } from "react-i18next";
import { formatNumber, useTranslation } from "../i18n/index.ts";
import type { TFunction } from "i18next";

/**
 * The consortium salt for fingerprints: the server gives it to signed-in members only (GET /api/config/consortium),
 * so it is read after sign-in; the built-in configuration (no API server) carries the demo salt.
 */
function useConsortiumSalt(): { salt: Hex | null; error: string | null } {
  const { chain, signIn } = useSession();
  const builtIn = chain.config.consortiumSalt;
  const { data, error } = useAccountData(() => api.consortiumSalt(), { enabled: builtIn === null && signIn.state === "signed-in" });
  return { salt: builtIn ?? data?.consortiumSalt ?? null, error: builtIn ? null : error };
}

const CURRENCIES = ["USD", "EUR", "GBP", "CHF", "CNY", "JPY"];
const TERM_PRESETS = {
  "2/10 net 30": { discountPct: "2", discountDays: "10", latePct: "12", graceDays: "5", dueDays: 30 },
  "Net 30": { discountPct: "0", discountDays: "0", latePct: "12", graceDays: "5", dueDays: 30 },
  "Net 60": { discountPct: "0", discountDays: "0", latePct: "10", graceDays: "10", dueDays: 60 },
  "1/10 net 60": { discountPct: "1", discountDays: "10", latePct: "10", graceDays: "10", dueDays: 60 },
} as const;
type Preset = keyof typeof TERM_PRESETS;
/** The presets' names in the catalog (the option's value stays the preset's own name). */
const PRESET_LABEL: Record<Preset | "Custom", string> = {
  "2/10 net 30": "register.preset.twoTenNet30",
  "Net 30": "register.preset.net30",
  "Net 60": "register.preset.net60",
  "1/10 net 60": "register.preset.oneTenNet60",
  Custom: "register.preset.custom",
};

interface BuyerOption {
  address: Address;
  name: string;
  taxId: string;
}

interface Form {
  buyer: string;
  invoiceNumber: string;
  sellerTaxId: string;
  buyerTaxId: string;
  currency: string;
  amount: string;
  issueDate: string;
  dueDate: string;
  preset: Preset | "Custom";
  discountPct: string;
  discountDays: string;
  latePct: string;
  graceDays: string;
}

/** `field` is the field's name, already in the chosen language. */
function pctToBps(text: string, field: string, t: TFunction): number {
  const v = Number(text || "0");
  if (!Number.isFinite(v) || v < 0 || v > 100) throw new FingerprintInputError(t("register.percentRange", { field }));
  return Math.round(v * 100);
}

function wholeDays(text: string, field: string, t: TFunction): number {
  const v = Number(text || "0");
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw new FingerprintInputError(t("register.wholeDays", { field }));
  return v;
}

export function RegisterPage() {
  const { chain, account, roles, wallet, companyOf, accounts, refresh, source, memberships } = useSession();
  const { t } = useTranslation();
  const today = isoDay(new Date());
  const [form, setForm] = useState<Form>(() => ({
    buyer: "",
    invoiceNumber: "",
    sellerTaxId: "",
    buyerTaxId: "",
    currency: "USD",
    amount: "",
    issueDate: today,
    dueDate: isoDay(new Date(Date.now() + 30 * DAY_MS)),
    preset: "2/10 net 30",
    ...TERM_PRESETS["2/10 net 30"],
  }));
  const [fileInputKey, setFileInputKey] = useState(0);
  const [file, setFile] = useState<{ name: string; size: number; type: string; bytes: Uint8Array; hash: Hex } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [similar, setSimilar] = useState<{ key: string; list: SimilarWarning[] } | null>(null);
  const [done, setDone] = useState<{ id: Hex; tx: Hex; upload: string } | null>(null);
  const { salt, error: saltError } = useConsortiumSalt();

  // Prefill the seller's tax id from the selected company.
  useEffect(() => {
    const company = companyOf(account?.address);
    setForm((f) => ({ ...f, sellerTaxId: company?.taxId ?? "" }));
  }, [account?.address, companyOf]);

  // Buyers: admitted members with the Buyer role (other than the seller itself), from the registry.
  const buyers = useMemo<BuyerOption[] | null>(() => {
    if (memberships.size === 0) return null;
    return accounts
      .filter((a) => a.kind === "dev" && a.address.toLowerCase() !== account?.address.toLowerCase())
      .filter((a) => {
        const m = memberships.get(a.address.toLowerCase());
        return m?.active && m.roles.includes("Buyer");
      })
      .map((a) => ({ address: a.address, name: a.company?.name ?? shortHex(a.address), taxId: a.company?.taxId ?? "" }));
  }, [accounts, account?.address, memberships]);

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  function choosePreset(p: Preset | "Custom") {
    if (p === "Custom") return set("preset", p);
    const t = TERM_PRESETS[p];
    const due = new Date(Date.parse(`${form.issueDate || today}T00:00:00Z`) + t.dueDays * DAY_MS);
    setForm((f) => ({
      ...f,
      preset: p,
      discountPct: t.discountPct,
      discountDays: t.discountDays,
      latePct: t.latePct,
      graceDays: t.graceDays,
      dueDate: isoDay(due),
    }));
  }

  /** With a preset, the due date follows the issue date (net N days). */
  function changeIssueDate(day: string) {
    setForm((f) => {
      const preset = f.preset === "Custom" ? null : TERM_PRESETS[f.preset];
      const parsed = Date.parse(`${day}T00:00:00Z`);
      if (!preset || Number.isNaN(parsed)) return { ...f, issueDate: day };
      return { ...f, issueDate: day, dueDate: isoDay(new Date(parsed + preset.dueDays * DAY_MS)) };
    });
  }

  function chooseBuyer(address: string) {
    const b = buyers?.find((x) => x.address === address);
    setForm((f) => ({ ...f, buyer: address, buyerTaxId: b?.taxId ?? f.buyerTaxId }));
  }

  // The fingerprint, live: this is the receivable's id on the ledger.
  const preview = useMemo(() => {
    try {
      const amount = parseAmount(form.amount);
      if (!salt)
        throw new FingerprintInputError(
          saltError ? `the consortium salt could not be read (${saltError})` : "waiting for the consortium salt (given to members after sign-in)…",
        );
      const fp = invoiceFingerprint(
        {
          sellerTaxId: form.sellerTaxId,
          buyerTaxId: form.buyerTaxId,
          invoiceNumber: form.invoiceNumber,
          currency: form.currency,
          amount,
          issueDate: form.issueDate,
        },
        salt,
      );
      return { fingerprint: fp, amount, problem: null as string | null };
    } catch (e) {
      return { fingerprint: null, amount: null, problem: e instanceof Error ? e.message : String(e) };
    }
  }, [form, salt, saltError]);

  async function onFile(f: File | undefined) {
    if (!f) return setFile(null);
    const bytes = new Uint8Array(await f.arrayBuffer());
    setFile({ name: f.name, size: f.size, type: f.type, bytes, hash: documentHash(bytes) });
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(null);
    try {
      if (!wallet || !account) throw new Error(t("register.chooseAccountFirst"));
      if (!form.buyer) throw new Error(t("register.chooseTheBuyer"));
      if (!file) throw new Error(t("register.attachDocument"));
      const amount = parseAmount(form.amount);
      if (amount <= 0n) throw new Error(t("register.amountPositive"));
      if (!salt) throw new Error(t("register.noSalt"));
      const fingerprint = invoiceFingerprint(
        {
          sellerTaxId: form.sellerTaxId,
          buyerTaxId: form.buyerTaxId,
          invoiceNumber: form.invoiceNumber,
          currency: form.currency,
          amount,
          issueDate: form.issueDate,
        },
        salt,
      );
      if (!form.dueDate || form.dueDate < form.issueDate) throw new Error(t("register.dueBeforeIssue"));
      const terms = {
        discountBps: pctToBps(form.discountPct, t("register.field.discount"), t),
        discountDays: wholeDays(form.discountDays, t("register.field.discountWindow"), t),
        lateInterestBps: pctToBps(form.latePct, t("register.field.lateInterest"), t),
        graceDays: wholeDays(form.graceDays, t("register.field.gracePeriod"), t),
      };
      const details = {
        sellerTaxId: form.sellerTaxId,
        buyerTaxId: form.buyerTaxId,
        invoiceNumber: form.invoiceNumber,
        currency: form.currency,
        amount: amount.toString(),
        issueDate: form.issueDate,
      };
      // Near-duplicates (issue 9, item 16): ask the server before sending; a warning needs a second, deliberate click.
      const checkKey = `${fingerprint}:${file.hash}`;
      if (source.kind === "api" && similar?.key !== checkKey) {
        setBusy(t("register.checkingSimilar"));
        const found = await invoiceApi.similar({ ...details, documentHash: file.hash }).then(
          (x) => x.similar,
          () => [],
        );
        // The very same invoice (same fingerprint): the ledger refuses it with its own, precise message.
        const exact = found.some((w) => w.id?.toLowerCase() === fingerprint.toLowerCase());
        if (found.length > 0 && !exact) {
          setSimilar({ key: checkKey, list: found });
          return;
        }
      }
      setSimilar(null);
      setBusy(t("register.registering"));
      const tx = await chain.register(wallet, {
        fingerprint,
        documentHash: file.hash,
        buyer: form.buyer as Address,
        amount,
        currency: currencyToBytes3(form.currency),
        issueDate: dayToUnix(form.issueDate),
        // Due at the end of the due day (UTC).
        dueDate: dayToUnix(form.dueDate) + 86_399,
        terms,
      });
      setBusy(t("register.uploading"));
      let upload: string;
      if (source.kind !== "api") {
        upload = t("register.uploadNoApi");
      } else {
        try {
          await waitForIndexed(fingerprint);
          await api.uploadDocument(fingerprint, file.bytes, file.type);
          upload = t("register.uploadStored", { name: file.name });
          // The invoice's details (number, tax ids) so every list shows the invoice number; the server checks they hash to the id.
          try {
            await invoiceApi.submitDetails(fingerprint, details);
          } catch (err) {
            upload += ` ${t("register.detailsNotStored", { error: describeError(err) })}`;
          }
        } catch (err) {
          upload =
            err instanceof ApiError && (err.status === 404 || err.status === 405)
              ? t("register.uploadUnsupported")
              : t("register.uploadFailed", { error: describeError(err) });
        }
      }
      setDone({ id: fingerprint, tx, upload });
      setForm((f) => ({ ...f, invoiceNumber: "", amount: "" }));
      setFile(null);
      // The file input is uncontrolled: remount it so it no longer shows (and submits) the previous document.
      setFileInputKey((k) => k + 1);
      refresh();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(null);
    }
  }

  if (!account) return <Notice tone="info">{t("register.noAccount")}</Notice>;
  if (!roles.includes("Seller")) return <Notice tone="warn">{t("register.notSeller")}</Notice>;

  return (
    <section aria-labelledby="register-title">
      <p className="breadcrumb">
        <a href="#/receivables">{t("register.allReceivables")}</a>
      </p>
      <div className="page-head">
        <div>
          <h1 id="register-title">{t("register.title")}</h1>
          <p className="lede">{t("register.lede")}</p>
        </div>
      </div>

      {done && (
        <Notice tone="ok">
          <Trans
            i18nKey="register.done"
            components={{
              upload: <Fragment>{done.upload}</Fragment>,
              id: <Hash value={done.id} />,
              tx: <Hash value={done.tx} />,
              open: (
                <a href={`#/receivables/${done.id}`} onClick={() => navigate(`/receivables/${done.id}`)}>
                  {t("register.viewReceivable")}
                </a>
              ),
            }}
          />
        </Notice>
      )}
      {error && <Notice tone="error">{error}</Notice>}
      {similar && <SimilarWarnings similar={similar.list} lead={t("register.similarLead")} />}

      <form className="card form" onSubmit={onSubmit} noValidate={false} aria-describedby="register-title">
        <fieldset disabled={!!busy}>
          <legend>{t("register.invoice")}</legend>
          <div className="form-grid">
            <label>
              {t("register.buyer")}
              <select name="buyer" required value={form.buyer} onChange={(e) => chooseBuyer(e.target.value)}>
                <option value="">{buyers === null ? t("register.loadingMembers") : t("register.chooseBuyer")}</option>
                {buyers?.map((b) => (
                  <option key={b.address} value={b.address}>
                    {b.name} ({shortHex(b.address)})
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("register.invoiceNumber")}
              <input
                name="invoiceNumber"
                required
                autoComplete="off"
                value={form.invoiceNumber}
                onChange={(e) => set("invoiceNumber", e.target.value)}
                placeholder="INV-2026-0042"
              />
            </label>
            <label>
              {t("register.sellerTaxId")}
              <input name="sellerTaxId" required value={form.sellerTaxId} onChange={(e) => set("sellerTaxId", e.target.value)} />
            </label>
            <label>
              {t("register.buyerTaxId")}
              <input name="buyerTaxId" required value={form.buyerTaxId} onChange={(e) => set("buyerTaxId", e.target.value)} />
            </label>
            <label>
              {t("register.currency")}
              <select name="currency" value={form.currency} onChange={(e) => set("currency", e.target.value)}>
                {CURRENCIES.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label>
              {t("register.amount")}
              <input
                name="amount"
                required
                inputMode="decimal"
                autoComplete="off"
                value={form.amount}
                onChange={(e) => set("amount", e.target.value)}
                placeholder="12500.00"
                aria-describedby="amount-hint"
              />
              <span id="amount-hint" className="hint">
                {preview.amount !== null ? `${money(preview.amount)} ${form.currency}` : t("register.amountHint")}
              </span>
            </label>
            <label>
              {t("register.issueDate")}
              <input name="issueDate" type="date" required value={form.issueDate} onChange={(e) => changeIssueDate(e.target.value)} />
            </label>
            <label>
              {t("register.dueDate")}
              <input name="dueDate" type="date" required min={form.issueDate} value={form.dueDate} onChange={(e) => set("dueDate", e.target.value)} />
            </label>
          </div>
        </fieldset>

        <fieldset disabled={!!busy}>
          <legend>{t("register.paymentTerms")}</legend>
          <div className="form-grid">
            <label>
              {t("register.terms")}
              <select name="preset" value={form.preset} onChange={(e) => choosePreset(e.target.value as Preset | "Custom")}>
                {(Object.keys(TERM_PRESETS) as Preset[]).map((p) => (
                  <option key={p} value={p}>
                    {t(PRESET_LABEL[p])}
                  </option>
                ))}
                <option value="Custom">{t(PRESET_LABEL.Custom)}</option>
              </select>
            </label>
            <label>
              {t("register.discountPct")}
              <input
                name="discountPct"
                inputMode="decimal"
                value={form.discountPct}
                onChange={(e) => setForm((f) => ({ ...f, preset: "Custom", discountPct: e.target.value }))}
              />
            </label>
            <label>
              {t("register.discountDays")}
              <input
                name="discountDays"
                inputMode="numeric"
                value={form.discountDays}
                onChange={(e) => setForm((f) => ({ ...f, preset: "Custom", discountDays: e.target.value }))}
              />
            </label>
            <label>
              {t("register.latePct")}
              <input
                name="latePct"
                inputMode="decimal"
                value={form.latePct}
                onChange={(e) => setForm((f) => ({ ...f, preset: "Custom", latePct: e.target.value }))}
              />
            </label>
            <label>
              {t("register.graceDays")}
              <input
                name="graceDays"
                inputMode="numeric"
                value={form.graceDays}
                onChange={(e) => setForm((f) => ({ ...f, preset: "Custom", graceDays: e.target.value }))}
              />
            </label>
          </div>
        </fieldset>

        <fieldset disabled={!!busy}>
          <legend>{t("register.document")}</legend>
          <label className="file-field">
            {t("register.invoiceDocument")}
            <input key={fileInputKey} name="document" type="file" required onChange={(e) => void onFile(e.target.files?.[0])} aria-describedby="doc-hint" />
          </label>
          <p id="doc-hint" className="hint">
            {file ? (
              <Trans
                i18nKey="register.fileChosen"
                values={{ size: formatNumber(file.size) }}
                components={{ file: <Fragment>{file.name}</Fragment>, hash: <Hash value={file.hash} /> }}
              />
            ) : (
              t("register.fileHint")
            )}
          </p>
        </fieldset>

        <div className="form-foot">
          <p className="hint fingerprint" aria-live="polite">
            {preview.fingerprint ? (
              <Trans i18nKey="register.fingerprint" components={{ hash: <Hash value={preview.fingerprint} /> }} />
            ) : (
              t("register.fingerprintIncomplete")
            )}
          </p>
          <button type="submit" className="primary" disabled={!!busy || !wallet}>
            {t("register.submit")}
          </button>
          {busy && <Spinner label={busy} />}
        </div>
      </form>
    </section>
  );

  async function waitForIndexed(id: Hex) {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      try {
        await api.getReceivable(id);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  }
}
