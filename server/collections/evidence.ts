// The evidence pack of a hand-over (issue 12, Collections item 6; DOMAIN.md "Collections"): what an agency or a
// lawyer needs to pursue the claim, as of the final block the hand-over was decided on:
//   - the invoice (its details, the document's on-chain hash, whether the stored file matches it),
//   - the buyer's confirmation (its transaction hash and block: the irrevocable promise to pay),
//   - a statement of the balance: face, credit notes, paid, outstanding (face − credit notes − paid, unless the
//     holder marked it defaulted with another outstanding),
//   - the full history: ledger events, dunning levels and their messages, contacts, promises, charges and
//     earlier hand-overs, each with its date and person.
// Rendered as a PDF (in the chosen language, CJK font embedded) and packed with the originals in a ZIP: the PDF,
// history.json and the stored invoice document file(s).
import { zipSync, strToU8 } from "fflate";
import { createPdf, field, heading, type PdfFont } from "../pdf/pdf.ts";
import { formatMoney, type Language } from "./policy.ts";

export interface EvidenceEvent {
  name: string;
  block: number;
  tx: string;
  at: string;
  /** an amount the event carries (payments, credit notes), base units */
  amount: string | null;
}

export interface EvidencePerson {
  address: string;
  name: string;
}

/** Everything the pack states; also the ZIP's history.json (amounts are base-unit decimal strings). */
export interface EvidenceFacts {
  language: Language;
  generatedAt: string;
  asOfBlock: number;
  handover: { id: string; kind: "agency" | "legal"; agency: string; note: string; person: EvidencePerson; at: string };
  creditor: EvidencePerson;
  seller: EvidencePerson;
  buyer: EvidencePerson;
  receivable: {
    id: string;
    invoiceNumber: string | null;
    currency: string;
    status: string;
    issueDate: string;
    dueDate: string;
    daysPastDue: number;
    documentHash: string;
    registeredTx: string;
    registeredBlock: number;
  };
  document: { fileName: string; contentType: string; bytes: number; hash: string; matchesChain: boolean; uploadedBy: string; uploadedAt: string } | null;
  confirmation: { tx: string; block: number; at: string; bySignature: boolean } | null;
  balance: { face: string; creditNotes: string; paid: string; outstanding: string };
  ledger: EvidenceEvent[];
  dunning: {
    level: number;
    channels: string[];
    status: string;
    decidedOn: string;
    decidedBlock: number;
    approvedBy: EvidencePerson | null;
    cancelReason: string | null;
    messages: {
      channel: string;
      status: string | null;
      recipient: string | null;
      subject: string | null;
      sentAt: string | null;
      cancelReason: string | null;
    }[];
  }[];
  contacts: { at: string; person: EvidencePerson; channel: string; outcome: string; note: string }[];
  promises: { amount: string; date: string; status: string; createdBy: EvidencePerson; resolvedOn: string | null }[];
  charges: { level: number; kind: string; amount: string; chargedAt: string }[];
  earlierHandovers: { kind: string; agency: string; person: EvidencePerson; at: string; recalledAt: string | null; recalledBy: EvidencePerson | null }[];
}

