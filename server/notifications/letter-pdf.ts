// A dunning letter as PDF (issue 12, Collections item 3): the stored letter (its text was rendered from the
// level's template in the addressee's language, amounts and dates formatted by locale) laid out as a letter:
// the creditor, the date in the letter's language, the addressee, the subject and the body, with the CJK font
// embedded so Chinese text renders.
import { createPdf, type PdfFont } from "../pdf/pdf.ts";
import type { LetterRecord } from "./channels-store.ts";

const LABELS = {
  en: { from: "From", to: "To", date: "Date", reference: "Reference", subject: "Subject" },
  "zh-CN": { from: "发函方", to: "收函方", date: "日期", reference: "编号", subject: "事由" },
} as const;

/** The letter's date in its language (Intl, UTC): "December 3, 2026" / "2026年12月3日". */
export function letterDate(at: Date, language: string): string {
  return new Intl.DateTimeFormat(language === "zh-CN" ? "zh-CN" : "en", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(at);
}

export async function renderLetterPdf(l: LetterRecord, names: { sender: string; addressee: string }, font?: PdfFont): Promise<Uint8Array> {
  const lang = l.language === "zh-CN" ? "zh-CN" : "en";
  const t = LABELS[lang];
  const { doc, finish } = createPdf({ title: l.subject, author: names.sender, language: lang }, font);
  doc.fontSize(16).text(names.sender);
  doc.fontSize(9).fillColor("#555555").text(l.sender);
  doc.moveDown(1.5);
  const line = (label: string, value: string) => {
    doc.fontSize(10).fillColor("#555555").text(`${label}: `, { continued: true }).fillColor("#000000").text(value);
  };
  line(t.to, names.addressee === l.addressee ? l.addressee : `${names.addressee} (${l.addressee})`);
  line(t.date, letterDate(l.createdAt, lang));
  line(t.reference, `L-${l.id}`);
  doc.moveDown(1.5);
  doc.fontSize(14).fillColor("#000000").text(l.subject);
  doc.moveDown(0.8);
  doc.fontSize(11).text(l.body, { align: "left", lineGap: 3 });
  doc.moveDown(2);
  doc.fontSize(11).text(names.sender);
  return await finish();
}
