// The reports page in the browser (issue 11, in the client): a seller with the demo invoices, 45 days on (one
// invoice past due, one not yet due, one paid), opens Reports from the navigation; the aging table equals the
// aging the test computes itself from the receivables' due dates and outstanding amounts (and what
// /api/reports/aging answers, fetched by the test), its buckets add up to the open balance; a bucket opens its
// receivables; the KPI cards show the figures (a figure without credit sales as "—"); the page reads in Chinese;
// an as-of date re-ages the ledger at that day and changes the stamp. ECharts loads with the page, not before.
// Then a buyer's dashboard: what it owes by seller, and what falls due this week and this month.
import { expect } from "chai";
import { basename, join } from "node:path";
import { JsonRpcProvider } from "ethers";
import type { Page } from "playwright-core";
import { DEMO_ACCOUNTS, DEMO_INVOICES } from "../../scripts/demo.ts";
import { en } from "../../client/src/i18n/en.ts";
import { zhCN } from "../../client/src/i18n/zh-CN.ts";
import { reportsEn } from "../../client/src/i18n/reports/en.ts";
import { reportsZhCN } from "../../client/src/i18n/reports/zh-CN.ts";
import { DAY_S } from "../../common/units.ts";
import { money } from "../../client/src/format.ts";
import { startStack, type Stack } from "./helpers/stack.ts";
import { chooseAccount } from "./helpers/flow.ts";
import { englishLeft, englishPatterns } from "./helpers/english.ts";

const UI_TIMEOUT_MS = 30_000;
const TRAVEL_DAYS = 45;
const BUCKETS = ["not-due", "1-30", "31-60", "61-90", "91-120", "over-120"] as const;

/** The test's own aging: days past due = report day − due day (UTC); 0 or less not due, then 1–30, 31–60, … */
function bucketOf(dueIso: string, reportDay: number): (typeof BUCKETS)[number] {
  const days = reportDay - Math.floor(Date.parse(dueIso) / 1000 / DAY_S);
  if (days <= 0) return "not-due";
  if (days <= 30) return "1-30";
  if (days <= 60) return "31-60";
  if (days <= 90) return "61-90";
  if (days <= 120) return "91-120";
  return "over-120";
}

interface OpenItem {
  id: string;
  dueDate: string;
  outstanding: string;
  status: string;
}

function ownAging(items: OpenItem[], reportDay: number) {
  const rows = new Map(BUCKETS.map((b) => [b, { count: 0, amount: 0n, ids: [] as string[] }]));
  for (const r of items) {
    const row = rows.get(bucketOf(r.dueDate, reportDay))!;
    row.count++;
    row.amount += BigInt(r.outstanding);
    row.ids.push(r.id);
  }
  return rows;
}

/** The aging table as shown: bucket → [count, amount in base units]. */
async function shownAging(page: Page): Promise<Record<string, [number, string]>> {
  return page
    .locator('section[data-section="aging"] table.aging-table tr[data-bucket]')
    .evaluateAll((trs) =>
      Object.fromEntries(trs.map((tr) => [tr.getAttribute("data-bucket"), [Number(tr.children[1]!.textContent), tr.children[2]!.getAttribute("data-amount")]])),
    );
}

