// Browser test of the Chinese catalog on the pages moved onto it (issue 10, client item 4): with zh-CN kept in
// localStorage, each of these pages, as the roles that see it, shows a Chinese heading and no text that is an
// English catalog value of its texts; the kept language survives a reload and a new tab, and "en" brings English back.
// The shell (top bar, navigation) is not checked here: the pages' own content (<main>) is.
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAddress, type Address } from "viem";
import type { Page } from "playwright-core";
import { DEMO_ACCOUNTS, DEMO_INVOICES } from "../../scripts/demo.ts";
import { en } from "../../client/src/i18n/en.ts";
import { zhCN } from "../../client/src/i18n/zh-CN.ts";
import { startStack, type Stack } from "./helpers/stack.ts";
import { chooseAccount } from "./helpers/flow.ts";
import { englishLeft as englishLeftOf, englishPatterns } from "./helpers/english.ts";

const UI_TIMEOUT_MS = 30_000;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), "ledger-screens-zh-"));
const STORAGE_KEY = "ledger.language";
/** The catalog groups of these pages and of the components and formats they show. */
const GROUPS = [
  "receivables",
  "register",
  "portfolio",
  "credit",
  "audit",
  "bank",
  "party",
  "invoice",
  "outstanding",
  "discussion",
  "status",
  "due",
  "common",
] as const;

const PATTERNS = englishPatterns(en, GROUPS);
const englishLeft = (page: Page, root = "main") => englishLeftOf(page, PATTERNS, root);

async function expectChinese(page: Page, heading: string, root = "main"): Promise<void> {
  await page.locator(`${root} h1, ${root} h2`).filter({ hasText: heading }).first().waitFor({ timeout: UI_TIMEOUT_MS });
  expect(await englishLeft(page, root), `English left on ${page.url()} (${root})`).to.deep.equal([]);
  const name = page.url().split("#/")[1]?.split("/")[0] || "receivables";
  await page.screenshot({ path: join(SCREENSHOT_DIR, `zh-${name}.png`), fullPage: true });
}

