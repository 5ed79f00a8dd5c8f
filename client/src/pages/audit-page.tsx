// The auditor's check: the server's indexed view against the chain itself. Every receivable the API lists is
// re-read from the ledger contract at the same block and compared field by field; stored invoice documents are
// downloaded and hashed in the browser against the document hash in the registration event. Read-only.
import { useState } from "react";
import type { Hex } from "viem";
import { documentHash } from "../../../common/fingerprint.ts";
import type { ReceivableJson } from "../api.ts";
import { describeError, type ChainReceivable } from "../chain.ts";
import { listAll } from "../data.ts";
import { money } from "../format.ts";
import { useSession } from "../session.tsx";
import { Notice, Party, Spinner, StatusBadge } from "../components/bits.tsx";
import { InvoiceNumber } from "../components/invoice.tsx";
import { useTranslation } from "../i18n/index.ts";

type DocCheck = "verified" | "not stored" | "mismatch" | "skipped";

/** One field that differs, named by its catalog key `audit.diff.*` (rendered in the chosen language). */
type Difference =
  | { key: "missing" | "holder" | "seller" | "buyer" | "outstanding" | "documentHash" }
  | { key: "status"; server: string; chain: string }
  | { key: "face" | "paid"; server: bigint; chain: bigint };

interface Row {
  r: ReceivableJson;
  chain: ChainReceivable | null;
  differences: Difference[];
  document: DocCheck;
}

interface Report {
  block: number | null;
  rows: Row[];
  complete: boolean;
  checkedAt: Date;
}

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function compare(r: ReceivableJson, c: ChainReceivable | null): Difference[] {
  if (!c) return [{ key: "missing" }];
  const d: Difference[] = [];
  if (r.status !== c.status) d.push({ key: "status", server: r.status, chain: c.status });
  if (!eq(r.holder, c.holder)) d.push({ key: "holder" });
  if (!eq(r.seller, c.seller)) d.push({ key: "seller" });
  if (!eq(r.buyer, c.buyer)) d.push({ key: "buyer" });
  if (BigInt(r.faceAmount) !== c.faceAmount) d.push({ key: "face", server: BigInt(r.faceAmount), chain: c.faceAmount });
  if (BigInt(r.paid) !== c.paid) d.push({ key: "paid", server: BigInt(r.paid), chain: c.paid });
  if (BigInt(r.outstanding) !== c.faceAmount - c.paid) d.push({ key: "outstanding" });
  return d;
}