describe("web client: the reports page", function () {
  let s: Stack;
  let page: Page;
  const scripts: string[] = [];
  /** Days since the epoch of the chain's day at registration, and 45 days later (the head). */
  let registrationDay: number;
  let headDay: number;
  let headBlock: number;

  before(async function () {
    s = await startStack({ demoInvoices: true });
    page = s.page;
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(basename(new URL(r.url()).pathname));
    });
    const provider = new JsonRpcProvider(s.chain.rpcUrl);
    const latest = async () => (await provider.send("eth_getBlockByNumber", ["latest", false])) as { number: string; timestamp: string };
    registrationDay = Math.floor(Number((await latest()).timestamp) / DAY_S);
    await provider.send("evm_increaseTime", [TRAVEL_DAYS * DAY_S]);
    await provider.send("evm_mine", []);
    const head = await latest();
    headDay = Math.floor(Number(head.timestamp) / DAY_S);
    headBlock = Number(head.number);
    provider.destroy();
  });
  after(async () => await s?.stop());

  it("shows the seller's aging (equal to its own computation and the API's), drill-down, KPIs, in Chinese, and as of a date", async function () {
    const seller = s.accounts[DEMO_ACCOUNTS.sellers[0]]!;
    await page.goto(s.server.url);
    await chooseAccount(page, seller);
    // Reports are read as of the indexed head: wait until the indexer has the block after the time travel.
    await page.waitForFunction(
      async (n) => ((await (await fetch("/api/reports/aging")).json()) as { asOf?: { block: { number: number } } }).asOf!.block.number >= n,
      headBlock,
      { timeout: UI_TIMEOUT_MS, polling: 250 },
    );
    expect(
      scripts.filter((f) => f.startsWith("echarts-impl-") || f.startsWith("reports-page-")),
      "no report or chart code before the page opens",
    ).to.deep.equal([]);

    await page.getByRole("link", { name: "Reports", exact: true }).click();
    await page.getByRole("heading", { name: reportsEn.title, exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator('section[data-section="aging"] table.aging-table').waitFor({ timeout: UI_TIMEOUT_MS });

    // The test's own aging, from the seller's receivables (the receivables API) at the head's day.
    const list = (
      await page.evaluate(
        async (addr) => (await (await fetch(`/api/receivables?seller=${addr}&limit=100`)).json()) as { items: OpenItem[] },
        seller.toLowerCase(),
      )
    ).items;
    const open = list.filter((r) => ["Registered", "Confirmed", "Disputed", "Defaulted"].includes(r.status) && BigInt(r.outstanding) > 0n);
    const mine = DEMO_INVOICES.filter((i) => i.seller === DEMO_ACCOUNTS.sellers[0]);
    expect(list).to.have.length(mine.length);
    expect(open).to.have.length(mine.filter((i) => i.then !== "paid").length);
    const own = ownAging(open, headDay);
    // The demo's first invoice (due in 40 days) is 5 days past due 45 days on; the second (55 days) is not due yet.
    expect(own.get("1-30")!.count).to.equal(1);
    expect(own.get("not-due")!.count).to.equal(1);
    const openBalance = open.reduce((t, r) => t + BigInt(r.outstanding), 0n);

    // The API's aging, fetched by the test with the seller's session.
    const api = await page.evaluate(
      async () =>
        (await (await fetch("/api/reports/aging")).json()) as {
          asOf: { block: { number: number }; reportDate: string };
          buckets: { bucket: string; count: number; amount: string }[];
          openBalance: string;
        },
    );
    expect(api.asOf.reportDate).to.equal(new Date(headDay * DAY_S * 1000).toISOString().slice(0, 10));

    await page.locator('[data-testid="as-of-stamp"]').waitFor({ timeout: UI_TIMEOUT_MS });
    const shown = await shownAging(page);
    for (const b of BUCKETS) {
      const fromApi = api.buckets.find((x) => x.bucket === b)!;
      expect(shown[b], b).to.deep.equal([own.get(b)!.count, own.get(b)!.amount.toString()]);
      expect(shown[b], b).to.deep.equal([fromApi.count, fromApi.amount]);
    }
    const sum = BUCKETS.reduce((t, b) => t + BigInt(shown[b]![1]), 0n);
    expect(sum).to.equal(openBalance);
    expect(shown.total).to.deep.equal([open.length, openBalance.toString()]);
    expect(api.openBalance).to.equal(openBalance.toString());
    const stamp = page.locator('[data-testid="as-of-stamp"]');
    expect(await stamp.getAttribute("data-block")).to.equal(String(api.asOf.block.number));
    expect(await stamp.innerText()).to.include(`As of block ${api.asOf.block.number}`);

    // Drill-down: the past-due bucket lists its receivable, linking to the receivable's page.
    await page.locator('section[data-section="aging"] tr[data-bucket="1-30"] button').click();
    const drill = page.locator('[data-drill="1-30"]');
    await drill.locator("tr[data-id]").first().waitFor({ timeout: UI_TIMEOUT_MS });
    const drilled = await drill
      .locator("tr[data-id]")
      .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute("data-id"), tr.querySelector("a.id-link")?.getAttribute("href")]));
    expect(drilled).to.deep.equal(own.get("1-30")!.ids.map((id) => [id, `#/receivables/${id}`]));

    // KPI cards, for the current month: no credit sales this month (the invoices were issued 50+ days ago), so
    // the sales-based DSOs are "—"; overdue ratio = past due / AR; CEI = (opening + 0 − closing) / (… − current) = 0.
    const kpi = (k: string) => page.locator(`li[data-kpi="${k}"] .stat-value`).innerText();
    await page.locator("li[data-kpi]").first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator("li[data-kpi]").count()).to.equal(8);
    expect(await kpi("dsoSimple")).to.equal("—");
    expect(await kpi("bpdso")).to.equal("—");
    expect(await kpi("add")).to.equal("—");
    expect(await kpi("dsoCountback")).to.match(/^\d+(\.\d)? days$/);
    const pastDue = openBalance - own.get("not-due")!.amount;
    expect(await kpi("overdueRatio")).to.equal(`${((Number(pastDue) / Number(openBalance)) * 100).toFixed(1)}%`);
    expect(await kpi("cei")).to.equal("0.0%");
    expect(await kpi("atRiskRate")).to.equal("0.0%");
    // The trend's line chart and the aging bar chart are drawn (SVG), from the one lazily loaded ECharts chunk.
    await page.locator('section[data-section="trend"] [data-chart="line"] svg').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator('section[data-section="aging"] [data-chart="bar"] svg').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(scripts.filter((f) => f.startsWith("echarts-impl-"))).to.have.length(1);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, "reports-en.png"), fullPage: true });
    const csv = await page.locator('section[data-section="aging"] a[data-export="aging.csv"]').getAttribute("href");
    expect(csv).to.equal("/api/reports/export/aging.csv?lang=en");

    // In Chinese: the page's own texts and the ones it shows from the main catalog.
    await page.locator('select[name="language"]').selectOption("zh-CN");
    await page.getByRole("heading", { name: reportsZhCN.title, exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator(`li[data-kpi="dsoCountback"] .stat-value`, { hasText: "天" }).waitFor({ timeout: UI_TIMEOUT_MS });
    const patterns = [...englishPatterns({ reports: reportsEn }, ["reports"]), ...englishPatterns(en, ["status", "party", "common", "due"])];
    expect(patterns.length).to.be.greaterThan(100);
    expect(await englishLeft(page, patterns), "English left on the reports page").to.deep.equal([]);
    expect(await page.locator('section[data-section="aging"] tr[data-bucket="1-30"] th').innerText()).to.equal(reportsZhCN.bucket["1-30"]);
    expect(await page.locator('[data-drill="1-30"] [data-status]').first().innerText()).to.equal(zhCN.status.Confirmed);
    expect(await stamp.innerText()).to.include(`截至区块 ${api.asOf.block.number}`);
    expect(await page.locator('section[data-section="aging"] a[data-export="aging.xlsx"]').getAttribute("href")).to.equal(
      "/api/reports/export/aging.xlsx?lang=zh-CN",
    );

    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, "reports-zh.png"), fullPage: true });

    // As of the registration day: the ledger re-aged at that day (nothing past due yet), stamped with that day's last block.
    const day = new Date(registrationDay * DAY_S * 1000).toISOString().slice(0, 10);
    await page.locator('select[name="asOfKind"]').selectOption("date");
    await page.locator('input[name="asOfDate"]').fill(day);
    await page.locator('form.report-controls button[type="submit"]').click();
    await page.locator(`[data-testid="as-of-stamp"][data-report-date="${day}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(Number(await stamp.getAttribute("data-block"))).to.be.below(api.asOf.block.number);
    await page.waitForFunction(() => document.querySelector('section[data-section="aging"] tr[data-bucket="1-30"] td')?.textContent === "0", undefined, {
      timeout: UI_TIMEOUT_MS,
    });
    const then = await shownAging(page);
    const ownThen = ownAging(open, registrationDay);
    for (const b of BUCKETS) expect(then[b], `${b} as of ${day}`).to.deep.equal([ownThen.get(b)!.count, ownThen.get(b)!.amount.toString()]);
    expect(ownThen.get("not-due")!.count).to.equal(open.length);
    expect(await page.locator('section[data-section="aging"] a[data-export="aging.csv"]').getAttribute("href")).to.equal(
      `/api/reports/export/aging.csv?asOfDate=${day}&lang=zh-CN`,
    );
    expect(await englishLeft(page, patterns), "English left after the as-of change").to.deep.equal([]);

    // A buyer's dashboard (at the head again: a new account starts the page afresh): what it owes by seller and
    // what falls due this week and this month, against its own receivables grouped and dated by the test.
    const buyer = s.accounts[DEMO_ACCOUNTS.buyers[0]]!;
    await chooseAccount(page, buyer);
    await page.locator('[data-dashboard="buyer"] tr[data-party]').first().waitFor({ timeout: UI_TIMEOUT_MS });
    const payables = (
      await page.evaluate(
        async (addr) => (await (await fetch(`/api/receivables?buyer=${addr}&limit=100`)).json()) as { items: (OpenItem & { seller: string })[] },
        buyer.toLowerCase(),
      )
    ).items.filter((r) => ["Registered", "Confirmed", "Disputed", "Defaulted"].includes(r.status) && BigInt(r.outstanding) > 0n);
    const bySeller = new Map<string, bigint>();
    for (const r of payables) bySeller.set(r.seller, (bySeller.get(r.seller) ?? 0n) + BigInt(r.outstanding));
    const owed = await page
      .locator('[data-dashboard="buyer"] tr[data-party]')
      .evaluateAll((trs) =>
        trs.map((tr): [string | null, string | null] => [tr.getAttribute("data-party"), tr.querySelector("[data-amount]")!.getAttribute("data-amount")]),
      );
    expect(new Map(owed)).to.deep.equal(new Map([...bySeller].map(([k, v]) => [k, v.toString()])));
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, "reports-zh-buyer.png"), fullPage: true });
    const dueDay = (r: OpenItem) => Math.floor(Date.parse(r.dueDate) / 1000 / DAY_S);
    const weekEnd = headDay - ((new Date(headDay * DAY_S * 1000).getUTCDay() + 6) % 7) + 6; // Sunday of the head's week
    const h = new Date(headDay * DAY_S * 1000);
    const monthEnd = Date.UTC(h.getUTCFullYear(), h.getUTCMonth() + 1, 0) / 1000 / DAY_S;
    const dueBy = (last: number) => money(payables.filter((r) => dueDay(r) >= headDay && dueDay(r) <= last).reduce((t, r) => t + BigInt(r.outstanding), 0n));
    expect(await page.locator('[data-dashboard="buyer"] li[data-stat="week"] .stat-value').innerText()).to.equal(dueBy(weekEnd));
    expect(await page.locator('[data-dashboard="buyer"] li[data-stat="month"] .stat-value').innerText()).to.equal(dueBy(monthEnd));
    expect(await page.locator('[data-dashboard="buyer"] li[data-stat="overdue"] .stat-value').innerText()).to.equal(
      money(payables.filter((r) => dueDay(r) < headDay).reduce((t, r) => t + BigInt(r.outstanding), 0n)),
    );
    expect(s.pageErrors, s.pageErrors.join("\n")).to.deep.equal([]);
  });
});
