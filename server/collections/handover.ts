// Hand-over use cases (issue 12, Collections item 6; DOMAIN.md "Collections"): escalate a case to a third-party
// collection agency or to legal, produce its evidence pack, and recall it.
//
// - Hand-over: the case is marked suppressed "handedOver" (the dunning engine skips it: nothing more is decided
//   and what the outbox has not sent yet is cancelled, reason "handed over"); the evidence pack (PDF + ZIP, see
//   evidence.ts) is produced from the facts final at that moment and kept as produced.
// - Recall: ends the hand-over; the next run decides the level due now (after the pause, the current one, never
//   the ones skipped meanwhile), as after any downtime.
// - Who: the creditor's people with collections (its administrator, collectors on the cases assigned to them, the
//   collections manager on any); another creditor's case is 404. Bad input changes nothing.
import { createHash, randomUUID } from "node:crypto";
import { badRequest, HttpError, notFound } from "../errors.ts";
import { mayDo } from "../../common/desk-roles.ts";
import { statusName } from "../../common/lifecycle.ts";
import { documentHash } from "../../common/fingerprint.ts";
import type { Viewer } from "../receivables/visibility.ts";
import type { ReceivableState } from "../receivables/projection.ts";
import type { StoredEvent } from "../receivables/store.ts";
import type { DocumentRecord } from "../receivables/documents-store.ts";
import type { CollectionStore, CaseRecord } from "./store.ts";
import type { CollectionService } from "./service.ts";
import type { DunningEngine } from "./engine.ts";
import type { HandoverStore, HandoverRecord, HandoverKind } from "./handover-store.ts";
import { daysRelative, type Language } from "./policy.ts";
import { documentFileName, packZip, renderEvidencePdf, type EvidenceFacts, type EvidencePerson } from "./evidence.ts";
import { pdfFont, type PdfFont } from "../pdf/pdf.ts";

export interface HandoverDeps {
  store: HandoverStore;
  cases: CollectionStore;
  collections: CollectionService;
  engine: DunningEngine;
  finalFacts(): Promise<{ block: number; day: number } | null>;
  /** A receivable's state and events as of a block. */
  receivable(id: string, asOfBlock: number): Promise<{ state: ReceivableState | null; events: StoredEvent[] }>;
  invoiceNumber(id: string): Promise<string | null>;
  document(id: string): Promise<DocumentRecord | null>;
  /** Unix time of block n. */
  blockTime(n: number): Promise<number>;
  /** A member's legal name, or a staff person's name (the address when unknown). */
  nameOf(address: string): Promise<string>;
  currency: string;
  font?: () => PdfFont;
}

export interface HandoverInput {
  kind: HandoverKind;
  agency: string;
  note: string;
  language: Language;
}

const conflict = (code: string, message: string) => new HttpError(409, code, message);
const iso = (unix: number) => new Date(unix * 1000).toISOString();

export function handoverJson(h: HandoverRecord) {
  return {
    id: h.id,
    caseId: h.caseId,
    receivableId: h.receivableId,
    kind: h.kind,
    agency: h.agency,
    note: h.note,
    person: h.person,
    handedOverAt: h.handedOverAt.toISOString(),
    asOfBlock: h.block,
    level: h.level,
    active: h.recalledAt === null,
    recalledAt: h.recalledAt?.toISOString() ?? null,
    recalledBy: h.recalledBy,
    recallNote: h.recallNote,
    evidence: { pdf: `/api/collections/handovers/${h.id}/evidence.pdf`, zip: `/api/collections/handovers/${h.id}/evidence.zip`, zipSha256: h.zipSha256 },
  };
}

