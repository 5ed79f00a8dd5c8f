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

type DocCheck = "verified" | "not stored" | "mismatch" | "skipped";

interface Row {
  r: ReceivableJson;
  chain: ChainReceivable | null;
  differences: string[];
  document: DocCheck;
}

interface Report {
  block: number | null;
  rows: Row[];
  complete: boolean;
  checkedAt: Date;
}

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function compare(r: ReceivableJson, c: ChainReceivable | null): string[] {
  if (!c) return ["missing on chain"];
  const d: string[] = [];
  if (r.status !== c.status) d.push(`status ${r.status} ≠ ${c.status}`);
  if (!eq(r.holder, c.holder)) d.push("holder");
  if (!eq(r.seller, c.seller)) d.push("seller");
  if (!eq(r.buyer, c.buyer)) d.push("buyer");
  if (BigInt(r.faceAmount) !== c.faceAmount) d.push(`face ${money(r.faceAmount)} ≠ ${money(c.faceAmount)}`);
  if (BigInt(r.paid) !== c.paid) d.push(`paid ${money(r.paid)} ≠ ${money(c.paid)}`);
  if (BigInt(r.outstanding) !== c.faceAmount - c.paid) d.push("outstanding");
  return d;
}

export function AuditPage() {
  const { source, chain, roles, isOperator, ready } = useSession();
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [checkDocuments, setCheckDocuments] = useState(true);

  async function run() {
    setBusy("Reading the indexed view…");
    setError(null);
    try {
      const { items, complete, block } = await listAll(source, {});
      setBusy(`Re-reading ${items.length} receivables from the ledger${block !== null ? ` at block ${block}` : ""}…`);
      const at = block !== null ? BigInt(block) : undefined;
      const hashes = await chain.registeredDocumentHashes();
      const rows: Row[] = [];
      for (const r of items) {
        const c = await chain.receivable(r.id as Hex, at).catch(() => null);
        const differences = compare(r, c);
        const registered = hashes.get(r.id.toLowerCase());
        if (registered && !eq(registered, r.documentHash)) differences.push("document hash");
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

  return (
    <section aria-labelledby="audit-title">
      <div className="page-head">
        <div>
          <h1 id="audit-title">Audit: ledger view against the chain</h1>
          <p className="lede">
            Re-reads every receivable the server shows from the ledger contract at the same block and compares status, parties, amounts and the
            document hash; downloads stored invoice documents and hashes them here, in your browser.
          </p>
        </div>
      </div>
      {!allowed && <Notice tone="info">This check is meant for auditors; you see only the receivables your account may see.</Notice>}
      <div className="card audit-controls">
        <label className="checkbox">
          <input type="checkbox" checked={checkDocuments} onChange={(e) => setCheckDocuments(e.target.checked)} />
          Also verify stored documents
        </label>
        <button type="button" className="primary" onClick={() => void run()} disabled={!!busy || !ready}>
          {report ? "Run the check again" : "Run the check"}
        </button>
        {busy && <Spinner label={busy} />}
      </div>
      {error && <Notice tone="error">The check could not run: {error}</Notice>}
      {report && (
        <>
          <Notice tone={mismatches.length ? "error" : "ok"}>
            {report.rows.length} receivable{report.rows.length === 1 ? "" : "s"} checked
            {report.block !== null ? ` at block ${report.block}` : ""} ({report.checkedAt.toLocaleTimeString()}):{" "}
            {mismatches.length ? <strong>{mismatches.length} differ from the chain.</strong> : "the server's view matches the chain."}
            {checkDocuments && ` Documents: ${verifiedDocs} verified, ${missingDocs} not stored.`}
            {!report.complete && " Only the first 2,000 were checked."}
          </Notice>
          <div className="table-wrap">
            <table className="data-table compact" aria-label="Audit results">
              <thead>
                <tr>
                  <th scope="col">Receivable</th>
                  <th scope="col">Seller</th>
                  <th scope="col">Holder</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Outstanding
                  </th>
                  <th scope="col">Chain</th>
                  <th scope="col">Document</th>
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
                      {x.differences.length ? <span className="error-text">✗ {x.differences.join("; ")}</span> : <span className="ok-text">✓ matches</span>}
                    </td>
                    <td data-check="document">
                      {x.document === "verified" ? (
                        <span className="ok-text">✓ verified</span>
                      ) : x.document === "mismatch" ? (
                        <span className="error-text">✗ does not match</span>
                      ) : (
                        <span className="muted">{x.document}</span>
                      )}
                    </td>
                  </tr>
                ))}
                {report.rows.length === 0 && (
                  <tr>
                    <td colSpan={7} className="empty">
                      No receivables to check.
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
