// Invoice details, near-duplicate checks, reason texts and the dispute thread (issue 9, items 15–17).
import type { Address, Hex } from "viem";
import { request, type SimilarWarning } from "./api.ts";

export interface InvoiceDetailsBody {
  sellerTaxId: string;
  buyerTaxId: string;
  invoiceNumber: string;
  currency: string;
  /** base units */
  amount: string;
  /** YYYY-MM-DD */
  issueDate: string;
}

export interface DiscussionJson {
  reasons: { kind: "dispute" | "creditNote" | "bankPayment"; hash: Hex; text: string; submittedBy: Address; submittedAt: string }[];
  messages: { id: string; author: Address; authorName: string | null; body: string; createdAt: string }[];
  attachments: { id: string; fileName: string; contentType: string; hash: Hex; uploadedBy: Address; uploadedAt: string }[];
}

export const invoiceApi = {
  submitDetails: (id: string, body: InvoiceDetailsBody) =>
    request<{ number: string; similar: SimilarWarning[] }>("POST", `/api/receivables/${id}/details`, body),
  similar: (body: InvoiceDetailsBody & { documentHash?: string }) => request<{ similar: SimilarWarning[] }>("POST", "/api/invoices/similar", body),
  discussion: (id: string) => request<DiscussionJson>("GET", `/api/receivables/${id}/discussion`),
  postReason: (id: string, kind: "dispute" | "creditNote" | "bankPayment", text: string) =>
    request<unknown>("POST", `/api/receivables/${id}/reasons`, { kind, text }),
  postMessage: (id: string, body: string) => request<unknown>("POST", `/api/receivables/${id}/dispute/messages`, { body }),
  uploadAttachment: async (id: string, file: File) => {
    const res = await fetch(`/api/receivables/${id}/dispute/attachments`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": file.type || "application/octet-stream", "x-file-name": encodeURIComponent(file.name) },
      body: file,
    });
    if (!res.ok)
      throw new Error(((await res.json().catch(() => ({}))) as { error?: { message?: string } }).error?.message ?? `upload failed with HTTP ${res.status}`);
    return await res.json();
  },
  attachmentUrl: (id: string, attachmentId: string) => `/api/receivables/${id}/dispute/attachments/${attachmentId}`,
};
