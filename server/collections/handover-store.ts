// Data access of hand-overs (issue 12, Collections item 6): the only code that reads or writes CollectionHandover.
// The case's own flag (suppressed "handedOver") is the collection store's; this table keeps who handed the case
// over to whom and when, the recall, and the evidence pack exactly as produced at the hand-over.
import type { Database } from "../database/client.ts";

export type HandoverKind = "agency" | "legal";

export interface HandoverRecord {
  id: string;
  caseId: string;
  receivableId: string;
  creditor: string;
  kind: HandoverKind;
  agency: string;
  note: string;
  person: string;
  handedOverAt: Date;
  block: number;
  level: number | null;
  recalledAt: Date | null;
  recalledBy: string | null;
  recallNote: string | null;
  zipSha256: string;
}

const SUMMARY = {
  id: true,
  caseId: true,
  receivableId: true,
  creditor: true,
  kind: true,
  agency: true,
  note: true,
  person: true,
  handedOverAt: true,
  block: true,
  level: true,
  recalledAt: true,
  recalledBy: true,
  recallNote: true,
  zipSha256: true,
} as const;

const fromRow = (r: any): HandoverRecord => ({ ...r, kind: r.kind as HandoverKind });

export function createHandoverStore(db: Database) {
  const prisma = db.prisma;
  return {
    /** Records a hand-over with its evidence pack; null when the case has an active one already (nothing written). */
    async create(
      h: Omit<HandoverRecord, "recalledAt" | "recalledBy" | "recallNote">,
      pack: { pdf: Uint8Array; zip: Uint8Array },
    ): Promise<HandoverRecord | null> {
      return await prisma.$transaction(async (tx: any) => {
        if (await tx.collectionHandover.findFirst({ where: { caseId: h.caseId, recalledAt: null }, select: { id: true } })) return null;
        const row = await tx.collectionHandover.create({
          data: { ...h, evidencePdf: Buffer.from(pack.pdf), evidenceZip: Buffer.from(pack.zip) },
          select: SUMMARY,
        });
        return fromRow(row);
      });
    },
    async active(caseId: string): Promise<HandoverRecord | null> {
      const r = await prisma.collectionHandover.findFirst({ where: { caseId, recalledAt: null }, select: SUMMARY });
      return r && fromRow(r);
    },
    /** A case's hand-overs, oldest first. */
    async ofCase(caseId: string): Promise<HandoverRecord[]> {
      return (await prisma.collectionHandover.findMany({ where: { caseId }, orderBy: [{ handedOverAt: "asc" }, { id: "asc" }], select: SUMMARY })).map(fromRow);
    },
    async get(id: string): Promise<HandoverRecord | null> {
      const r = await prisma.collectionHandover.findUnique({ where: { id }, select: SUMMARY });
      return r && fromRow(r);
    },
    async pack(id: string, part: "pdf" | "zip"): Promise<Uint8Array | null> {
      const r = await prisma.collectionHandover.findUnique({
        where: { id },
        select: part === "pdf" ? { evidencePdf: true } : { evidenceZip: true },
      });
      if (!r) return null;
      return new Uint8Array((r as any)[part === "pdf" ? "evidencePdf" : "evidenceZip"]);
    },
    /** Ends the active hand-over; false when it was recalled already. */
    async recall(id: string, by: string, at: Date, note: string): Promise<boolean> {
      return (
        (await prisma.collectionHandover.updateMany({ where: { id, recalledAt: null }, data: { recalledAt: at, recalledBy: by, recallNote: note } })).count ===
        1
      );
    },
  };
}

export type HandoverStore = ReturnType<typeof createHandoverStore>;