export function createHandoverService(deps: HandoverDeps) {
  const { store } = deps;
  // Hand-overs and recalls of this process one at a time (the check and the write of one case never interleave).
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = queue.then(f);
    queue = next.catch(() => {});
    return next;
  };

  /** The case as the viewer may see it (404 for another creditor's, 403 without the collections desk role). */
  async function visibleCase(v: Viewer, caseId: string) {
    const json = await deps.collections.getCase(v, caseId);
    const c = (await deps.cases.case(caseId))!;
    return { c, json };
  }
  /** A collector changes only the cases assigned to it; the collections manager (and the administrator) any. */
  function worker(v: Viewer, c: CaseRecord) {
    if (!mayDo(v, "collectionsManage") && c.collector !== v.address)
      throw new HttpError(403, "desk_role", `case ${c.id} is assigned to ${c.collector ?? "nobody"}; a collector hands over or recalls only its own cases`);
  }
  const person = async (address: string | null): Promise<EvidencePerson | null> => (address ? { address, name: await deps.nameOf(address) } : null);

  async function evidenceFacts(
    c: CaseRecord,
    json: Awaited<ReturnType<CollectionService["getCase"]>>,
    h: { id: string; kind: HandoverKind; agency: string; note: string; person: string; at: Date },
    final: { block: number; day: number },
    language: Language,
    earlier: HandoverRecord[],
  ): Promise<{ facts: EvidenceFacts; document: Uint8Array | null }> {
    const { state, events } = await deps.receivable(c.receivableId, final.block);
    if (!state) throw conflict("not_indexed", `receivable ${c.receivableId} is not known as of the final block ${final.block}`);
    const times = new Map<number, number>();
    const at = async (n: number) => {
      if (!times.has(n)) times.set(n, await deps.blockTime(n));
      return iso(times.get(n)!);
    };
    // Face as registered, credit notes as the face's reductions, paid as the principal settled.
    const registered = events.find((e) => e.name === "ReceivableRegistered" && BigInt(String(e.args["id"])) === BigInt(c.receivableId));
    let face = registered ? BigInt(String(registered.args["amount"])) : null;
    let creditNotes = 0n;
    const ledger: EvidenceFacts["ledger"] = [];
    for (const e of events) {
      let amount: bigint | null = null;
      if (e.name === "ReceivableRegistered") amount = BigInt(String(e.args["amount"]));
      else if (e.name === "ReceivablePaid" || e.name === "BankPaymentAttested") amount = BigInt(String(e.args["amount"]));
      else if (e.name === "CreditNoteIssued") amount = BigInt(String(e.args["amount"]));
      else if (e.name === "CreditNoteAccepted") {
        const after = BigInt(String(e.args["faceAmount"]));
        if (face !== null) {
          amount = face - after;
          creditNotes += amount;
        }
        face = after;
      }
      ledger.push({ name: e.name, block: e.blockNumber, tx: e.transactionHash, at: await at(e.blockNumber), amount: amount?.toString() ?? null });
    }
    const originalFace = state.faceAmount + creditNotes;
    const confirmed = events.find((e) => e.name === "ReceivableConfirmed");
    const doc = await deps.document(c.receivableId);
    const docHash = doc ? documentHash(doc.bytes) : null;
    const [creditor, seller, buyer, by] = await Promise.all([person(c.creditor), person(state.seller), person(state.buyer), person(h.person)]);
    const facts: EvidenceFacts = {
      language,
      generatedAt: h.at.toISOString(),
      asOfBlock: final.block,
      handover: { id: h.id, kind: h.kind, agency: h.agency, note: h.note, person: by!, at: h.at.toISOString() },
      creditor: creditor!,
      seller: seller!,
      buyer: buyer!,
      receivable: {
        id: state.id,
        invoiceNumber: await deps.invoiceNumber(state.id),
        currency: deps.currency,
        status: statusName(state.status),
        issueDate: iso(state.issueDate),
        dueDate: iso(state.dueDate),
        daysPastDue: daysRelative(state.dueDate, final.day),
        documentHash: state.documentHash,
        registeredTx: state.registeredTx,
        registeredBlock: state.registeredBlock,
      },
      document: doc
        ? {
            fileName: documentFileName(doc.contentType),
            contentType: doc.contentType,
            bytes: doc.bytes.length,
            hash: docHash!,
            matchesChain: docHash === state.documentHash,
            uploadedBy: doc.uploadedBy,
            uploadedAt: doc.uploadedAt.toISOString(),
          }
        : null,
      confirmation: confirmed
        ? {
            tx: confirmed.transactionHash,
            block: confirmed.blockNumber,
            at: await at(confirmed.blockNumber),
            bySignature: confirmed.args["bySignature"] === true,
          }
        : null,
      balance: { face: originalFace.toString(), creditNotes: creditNotes.toString(), paid: state.paid.toString(), outstanding: state.outstanding.toString() },
      ledger,
      dunning: await Promise.all(
        json.levels.map(async (l) => ({
          level: l.level,
          channels: l.channels,
          status: l.status,
          decidedOn: l.decidedOn,
          decidedBlock: l.decidedBlock,
          approvedBy: await person(l.approvedBy),
          cancelReason: l.cancelReason,
          messages: l.messages,
        })),
      ),
      contacts: await Promise.all(
        json.contacts.map(async (x) => ({ at: x.at, person: (await person(x.person))!, channel: x.channel, outcome: x.outcome, note: x.note })),
      ),
      promises: await Promise.all(
        json.promises.map(async (p) => ({
          amount: p.amount,
          date: p.date,
          status: p.status,
          createdBy: (await person(p.createdBy))!,
          resolvedOn: p.resolvedOn,
        })),
      ),
      charges: json.charges,
      earlierHandovers: await Promise.all(
        earlier.map(async (e) => ({
          kind: e.kind,
          agency: e.agency,
          person: (await person(e.person))!,
          at: e.handedOverAt.toISOString(),
          recalledAt: e.recalledAt?.toISOString() ?? null,
          recalledBy: await person(e.recalledBy),
        })),
      ),
    };
    return { facts, document: doc ? doc.bytes : null };
  }

  return {
    /** The case's hand-overs, oldest first. */
    async list(v: Viewer, caseId: string) {
      const { c } = await visibleCase(v, caseId);
      return { caseId: c.id, handedOver: c.suppressed === "handedOver", items: (await store.ofCase(c.id)).map(handoverJson) };
    },

    async handOver(v: Viewer, caseId: string, body: HandoverInput) {
      return await serial(async () => {
        const { c } = await visibleCase(v, caseId);
        worker(v, c);
        if (c.status === "closed") throw conflict("case_closed", `case ${c.id} is closed (${c.suppressed ?? "closed"}): there is nothing to hand over`);
        const active = await store.active(c.id);
        if (active || c.suppressed === "handedOver")
          throw conflict(
            "already_handed_over",
            `case ${c.id} is already handed over (${active ? `${active.kind} ${active.agency}, ${active.handedOverAt.toISOString()}` : "handedOver"}); recall it first`,
          );
        const final = await deps.finalFacts();
        if (!final) throw badRequest("nothing final is indexed yet");
        const font = deps.font ? deps.font() : pdfFont(); // a missing font fails here, before anything changes
        const at = new Date();
        const id = randomUUID();
        // Dunning stops first (what the outbox has not sent is cancelled by the run, "handed over"), so the pack
        // states the history as handed over; if the pack cannot be made, the case goes back to what it was.
        await deps.cases.updateCase(c.id, { suppressed: "handedOver", updatedAt: at });
        try {
          await deps.engine.run({ creditors: [c.creditor] });
          const json = await deps.collections.getCase(v, c.id);
          const h = { id, kind: body.kind, agency: body.agency, note: body.note, person: v.address, at };
          const { facts, document } = await evidenceFacts(c, json, h, final, body.language, await store.ofCase(c.id));
          const pdf = await renderEvidencePdf(facts, font);
          const zip = packZip(facts, pdf, document);
          const created = await store.create(
            {
              id,
              caseId: c.id,
              receivableId: c.receivableId,
              creditor: c.creditor,
              kind: body.kind,
              agency: body.agency,
              note: body.note,
              person: v.address,
              handedOverAt: at,
              block: final.block,
              level: c.level,
              zipSha256: createHash("sha256").update(zip).digest("hex"),
            },
            { pdf, zip },
          );
          if (!created) throw conflict("already_handed_over", `case ${c.id} is already handed over; recall it first`);
          return { handover: handoverJson(created), case: json };
        } catch (err) {
          if (!(await store.active(c.id))) await deps.cases.updateCase(c.id, { suppressed: c.suppressed, updatedAt: new Date() });
          throw err;
        }
      });
    },

    async recall(v: Viewer, caseId: string, body: { note: string }) {
      return await serial(async () => {
        const { c } = await visibleCase(v, caseId);
        worker(v, c);
        const active = await store.active(c.id);
        if (!active) throw conflict("not_handed_over", `case ${c.id} is not handed over: there is nothing to recall`);
        const at = new Date();
        if (!(await store.recall(active.id, v.address, at, body.note))) throw conflict("not_handed_over", `case ${c.id} was recalled meanwhile`);
        if (c.suppressed === "handedOver") await deps.cases.updateCase(c.id, { suppressed: null, updatedAt: at });
        // Dunning resumes from the level due now (the run decides it once; the levels passed meanwhile are not sent).
        await deps.engine.run({ creditors: [c.creditor] });
        return { handover: handoverJson((await store.get(active.id))!), case: await deps.collections.getCase(v, c.id) };
      });
    },

    /** The evidence pack as produced at the hand-over: the PDF or the ZIP. */
    async evidence(v: Viewer, handoverId: string, part: "pdf" | "zip") {
      const h = await store.get(handoverId);
      if (!h || h.creditor !== v.member) throw notFound(`hand-over ${handoverId}`);
      await visibleCase(v, h.caseId);
      const bytes = await store.pack(h.id, part);
      if (!bytes) throw notFound(`hand-over ${handoverId}`);
      return { handover: h, bytes };
    },
  };
}

export type HandoverService = ReturnType<typeof createHandoverService>;
