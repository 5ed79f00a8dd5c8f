// Invoice details (issue 9, items 15–16): the seller submits the invoice behind a receivable; the server accepts
// it only when the salted fingerprint of the details equals the receivable's id. The details give every list the
// invoice number and the parties' names, a search by invoice number / counterparty / amount, and the
// near-duplicate warnings the ledger itself cannot give.
import type { Hex } from "viem";
import { invoiceFingerprint, normaliseIdentifier, canonicalIdentifierText, FingerprintInputError, type InvoiceIdentity } from "../../common/fingerprint.ts";
import { parseAmount, formatAmount, SETTLEMENT_DECIMALS } from "../../common/money.ts";
import { HttpError, notFound } from "../errors.ts";
import type { InvoiceDetailRecord, InvoiceDetailStore } from "./invoice-details-store.ts";
import type { CompanyProfileRecord } from "../members/store.ts";
import type { ReceivableState } from "./projection.ts";
import { canSeeReceivable, NO_INVOLVEMENT, type Involvement, type Viewer } from "./visibility.ts";
import { requireDesk } from "../members/desk.ts";

/** The invoice behind a receivable, as its seller submits it: what the fingerprint is computed from. */
export type InvoiceDetailsInput = InvoiceIdentity;

/** The comparable facts of an invoice for the near-duplicate rule. */
export interface InvoiceFacts {
  sellerTaxIdKey: string;
  buyerTaxIdKey: string;
  invoiceNumberKey: string;
  amount: bigint;
  issueDate: string;
  documentHash?: string | undefined;
}

/** Two amounts this close (0.01 of the token, the last digit of a two-decimal invoice) count as "the same amount, mistyped". */
export const NEAR_AMOUNT_UNITS = 10n ** BigInt(SETTLEMENT_DECIMALS - 2);

export type SimilarReason = "same_document" | "same_seller_and_invoice_number" | "same_parties_date_and_amount";

/**
 * The near-duplicate rule. Another invoice is similar when
 *  - its document has the same hash (the same file registered twice), or
 *  - it has the same seller and the same invoice number (normalised): whatever its buyer tax id, amount or date —
 *    a seller never issues two invoices under one number, so a different buyer tax id or amount is a typo, or
 *  - it has the same seller, buyer and issue date and an amount within NEAR_AMOUNT_UNITS (an invoice-number typo).
 */
export function similarReasons(a: InvoiceFacts, b: InvoiceFacts): SimilarReason[] {
  const out: SimilarReason[] = [];
  if (a.documentHash && b.documentHash && a.documentHash === b.documentHash) out.push("same_document");
  if (a.sellerTaxIdKey === b.sellerTaxIdKey && a.invoiceNumberKey === b.invoiceNumberKey) out.push("same_seller_and_invoice_number");
  else if (a.sellerTaxIdKey === b.sellerTaxIdKey && a.buyerTaxIdKey === b.buyerTaxIdKey && a.issueDate === b.issueDate) {
    const d = a.amount > b.amount ? a.amount - b.amount : b.amount - a.amount;
    if (d <= NEAR_AMOUNT_UNITS) out.push("same_parties_date_and_amount");
  }
  return out;
}

export function factsOf(d: InvoiceDetailsInput, documentHash?: string): InvoiceFacts {
  return {
    sellerTaxIdKey: normaliseIdentifier(d.sellerTaxId),
    buyerTaxIdKey: normaliseIdentifier(d.buyerTaxId),
    invoiceNumberKey: normaliseIdentifier(d.invoiceNumber),
    amount: d.amount,
    issueDate: d.issueDate,
    documentHash,
  };
}

/** A warning as the viewer may see it: named (id, invoice number) only when the viewer may see the other receivable. */
export type SimilarWarning =
  | { visible: true; id: string; invoiceNumber: string; reasons: SimilarReason[]; message: string }
  | { visible: false; reasons: SimilarReason[]; message: string };

const REASON_TEXT: Record<SimilarReason, string> = {
  same_document: "the same invoice document",
  same_seller_and_invoice_number: "the same seller and invoice number",
  same_parties_date_and_amount: "the same seller, buyer, issue date and nearly the same amount",
};

