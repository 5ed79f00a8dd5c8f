// Data access of the invoice documents (the file a seller uploads with a registration, checked against the
// on-chain document hash). The only file that reads the Document table.
import type { Database } from "../database/client.ts";

export interface DocumentRecord {
  receivableId: string;
  contentType: string;
  bytes: Uint8Array;
  hash: string;
  uploadedBy: string;
  /** the person who uploaded it (null on rows from before staff existed) */
  actor: string | null;
  uploadedAt: Date;
}

export function createDocumentStore(db: Database) {
  const prisma = db.prisma;
  return {
    async get(receivableId: string): Promise<DocumentRecord | null> {
      return await prisma.document.findUnique({ where: { receivableId } });
    },
    async put(d: DocumentRecord) {
      const data = {
        contentType: d.contentType,
        bytes: Buffer.from(d.bytes) as any,
        hash: d.hash,
        uploadedBy: d.uploadedBy,
        actor: d.actor,
        uploadedAt: d.uploadedAt,
      };
      await prisma.document.upsert({ where: { receivableId: d.receivableId }, create: { receivableId: d.receivableId, ...data }, update: data });
    },
  };
}