export function AuditPage() {
  const { source, chain, roles, isOperator, ready } = useSession();
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [checkDocuments, setCheckDocuments] = useState(true);
  const { t, i18n } = useTranslation();
  const describe = (d: Difference): string => {
    if (d.key === "status") return t("audit.diff.status", { server: t(`status.${d.server}`), chain: t(`status.${d.chain}`) });
    if (d.key === "face" || d.key === "paid") return t(`audit.diff.${d.key}`, { server: money(d.server), chain: money(d.chain) });
    return t(`audit.diff.${d.key}`);
  };

  async function run() {
    setBusy(t("audit.readingIndexed"));
    setError(null);
    try {
      const { items, complete, block } = await listAll(source, {});
      setBusy(block !== null ? t("audit.rereadingAtBlock", { n: items.length, block }) : t("audit.rereading", { n: items.length }));
      const at = block !== null ? BigInt(block) : undefined;
      const hashes = await chain.registeredDocumentHashes();
      const rows: Row[] = [];
      for (const r of items) {
        const c = await chain.receivable(r.id as Hex, at).catch(() => null);
        const differences = compare(r, c);
        const registered = hashes.get(r.id.toLowerCase());
        if (registered && !eq(registered, r.documentHash)) differences.push({ key: "documentHash" });
        let document: DocCheck = "skipped";
        if (checkDocuments && source.kind === "api") {
          const res = await fetch(`/api/receivables/${r.id}/document`, { credentials: "same-origin" });
          if (res.status === 404) document = "not stored";
          else if (res.ok) {
            const bytes = new Uint8Array(await res.arrayBuffer());
            document = registered && eq(documentHash(bytes), registered) ? "verified" : "mismatch";
          } else document = "mismatch";
        }
        rows.push({ r, chain: c, differences, document });
      }
      setReport({ block, rows, complete, checkedAt: new Date() });
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(null);
    }
  }

  const mismatches = report?.rows.filter((x) => x.differences.length > 0 || x.document === "mismatch") ?? [];
  const verifiedDocs = report?.rows.filter((x) => x.document === "verified").length ?? 0;
  const missingDocs = report?.rows.filter((x) => x.document === "not stored").length ?? 0;
  const allowed = roles.includes("Auditor") || isOperator;
  // The browser's default format in English (as before), Chinese time in Chinese.
  const checkedAt = report?.checkedAt.toLocaleTimeString(i18n.language === "zh-CN" ? "zh-CN" : undefined) ?? "";

  return (
    <section aria-labelledby="audit-title">
      <div className="page-head">
        <div>
          <h1 id="audit-title">{t("audit.title")}</h1>
          <p className="lede">{t("audit.lede")}</p>
        </div>
      </div>
      {!allowed && <Notice tone="info">{t("audit.notAuditor")}</Notice>}
      <div className="card audit-controls">
        <label className="checkbox">
          <input type="checkbox" checked={checkDocuments} onChange={(e) => setCheckDocuments(e.target.checked)} />
          {t("audit.verifyDocuments")}
        </label>
        <button type="button" className="primary" onClick={() => void run()} disabled={!!busy || !ready}>
          {report ? t("audit.runAgain") : t("audit.run")}
        </button>
        {busy && <Spinner label={busy} />}
      </div>
      {error && <Notice tone="error">{t("audit.error", { error })}</Notice>}
      {report && (
        <>
          <Notice tone={mismatches.length ? "error" : "ok"}>
            {report.block !== null
              ? t("audit.checkedAtBlock", { count: report.rows.length, block: report.block, time: checkedAt })
              : t("audit.checked", { count: report.rows.length, time: checkedAt })}{" "}
            {mismatches.length ? <strong>{t("audit.differ", { n: mismatches.length })}</strong> : t("audit.matches")}
            {checkDocuments && ` ${t("audit.documents", { verified: verifiedDocs, missing: missingDocs })}`}
            {!report.complete && ` ${t("audit.onlyFirst")}`}
          </Notice>
          <div className="table-wrap">
            <table className="data-table compact" aria-label={t("audit.tableLabel")}>
              <thead>
                <tr>
                  <th scope="col">{t("audit.col.receivable")}</th>
                  <th scope="col">{t("audit.col.seller")}</th>
                  <th scope="col">{t("audit.col.holder")}</th>
                  <th scope="col">{t("audit.col.status")}</th>
                  <th scope="col" className="num">
                    {t("audit.col.outstanding")}
                  </th>
                  <th scope="col">{t("audit.col.chain")}</th>
                  <th scope="col">{t("audit.col.document")}</th>
                </tr>
              </thead>
              <tbody>
                {report.rows.map((x) => (
                  <tr key={x.r.id} data-id={x.r.id} className={x.differences.length || x.document === "mismatch" ? "row-overdue" : ""}>
                    <td>
                      <a className="id-link" href={`#/receivables/${x.r.id}`}>
                        <InvoiceNumber r={x.r} />
                      </a>
                    </td>
                    <td>
                      <Party address={x.r.seller} />
                    </td>
                    <td>
                      <Party address={x.r.holder} />
                    </td>
                    <td>
                      <StatusBadge status={x.r.status} />
                    </td>
                    <td className="num">{money(x.r.outstanding)}</td>
                    <td data-check="chain">
                      {x.differences.length ? (
                        <span className="error-text">{t("audit.differences", { list: x.differences.map(describe).join(t("audit.diffSeparator")) })}</span>
                      ) : (
                        <span className="ok-text">{t("audit.chainMatches")}</span>
                      )}
                    </td>
                    <td data-check="document">
                      {x.document === "verified" ? (
                        <span className="ok-text">{t("audit.docVerified")}</span>
                      ) : x.document === "mismatch" ? (
                        <span className="error-text">{t("audit.docMismatch")}</span>
                      ) : (
                        <span className="muted">{x.document === "not stored" ? t("audit.docNotStored") : t("audit.docSkipped")}</span>
                      )}
                    </td>
                  </tr>
                ))}
                {report.rows.length === 0 && (
                  <tr>
                    <td colSpan={7} className="empty">
                      {t("audit.empty")}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