const L = {
  en: {
    title: { agency: "Evidence pack: hand-over to a collection agency", legal: "Evidence pack: hand-over to legal" },
    handover: "Hand-over",
    kind: "Handed over to",
    kinds: { agency: "Collection agency", legal: "Legal" },
    agency: "Agency / counsel",
    note: "Note",
    by: "By",
    at: "Date",
    asOf: "Facts as of block",
    parties: "Parties",
    creditor: "Creditor (holder)",
    seller: "Seller",
    buyer: "Buyer (debtor)",
    invoice: "Invoice",
    receivable: "Receivable id",
    invoiceNumber: "Invoice number",
    status: "Status on the ledger",
    issueDate: "Issue date",
    dueDate: "Due date",
    daysPastDue: "Days past due",
    documentHash: "Document hash (on chain)",
    documentFile: "Document file",
    noDocument: "not uploaded",
    matches: "matches the on-chain hash",
    mismatch: "DOES NOT match the on-chain hash",
    registration: "Registration transaction / block",
    confirmation: "Buyer's confirmation",
    confirmationTx: "Confirmation transaction",
    confirmationBlock: "Block",
    how: "Confirmed",
    bySignature: "by EIP-712 signature submitted by the seller",
    byTransaction: "by the buyer's transaction",
    notConfirmed: "not confirmed by the buyer",
    balance: "Statement of the balance",
    face: "Face amount",
    creditNotes: "Credit notes",
    paid: "Paid",
    outstanding: "Outstanding",
    ledger: "Ledger history",
    dunning: "Dunning history",
    level: "Level (days from due date)",
    contacts: "Contacts",
    promises: "Promises to pay",
    charges: "Charges",
    earlier: "Earlier hand-overs",
    recalled: "recalled",
    none: "none",
  },
  "zh-CN": {
    title: { agency: "证据材料：移交第三方催收机构", legal: "证据材料：移交法务" },
    handover: "移交",
    kind: "移交对象",
    kinds: { agency: "催收机构", legal: "法务" },
    agency: "机构 / 律师",
    note: "备注",
    by: "经办人",
    at: "日期",
    asOf: "事实截至区块",
    parties: "当事方",
    creditor: "债权人（持有人）",
    seller: "卖方",
    buyer: "买方（债务人）",
    invoice: "发票",
    receivable: "应收账款编号",
    invoiceNumber: "发票号码",
    status: "链上状态",
    issueDate: "开票日期",
    dueDate: "到期日",
    daysPastDue: "逾期天数",
    documentHash: "单据哈希（链上）",
    documentFile: "单据文件",
    noDocument: "未上传",
    matches: "与链上哈希一致",
    mismatch: "与链上哈希不一致",
    registration: "登记交易 / 区块",
    confirmation: "买方确认",
    confirmationTx: "确认交易",
    confirmationBlock: "区块",
    how: "确认方式",
    bySignature: "卖方提交的买方 EIP-712 签名",
    byTransaction: "买方交易",
    notConfirmed: "买方未确认",
    balance: "余额对账",
    face: "票面金额",
    creditNotes: "红字发票（贷项通知）",
    paid: "已付",
    outstanding: "未付余额",
    ledger: "账本记录",
    dunning: "催收记录",
    level: "级别（距到期日天数）",
    contacts: "联系记录",
    promises: "付款承诺",
    charges: "费用",
    earlier: "以往移交",
    recalled: "已撤回",
    none: "无",
  },
} as const;

const who = (p: EvidencePerson | null) => (p ? (p.name && p.name !== p.address ? `${p.name} (${p.address})` : p.address) : "—");