export function createInvoiceDetailService(deps: {
  store: InvoiceDetailStore;
  salt: () => Hex;
  state: (id: string) => Promise<ReceivableState | null>;
  states: (ids: string[]) => Promise<ReceivableState[]>;
  companies: () => Promise<CompanyProfileRecord[]>;
  /** How accounts beyond seller, buyer and holder are involved (lenders, insurers, …): visibility follows it. */
  involvement: (ids: string[]) => Promise<Map<string, Involvement>>;
}) {
  const { store } = deps;

  async function similarTo(viewer: Viewer, facts: InvoiceFacts, exceptId?: string): Promise<SimilarWarning[]> {
    const candidates = new Map<string, InvoiceDetailRecord>();
    const add = (rows: InvoiceDetailRecord[]) => rows.forEach((r) => candidates.set(r.receivableId, r));
    add(await store.sameSellerAndNumber(facts.sellerTaxIdKey, facts.invoiceNumberKey, exceptId));
    add(await store.sameParties(facts.sellerTaxIdKey, facts.buyerTaxIdKey, facts.issueDate, exceptId));
    if (facts.documentHash) add(await store.sameDocument(facts.documentHash, exceptId));
    const found = [...candidates.values()].map((c) => ({ c, reasons: similarReasons(facts, c) })).filter((x) => x.reasons.length > 0);
    if (found.length === 0) return [];
    const ids = found.map((x) => x.c.receivableId);
    const states = new Map((await deps.states(ids)).map((s) => [s.id, s]));
    const involved = await deps.involvement(ids);
    const out: SimilarWarning[] = [];
    let hidden: SimilarReason[] = [];
    for (const { c, reasons } of found) {
      const s = states.get(c.receivableId);
      if (!s) continue; // rolled back by a reorg
      if (canSeeReceivable(viewer, s, involved.get(s.id) ?? NO_INVOLVEMENT)) {
        out.push({
          visible: true,
          id: c.receivableId,
          invoiceNumber: c.invoiceNumber,
          reasons,
          message: `invoice ${c.invoiceNumber} (${c.receivableId}) has ${reasons.map((r) => REASON_TEXT[r]).join(" and ")}`,
        });
      } else hidden = [...new Set([...hidden, ...reasons])];
    }
    if (hidden.length) out.push({ visible: false, reasons: hidden, message: "a similar invoice exists" });
    return out;
  }

  async function companiesByAddress() {
    return new Map((await deps.companies()).map((c) => [c.address, c]));
  }

  return {
    similarTo,

    /** Accepts the details when the caller is the seller and the fingerprint equals the id. */
    async submit(viewer: Viewer, id: string, input: InvoiceDetailsInput) {
      const state = await deps.state(id);
      if (!state || !canSeeReceivable(viewer, state, (await deps.involvement([id])).get(id) ?? NO_INVOLVEMENT)) throw notFound(`receivable ${id} not found`);
      if (state.seller !== viewer.member) throw new HttpError(403, "not_seller", "only the receivable's seller submits its invoice details");
      requireDesk(viewer, "invoiceDetails", "submitting invoice details");
      let fingerprint: Hex;
      try {
        fingerprint = invoiceFingerprint(input, deps.salt());
      } catch (err) {
        if (err instanceof FingerprintInputError) throw new HttpError(400, "invalid_invoice_details", err.message);
        throw err;
      }
      if (fingerprint.toLowerCase() !== id) {
        throw new HttpError(
          400,
          "fingerprint_mismatch",
          `the details' fingerprint ${fingerprint} is not the receivable's id ${id}: check the tax ids, invoice number, currency, amount and issue date`,
        );
      }
      const record = await store.put({
        receivableId: id,
        sellerTaxId: canonicalIdentifierText(input.sellerTaxId).trim(),
        sellerTaxIdKey: normaliseIdentifier(input.sellerTaxId),
        buyerTaxId: canonicalIdentifierText(input.buyerTaxId).trim(),
        buyerTaxIdKey: normaliseIdentifier(input.buyerTaxId),
        invoiceNumber: canonicalIdentifierText(input.invoiceNumber).trim(),
        invoiceNumberKey: normaliseIdentifier(input.invoiceNumber),
        currency: input.currency.trim().toUpperCase(),
        amount: input.amount,
        issueDate: input.issueDate,
        documentHash: state.documentHash,
        submittedBy: viewer.member,
        actor: viewer.address,
        submittedAt: new Date(),
      });
      const similar = await similarTo(viewer, { ...factsOf(input, state.documentHash) }, id);
      return { ...detailJson(record), similar };
    },

    /** The invoice and party names of receivables (split parts show their parent's invoice). */
    async annotate<T extends { id: string; seller: string; buyer: string; parentId: string | null }>(items: T[]) {
      const ids = [...new Set(items.flatMap((i) => (i.parentId ? [i.id, i.parentId] : [i.id])))];
      const [details, companies] = await Promise.all([store.many(ids), companiesByAddress()]);
      return items.map((i) => {
        const own = details.get(i.id);
        const parent = i.parentId ? details.get(i.parentId) : undefined;
        const d = own ?? parent;
        return {
          ...i,
          invoice: d ? { ...detailJson(d), ofParent: !own } : null,
          sellerName: companies.get(i.seller)?.legalName ?? null,
          buyerName: companies.get(i.buyer)?.legalName ?? null,
        };
      });
    },

    /**
     * Annotates, in place, every receivable-shaped object ({ id: 0x…64, seller, buyer }) inside a response (the
     * financing views nest them), so those lists name the invoice too. With `warnFor`, each also gets `similar`
     * (the near-duplicate warnings, as that viewer may see them: financiers on the marketplace).
     */
    async annotateDeep<T>(value: T, warnFor?: Viewer): Promise<T> {
      const found: any[] = [];
      const walk = (v: unknown) => {
        if (Array.isArray(v)) return v.forEach(walk);
        if (!v || typeof v !== "object") return;
        const o = v as Record<string, unknown>;
        if (typeof o["id"] === "string" && /^0x[0-9a-f]{64}$/.test(o["id"]) && typeof o["seller"] === "string" && typeof o["buyer"] === "string") found.push(o);
        Object.values(o).forEach(walk);
      };
      walk(value);
      if (!found.length) return value;
      const annotated = await this.annotate(
        found.map((o) => ({
          id: o.id as string,
          seller: o.seller as string,
          buyer: o.buyer as string,
          parentId: (o.parentId as string | null | undefined) ?? null,
        })),
      );
      annotated.forEach((a, i) => Object.assign(found[i], { invoice: a.invoice, sellerName: a.sellerName, buyerName: a.buyerName }));
      if (warnFor) {
        const states = new Map((await deps.states(found.map((o) => o.id))).map((s) => [s.id, s]));
        for (const o of found) {
          const st = states.get(o.id);
          o.similar = st ? await this.warningsFor(warnFor, st) : [];
        }
      }
      return value;
    },

    /** Warnings for a receivable already registered: other receivables similar to it (by its details and its document). */
    async warningsFor(viewer: Viewer, state: ReceivableState): Promise<SimilarWarning[]> {
      const d = await store.get(state.id);
      if (!d) {
        // No details yet: only the document can be compared.
        const same = await store.sameDocument(state.documentHash, state.id);
        if (!same.length) return [];
        return await similarTo(
          viewer,
          { sellerTaxIdKey: "\u0000", buyerTaxIdKey: "\u0000", invoiceNumberKey: "\u0000", amount: -1n, issueDate: "", documentHash: state.documentHash },
          state.id,
        );
      }
      return await similarTo(viewer, { ...d, documentHash: state.documentHash }, state.id);
    },

    /** What a search text matches: receivables by invoice number or tax id, parties by name or tax id, an amount. */
    async resolveSearch(q: string): Promise<{ ids: string[]; parties: string[]; amount?: bigint | undefined }> {
      const text = q.trim();
      const key = normaliseIdentifier(text);
      const ids = key ? await store.search(key) : [];
      const lower = text.toLowerCase();
      const parties = [...(await companiesByAddress()).values()]
        .filter((c) => (lower.length >= 2 && c.legalName.toLowerCase().includes(lower)) || (key && normaliseIdentifier(c.taxId) === key))
        .map((c) => c.address);
      let amount: bigint | undefined;
      const plain = text.replace(/[,\s\u00A0\u202F']/g, "");
      if (/^\d+(\.\d+)?$/.test(plain)) {
        try {
          amount = parseAmount(plain);
        } catch {}
      }
      return { ids, parties, amount };
    },
  };
}

export function detailJson(d: InvoiceDetailRecord) {
  return {
    number: d.invoiceNumber,
    sellerTaxId: d.sellerTaxId,
    buyerTaxId: d.buyerTaxId,
    currency: d.currency,
    amount: d.amount.toString(),
    amountText: formatAmount(d.amount),
    issueDate: d.issueDate,
    submittedBy: d.submittedBy,
    actor: d.actor ?? d.submittedBy,
    submittedAt: d.submittedAt.toISOString(),
  };
}

export type InvoiceDetailService = ReturnType<typeof createInvoiceDetailService>;
