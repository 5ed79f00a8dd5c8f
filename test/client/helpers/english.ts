// The "no English left on a Chinese page" check (issue 10, client item 4), shared by the browser tests: every
// English catalog value of the groups a page shows, as a whole-text pattern, and the texts under a root element
// that match one of them.
import type { Page } from "playwright-core";
import { flattenCatalog } from "../../../client/src/i18n/index.ts";

export interface EnglishPattern {
  key: string;
  source: string;
}

/**
 * Each English value of these groups as a whole-text pattern: {{placeholders}} match any text, <tag/> markup any
 * text and <tag>…</tag> its content. Values with no English word left (only placeholders and punctuation) are left out.
 */
export function englishPatterns(catalog: object, groups: readonly string[]): EnglishPattern[] {
  const out: EnglishPattern[] = [];
  for (const [key, value] of flattenCatalog(catalog)) {
    if (!groups.some((g) => key.startsWith(`${g}.`))) continue;
    // Trans markup splits a value into text nodes: each piece between tags is a text of its own.
    const pieces = value
      .split(/<\/?\w+\/?>/)
      .map((p) => p.trim())
      .filter((p) => /[A-Za-z]{2,}/.test(p.replace(/\{\{\s*\w+\s*\}\}/g, "")));
    for (const piece of pieces) {
      const source = piece
        .split(/\{\{\s*\w+\s*\}\}/)
        .map((lit) => lit.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+"))
        .join(".+");
      out.push({ key, source: `^${source}$` });
    }
  }
  return out;
}

/** Texts under `root` that are an English catalog value: text nodes, the text of elements holding only text, options, placeholders and labels. */
export async function englishLeft(page: Page, patterns: EnglishPattern[], root = "main"): Promise<string[]> {
  return page.evaluate(
    ({ root, patterns }) => {
      const res = patterns.map((p) => ({ key: p.key, re: new RegExp(p.source) }));
      const el = document.querySelector(root);
      if (!el) return [`no ${root}`];
      const texts = new Set<string>();
      const norm = (s: string | null | undefined) => (s ?? "").replace(/\s+/g, " ").trim();
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const parent = n.parentElement;
        if (parent && (parent.closest("option") || parent.checkVisibility())) texts.add(norm(n.textContent));
      }
      for (const e of el.querySelectorAll<HTMLElement>("*")) {
        if (e.children.length === 0 && (e.tagName === "OPTION" || e.checkVisibility())) texts.add(norm(e.textContent));
        for (const attr of ["placeholder", "aria-label", "title"]) if (e.hasAttribute(attr)) texts.add(norm(e.getAttribute(attr)));
      }
      const found: string[] = [];
      for (const text of texts) {
        if (!text) continue;
        const hit = res.find((p) => p.re.test(text));
        if (hit) found.push(`${hit.key}: "${text}"`);
      }
      return found;
    },
    { root, patterns },
  );
}