export function dateIn(iso: string, language: Language, withTime = false): string {
  return (
    new Intl.DateTimeFormat(language, {
      year: "numeric",
      month: "long",
      day: "numeric",
      ...(withTime ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" as const } : {}),
      timeZone: "UTC",
    }).format(new Date(iso)) + (withTime ? " UTC" : "")
  );
}

export async function renderEvidencePdf(f: EvidenceFacts, font?: PdfFont): Promise<Uint8Array> {
  const lang = f.language;
  const t = L[lang];
  const money = (units: string) => formatMoney(BigInt(units), f.receivable.currency, lang);
  const { doc, finish } = createPdf({ title: t.title[f.handover.kind], author: f.creditor.name, subject: f.receivable.id, language: lang }, font);
  doc.fontSize(16).text(t.title[f.handover.kind]);
  doc
    .fontSize(9)
    .fillColor("#555555")
    .text(`${t.asOf} ${f.asOfBlock} · ${dateIn(f.generatedAt, lang, true)}`);

  heading(doc, t.handover);
  field(doc, t.kind, t.kinds[f.handover.kind]);
  field(doc, t.agency, f.handover.agency);
  field(doc, t.note, f.handover.note);
  field(doc, t.by, who(f.handover.person));
  field(doc, t.at, dateIn(f.handover.at, lang, true));

  heading(doc, t.parties);
  field(doc, t.creditor, who(f.creditor));
  field(doc, t.seller, who(f.seller));
  field(doc, t.buyer, who(f.buyer));

  heading(doc, t.invoice);
  field(doc, t.receivable, f.receivable.id);
  field(doc, t.invoiceNumber, f.receivable.invoiceNumber ?? "—");
  field(doc, t.status, f.receivable.status);
  field(doc, t.issueDate, dateIn(f.receivable.issueDate, lang));
  field(doc, t.dueDate, dateIn(f.receivable.dueDate, lang));
  field(doc, t.daysPastDue, String(f.receivable.daysPastDue));
  field(doc, t.documentHash, f.receivable.documentHash);
  field(
    doc,
    t.documentFile,
    f.document
      ? `${f.document.fileName} (${f.document.contentType}, ${f.document.bytes} bytes) — keccak256 ${f.document.hash}, ${f.document.matchesChain ? t.matches : t.mismatch}`
      : t.noDocument,
  );
  field(doc, t.registration, `${f.receivable.registeredTx} / ${f.receivable.registeredBlock}`);

  heading(doc, t.confirmation);
  if (f.confirmation) {
    field(doc, t.confirmationTx, f.confirmation.tx);
    field(doc, t.confirmationBlock, `${f.confirmation.block} · ${dateIn(f.confirmation.at, lang, true)}`);
    field(doc, t.how, f.confirmation.bySignature ? t.bySignature : t.byTransaction);
  } else field(doc, t.confirmation, t.notConfirmed);

  heading(doc, t.balance);
  field(doc, t.face, money(f.balance.face));
  field(doc, t.creditNotes, money(f.balance.creditNotes));
  field(doc, t.paid, money(f.balance.paid));
  field(doc, t.outstanding, money(f.balance.outstanding));

  const list = (title: string, rows: string[]) => {
    heading(doc, title, 12);
    if (!rows.length) doc.fontSize(10).text(t.none);
    for (const r of rows) doc.fontSize(9).fillColor("#000000").text(r, { lineGap: 1 }).moveDown(0.2);
  };
  list(
    t.ledger,
    f.ledger.map((e) => `${dateIn(e.at, lang, true)} · ${e.name}${e.amount ? ` ${money(e.amount)}` : ""} · block ${e.block} · tx ${e.tx}`),
  );
  list(
    t.dunning,
    f.dunning.flatMap((d) => [
      `${d.decidedOn} · ${t.level} ${d.level} · ${d.channels.join(", ")} · ${d.status}${d.cancelReason ? ` (${d.cancelReason})` : ""} · block ${d.decidedBlock}${d.approvedBy ? ` · ${who(d.approvedBy)}` : ""}`,
      ...d.messages.map(
        (m) =>
          `    ${m.channel} → ${m.recipient ?? "—"} · ${m.status ?? "—"}${m.sentAt ? ` · ${dateIn(m.sentAt, lang, true)}` : ""}${m.cancelReason ? ` (${m.cancelReason})` : ""}${m.subject ? ` · ${m.subject}` : ""}`,
      ),
    ]),
  );
  list(
    t.contacts,
    f.contacts.map((c) => `${dateIn(c.at, lang, true)} · ${who(c.person)} · ${c.channel} · ${c.outcome}${c.note ? ` · ${c.note}` : ""}`),
  );
  list(
    t.promises,
    f.promises.map((p) => `${money(p.amount)} · ${p.date} · ${p.status}${p.resolvedOn ? ` (${p.resolvedOn})` : ""} · ${who(p.createdBy)}`),
  );
  list(
    t.charges,
    f.charges.map((c) => `${dateIn(c.chargedAt, lang)} · ${t.level} ${c.level} · ${c.kind} · ${money(c.amount)}`),
  );
  list(
    t.earlier,
    f.earlierHandovers.map(
      (h) =>
        `${dateIn(h.at, lang, true)} · ${h.kind} · ${h.agency} · ${who(h.person)}${h.recalledAt ? ` · ${t.recalled} ${dateIn(h.recalledAt, lang, true)} ${who(h.recalledBy)}` : ""}`,
    ),
  );
  return await finish();
}

/** The file name of the stored invoice document inside the ZIP. */
export function documentFileName(contentType: string): string {
  const ext = contentType.includes("pdf") ? "pdf" : contentType.includes("json") ? "json" : contentType.includes("xml") ? "xml" : "bin";
  return `invoice-document.${ext}`;
}

/** The ZIP of the originals: the evidence PDF, history.json and the stored invoice document (when there is one). */
export function packZip(f: EvidenceFacts, pdf: Uint8Array, document: Uint8Array | null): Uint8Array {
  const mtime = new Date(f.handover.at);
  const files: Record<string, [Uint8Array, { mtime: Date; level: 0 | 6 }]> = {
    "evidence.pdf": [pdf, { mtime, level: 0 }],
    "history.json": [strToU8(JSON.stringify(f, null, 2)), { mtime, level: 6 }],
  };
  if (document && f.document) files[f.document.fileName] = [document, { mtime, level: 6 }];
  return zipSync(files);
}
