// PDFs the server writes (dunning letters, evidence packs): pdfkit with an embedded CJK TrueType font, so Chinese
// and Latin text render from one font. pdfkit's built-in fonts have no CJK glyphs, and CFF/OTF CJK fonts render
// wrongly, so the font is a TrueType file (.ttf, or a .ttc collection with the face's PostScript name).
//
// The font: LETTER_FONT (a path, optionally "path#PostScriptName" to pick a face of a .ttc), else PDF_CJK_FONT,
// else Debian's WenQuanYi Micro Hei (fonts-wqy-microhei, installed by scripts/ci/fonts.sh).
import { existsSync } from "node:fs";
import PDFDocument from "pdfkit";
import { HttpError } from "../errors.ts";

export const DEFAULT_CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
/** The PostScript name of the default font's face inside its collection. */
export const DEFAULT_CJK_FACE = "WenQuanYiMicroHei";

export interface PdfFont {
  path: string;
  /** The face of a .ttc (its PostScript name); undefined for a .ttf. */
  face: string | undefined;
}

/** The font the PDFs embed, from the environment; a clear error (503, font_missing) when it is not there. */
export function pdfFont(env: NodeJS.ProcessEnv = process.env): PdfFont {
  const spec = env["LETTER_FONT"] || env["PDF_CJK_FONT"] || DEFAULT_CJK_FONT;
  const hash = spec.lastIndexOf("#");
  const path = hash > 0 ? spec.slice(0, hash) : spec;
  let face = hash > 0 ? spec.slice(hash + 1) : undefined;
  if (!existsSync(path))
    throw new HttpError(
      503,
      "font_missing",
      `the CJK font for PDFs is missing: ${path} does not exist. Set LETTER_FONT to a TrueType font with CJK glyphs (.ttf, or "file.ttc#PostScriptName"), or install Debian's fonts-wqy-microhei (scripts/ci/fonts.sh)`,
    );
  if (path.toLowerCase().endsWith(".ttc") && !face) {
    if (path === DEFAULT_CJK_FONT) face = DEFAULT_CJK_FACE;
    else throw new HttpError(503, "font_missing", `LETTER_FONT ${path} is a font collection: name the face after a #, e.g. "${path}#${DEFAULT_CJK_FACE}"`);
  }
  return { path, face };
}

export type Pdf = InstanceType<typeof PDFDocument>;

/** A new A4 document with the CJK font selected under the name "body"; `finish()` ends it and gives its bytes. */
export function createPdf(meta: { title: string; author: string; subject?: string; language: string }, font: PdfFont = pdfFont()) {
  const doc: Pdf = new PDFDocument({
    size: "A4",
    margin: 56,
    lang: meta.language,
    info: { Title: meta.title, Author: meta.author, Subject: meta.subject ?? meta.title, Creator: "receivables ledger" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on("end", () => resolve());
    doc.on("error", reject);
  });
  try {
    if (font.face) doc.registerFont("body", font.path, font.face);
    else doc.registerFont("body", font.path);
    doc.font("body");
  } catch (err) {
    throw new HttpError(503, "font_missing", `the PDF font ${font.path}${font.face ? "#" + font.face : ""} could not be loaded: ${(err as Error).message}`);
  }
  return {
    doc,
    async finish(): Promise<Uint8Array> {
      doc.end();
      await ended;
      return new Uint8Array(Buffer.concat(chunks));
    },
  };
}

/** A label and its value on one line (label in grey). */
export function field(doc: Pdf, label: string, value: string) {
  doc.fontSize(9).fillColor("#555555").text(label, { continued: false });
  doc
    .fontSize(11)
    .fillColor("#000000")
    .text(value || "—");
  doc.moveDown(0.3);
}

export function heading(doc: Pdf, text: string, size = 14) {
  doc.moveDown(0.6);
  doc.fontSize(size).fillColor("#000000").text(text);
  doc.moveDown(0.3);
}
