// Layout (issue 10, client items 5 and 6). Phone width: every route is usable 390 px wide. The page itself never scrolls
// sideways (document scrollWidth ≤ the viewport); wide tables scroll inside their card instead.
import { expect } from "chai";
import type { Page } from "playwright-core";
import { DEMO_ACCOUNTS } from "../../scripts/demo.ts";
import { startStack, type Stack } from "./helpers/stack.ts";
import { chooseAccount } from "./helpers/flow.ts";

const PHONE = { width: 390, height: 844 };
const UI_TIMEOUT_MS = 30_000;

/**
 * What sticks out past the viewport: the page's scroll width and the outermost boxes (elements, or text runs that
 * do not wrap) reaching beyond the screen that are not inside a container scrolling on its own.
 */
async function overflow(page: Page): Promise<{ scrollWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    const limit = window.innerWidth + 0.5;
    const scrolls = (el: Element | null): boolean => {
      for (let p = el; p && p !== document.body; p = p.parentElement) {
        if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(p).overflowX) && p.getBoundingClientRect().right <= limit) return true;
      }
      return false;
    };
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().replace(/\s+/g, ".") : ""}`;
    const culprits = new Set<string>();
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= limit || scrolls(el.parentElement)) continue;
      const parent = el.parentElement;
      if (parent && parent !== document.body && parent.getBoundingClientRect().right > limit) continue;
      culprits.add(`${name(el)} (right edge ${Math.round(r.right)} px)`);
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent?.trim() || scrolls(n.parentElement)) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const r = range.getBoundingClientRect();
      if (r.right > limit) culprits.add(`text "${n.textContent.trim().slice(0, 30)}" in ${name(n.parentElement!)} (right edge ${Math.round(r.right)} px)`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, culprits: [...culprits].slice(0, 8) };
  });
}

describe("web client: layout at phone width (390 px) and lazy charts", function () {
  let s: Stack;
  before(async function () {
    s = await startStack({ demoInvoices: true });
    await s.page.setViewportSize(PHONE);
  });
  after(async function () {
    await s?.stop();
  });

  it("charts load lazily: the receivables page fetches no chart code, the portfolio draws its collections as bars", async function () {
    const { page, server, accounts } = s;
    const scripts: string[] = [];
    const onRequest = (r: { url(): string; resourceType(): string }) => r.resourceType() === "script" && scripts.push(r.url());
    page.on("request", onRequest);
    try {
      await page.goto(`${server.url}/#/receivables`);
      await chooseAccount(page, accounts[DEMO_ACCOUNTS.sellers[0]]!);
      await page.locator("tr[data-id]").first().waitFor({ timeout: UI_TIMEOUT_MS });
      expect(
        scripts.filter((u) => /chart/.test(u)),
        "chart code fetched on the receivables page",
      ).to.deep.equal([]);
      await page.goto(`${server.url}/#/portfolio`);
      const rows = await page
        .locator("table.buckets tbody tr")
        .count()
        .then(
          async (n) =>
            n || (await page.locator("table.buckets tbody tr").first().waitFor({ timeout: UI_TIMEOUT_MS }), page.locator("table.buckets tbody tr").count()),
        );
      // ECharts draws each bar as a filled path in an SVG inside the chart box.
      await page.locator('[data-chart="bar"] svg').waitFor({ timeout: UI_TIMEOUT_MS });
      expect(
        scripts.some((u) => /chart/.test(u)),
        "the chart chunk loaded for the portfolio",
      ).to.equal(true);
      const nonZero = await page
        .locator("table.buckets tbody tr td.num:nth-of-type(2)")
        .evaluateAll((tds) => tds.filter((td) => !/^0\.00$/.test(td.textContent!.trim())).length);
      expect(rows).to.be.greaterThan(0);
      expect(nonZero, "the demo seller holds receivables to chart").to.be.greaterThan(0);
      // One bar per bucket; a bar's height is > 0 exactly when its bucket's amount is.
      const heights = await page
        .locator('[data-chart="bar"] svg path')
        .evaluateAll((ps) =>
          ps.filter((p) => /^#(b91c1c|1d4ed8|94a3b8)$/i.test(p.getAttribute("fill") ?? "")).map((p) => (p as SVGGraphicsElement).getBBox().height),
        );
      expect(heights.length).to.equal(rows);
      const bars = heights.filter((h) => h > 0.5).length;
      expect(bars).to.equal(nonZero);
    } finally {
      page.off("request", onRequest);
    }
  });

  const roles: [string, number][] = [
    ["seller", DEMO_ACCOUNTS.sellers[0]],
    ["buyer", DEMO_ACCOUNTS.buyers[0]],
    ["financier", DEMO_ACCOUNTS.financiers[0]],
    ["insurer", DEMO_ACCOUNTS.insurer],
    ["auditor", DEMO_ACCOUNTS.auditor],
    ["operator", DEMO_ACCOUNTS.operator],
  ];
  for (const [role, index] of roles) {
    it(`as the ${role}: no page scrolls sideways, the receivable page included`, async function () {
      const { page, server, accounts } = s;
      await page.goto(server.url);
      await chooseAccount(page, accounts[index]!);
      const hrefs = await page.locator("nav a[href^='#/']").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
      expect(hrefs.length, "the navigation offers routes").to.be.greaterThan(0);
      // One receivable detail page as well, where this role sees one.
      await page.goto(`${server.url}/#/receivables`);
      const first = page.locator("tr[data-id] a.id-link").first();
      if (
        await first.waitFor({ timeout: 10_000 }).then(
          () => true,
          () => false,
        )
      )
        hrefs.push((await first.getAttribute("href"))!);
      const wide: string[] = [];
      for (const href of hrefs) {
        await page.goto(`${server.url}/${href}`);
        await page.locator("main h1").first().waitFor({ timeout: UI_TIMEOUT_MS });
        await page.waitForLoadState("networkidle").catch(() => {});
        await page.waitForTimeout(300); // let data-driven tables render
        if (process.env.SCREENSHOT_DIR)
          await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/phone-${role}-${href.replace(/[^a-z0-9]+/gi, "_").slice(0, 40)}.png`, fullPage: true });
        const o = await overflow(page);
        if (o.scrollWidth > PHONE.width) wide.push(`${href}: page is ${o.scrollWidth} px wide; sticking out: ${o.culprits.join(", ") || "?"}`);
      }
      expect(wide, wide.join("\n")).to.deep.equal([]);
    });
  }
});