describe("web client: the pages in Chinese (zh-CN kept in localStorage)", function () {
  let s: Stack;
  let url: string;
  let role: (index: number) => Address;

  before(async function () {
    s = await startStack({ demoInvoices: true });
    url = s.server.url;
    role = (i) => s.accounts[i]!;
    // The language kept by an earlier visit, as the language switch keeps it; only set when nothing is kept yet,
    // so the test's own later choice (English) is not overwritten on reload.
    await s.page.addInitScript(
      ([key]) => {
        if (localStorage.getItem(key!) === null) localStorage.setItem(key!, "zh-CN");
      },
      [STORAGE_KEY],
    );
  });

  after(async function () {
    await s?.stop();
  });

  it("finds English in what it checks (the check can fail)", async function () {
    // An English page: the same check reports its English texts.
    const other = await s.browser.context.newPage();
    await other.addInitScript(([key]) => localStorage.setItem(key!, "en"), [STORAGE_KEY]);
    await other.goto(`${url}/#/receivables`);
    await other.getByRole("heading", { name: en.receivables.title }).waitFor({ timeout: UI_TIMEOUT_MS });
    const left = await englishLeft(other);
    expect(left).to.include(`receivables.title: "${en.receivables.title}"`);
    expect(left.length).to.be.greaterThan(10);
    // Nothing kept: the next pages start from the test's start-up script (zh-CN).
    await other.evaluate(([key]) => localStorage.removeItem(key!), [STORAGE_KEY]);
    await other.close();
  });

  it("shows the receivables list in Chinese signed out and as seller, buyer, financier, auditor and operator", async function () {
    const { page } = s;
    await page.goto(`${url}/#/receivables`);
    // The Chinese catalog is its own chunk: the page switches (and sets lang) once it has arrived.
    await page.waitForFunction(() => document.documentElement.lang === "zh-CN", undefined, { timeout: UI_TIMEOUT_MS }).catch(() => undefined);
    expect(await page.evaluate(() => document.documentElement.lang)).to.equal("zh-CN");
    await page.getByText(zhCN.receivables.signedOut).waitFor({ timeout: UI_TIMEOUT_MS });
    await expectChinese(page, zhCN.receivables.title);
    for (const who of [DEMO_ACCOUNTS.sellers[0], DEMO_ACCOUNTS.buyers[0], DEMO_ACCOUNTS.financiers[0], DEMO_ACCOUNTS.auditor, DEMO_ACCOUNTS.operator]) {
      await chooseAccount(page, role(who));
      await page.goto(`${url}/#/receivables`);
      if (who === DEMO_ACCOUNTS.auditor)
        await page
          .locator("tr[data-id]")
          .nth(DEMO_INVOICES.length - 1)
          .waitFor({ timeout: UI_TIMEOUT_MS });
      else await page.locator("tr[data-id], td.empty").first().waitFor({ timeout: UI_TIMEOUT_MS });
      await page.locator(".filters-status .spinner").waitFor({ state: "detached", timeout: UI_TIMEOUT_MS });
      if (who === DEMO_ACCOUNTS.sellers[0])
        await page.locator(".summary li", { hasText: zhCN.receivables.summary.owedToYou }).waitFor({ timeout: UI_TIMEOUT_MS });
      if (who === DEMO_ACCOUNTS.buyers[0]) {
        // The buyer's next steps and its summary, in Chinese.
        await page.locator("tr[data-id] a.button", { hasText: zhCN.receivables.step.reviewConfirm }).first().waitFor({ timeout: UI_TIMEOUT_MS });
        await page.locator(".summary li", { hasText: zhCN.receivables.summary.youOwe }).waitFor({ timeout: UI_TIMEOUT_MS });
      }
      await expectChinese(page, zhCN.receivables.title);
    }
    // Statuses and due dates in Chinese: "已确权", "2026年…日", "… 天后到期".
    const row = page.locator("tr[data-id]", { has: page.locator('[data-status="Confirmed"]') }).first();
    expect(await row.locator("[data-status]").innerText()).to.equal(zhCN.status.Confirmed);
    expect(await row.locator(".due").innerText()).to.match(/\d{4}年\d{1,2}月\d{1,2}日[\s\S]*\d+ 天后到期/);
  });

  it("shows the register form, its fingerprint and a registration in Chinese to a seller", async function () {
    const { page } = s;
    const seller = role(DEMO_ACCOUNTS.sellers[0]);
    const buyer = role(DEMO_ACCOUNTS.buyers[1]);
    await chooseAccount(page, seller);
    await page.goto(`${url}/#/register`);
    await page.locator(`select[name="buyer"] option[value="${getAddress(buyer)}"]`).waitFor({ state: "attached", timeout: UI_TIMEOUT_MS });
    await expectChinese(page, zhCN.register.title);
    expect(await page.locator('select[name="preset"] option').allInnerTexts()).to.deep.equal(Object.values(zhCN.register.preset));
    await page.locator('select[name="buyer"]').selectOption(getAddress(buyer));
    await page.locator('input[name="invoiceNumber"]').fill("ZH-2026-0001");
    await page.locator('input[name="amount"]').fill("8800");
    await page
      .locator('input[name="document"]')
      .setInputFiles({ name: "fapiao.json", mimeType: "application/json", buffer: Buffer.from('{"fapiao":"ZH-2026-0001"}') });
    await page.getByText("文件哈希").waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByText("发票指纹（应收账款编号）").waitFor({ timeout: UI_TIMEOUT_MS });
    await expectChinese(page, zhCN.register.title);
    await page.getByRole("button", { name: zhCN.register.submit }).click();
    const ok = page.locator("main .notice-ok");
    await ok.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await ok.innerText()).to.match(/^发票已登记为应收账款 0x[\s\S]*交易 0x[\s\S]*fapiao\.json 已随应收账款存储。[\s\S]*查看该应收账款$/);
    await expectChinese(page, zhCN.register.title);
  });

  it("shows the seller's and the financier's portfolio in Chinese", async function () {
    const { page } = s;
    await chooseAccount(page, role(DEMO_ACCOUNTS.sellers[0]));
    await page.goto(`${url}/#/portfolio`);
    await page.locator(`[aria-label="${zhCN.portfolio.summaryLabel}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByRole("heading", { name: zhCN.portfolio.seller.title }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(".buckets tbody th").allInnerTexts()).to.include.members([zhCN.portfolio.bucket.overdue, zhCN.portfolio.bucket.thisWeek]);
    await expectChinese(page, zhCN.portfolio.title);

    await chooseAccount(page, role(DEMO_ACCOUNTS.financiers[0]));
    await page.goto(`${url}/#/portfolio`);
    await page.getByRole("heading", { name: zhCN.portfolio.financier.holdingsTitle }).waitFor({ timeout: UI_TIMEOUT_MS });
    await expectChinese(page, zhCN.portfolio.title);
  });

  it("shows credit profiles in Chinese to a financier, an insurer, the auditor and the operator, with the limit form", async function () {
    const { page } = s;
    for (const who of [DEMO_ACCOUNTS.financiers[0], DEMO_ACCOUNTS.insurer, DEMO_ACCOUNTS.auditor, DEMO_ACCOUNTS.operator]) {
      await chooseAccount(page, role(who));
      await page.goto(`${url}/#/credit`);
      await page.locator(".credit-table tr[data-address]").first().waitFor({ timeout: UI_TIMEOUT_MS });
      await expectChinese(page, zhCN.credit.title);
    }
    await page.getByRole("button", { name: zhCN.credit.setLimitButton }).first().click();
    await page.locator('input[name="creditLimit"]').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(".credit-table .tier").first().innerText()).to.match(/^[ABC] 级$/);
    await expectChinese(page, zhCN.credit.title);
  });

  it("runs the audit in Chinese as the auditor and the operator", async function () {
    const { page } = s;
    for (const who of [DEMO_ACCOUNTS.auditor, DEMO_ACCOUNTS.operator]) {
      await chooseAccount(page, role(who));
      await page.goto(`${url}/#/audit`);
      await expectChinese(page, zhCN.audit.title);
      await page.getByRole("button", { name: zhCN.audit.run, exact: true }).click();
      const summary = page.locator("main .notice-ok, main .notice-error").first();
      await summary.waitFor({ timeout: UI_TIMEOUT_MS });
      if (who === DEMO_ACCOUNTS.auditor) {
        expect(await summary.innerText()).to.match(/已按区块 \d+ 核验 \d+ 笔应收账款[\s\S]*平台数据与链上一致。/);
        expect(await page.locator('td[data-check="chain"]').first().innerText()).to.equal(zhCN.audit.chainMatches);
      }
      await expectChinese(page, zhCN.audit.title);
    }
  });

  it("records a bank payment in Chinese as the operator, and the reference shows in Chinese on the receivable", async function () {
    const { page } = s;
    const id = `0x${s.ids[0]!.toString(16).padStart(64, "0")}`;
    await chooseAccount(page, role(DEMO_ACCOUNTS.operator));
    await page.goto(`${url}/#/bank-payments`);
    await expectChinese(page, zhCN.bank.title);
    await page.locator('input[name="receivableId"]').fill(id);
    await page.getByText(zhCN.bank.amountDueNow).waitFor({ timeout: UI_TIMEOUT_MS });
    await expectChinese(page, zhCN.bank.title);
    await page.locator('input[name="attestAmount"]').fill("1000");
    await page.locator('input[name="bankReference"]').fill("CAMT053-ZH-0001");
    await page.getByRole("button", { name: zhCN.bank.submit }).click();
    const ok = page.locator("main .notice-ok, main .notice-error").first();
    await ok.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await ok.innerText()).to.include("已登记银行回款 1,000.00（流水号 CAMT053-ZH-0001）");
    await expectChinese(page, zhCN.bank.title);

    // The receivable's page is not on the catalogs yet: only its reasons section (the shared Discussion) is checked.
    await chooseAccount(page, role(DEMO_ACCOUNTS.sellers[0]));
    await page.goto(`${url}/#/receivables/${id}`);
    await page.locator('[data-reason="bankPayment"]').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator('[data-reason="bankPayment"] dt').innerText()).to.equal(zhCN.discussion.kind.bankPayment);
    await expectChinese(page, zhCN.discussion.titleReasons, 'section[aria-labelledby="discussion-h"]');
  });

  it("keeps the language over a reload and in a new tab, and English once English is kept", async function () {
    const { page } = s;
    await chooseAccount(page, role(DEMO_ACCOUNTS.auditor));
    await page.goto(`${url}/#/receivables`);
    await page.reload();
    await expectChinese(page, zhCN.receivables.title);
    // A new tab without the test's start-up script: only the kept choice makes it Chinese (Chromium runs in English).
    const tab = await s.browser.context.newPage();
    expect(await tab.evaluate(() => navigator.language)).to.match(/^en/);
    await tab.goto(`${url}/#/receivables`);
    await tab.getByRole("heading", { name: zhCN.receivables.title }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await tab.evaluate(() => document.documentElement.lang)).to.equal("zh-CN");
    await tab.evaluate(([key]) => localStorage.setItem(key!, "en"), [STORAGE_KEY]);
    await tab.reload();
    await tab.getByRole("heading", { name: en.receivables.title }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await tab.evaluate(() => document.documentElement.lang)).to.equal("en");
    await tab.close();
  });
});
