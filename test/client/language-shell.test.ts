// Browser test of the shell and the receivable page in Chinese (issue 10, client item 4): with zh-CN kept in
// localStorage, the top bar (navigation, account picker, role chips, sign-in state), the footer, the document
// title and the receivable detail page of demo invoices show no text that is an English catalog value, as the
// seller, the buyer and the auditor; the seller opens the cancel confirmation (Chinese) and cancels it, the
// seller's staff panel is Chinese; server errors with a known code read in Chinese, others show the server's text
// under "details".
import { expect } from "chai";
import type { Address } from "viem";
import type { Page } from "playwright-core";
import { DEMO_ACCOUNTS } from "../../scripts/demo.ts";
import { en } from "../../client/src/i18n/en.ts";
import { zhCN } from "../../client/src/i18n/zh-CN.ts";
import { receivableEn } from "../../client/src/i18n/receivable/en.ts";
import { receivableZhCN } from "../../client/src/i18n/receivable/zh-CN.ts";
import { i18n } from "../../client/src/i18n/index.ts";
import { errorText } from "../../client/src/i18n/errors.ts";
import { ApiError } from "../../client/src/api.ts";
import { startStack, type Stack } from "./helpers/stack.ts";
import { chooseAccount } from "./helpers/flow.ts";
import { englishLeft, englishPatterns } from "./helpers/english.ts";

const UI_TIMEOUT_MS = 30_000;
const STORAGE_KEY = "ledger.language";
/** The shell's catalog groups (top bar, navigation, footer). */
const SHELL = englishPatterns(en, ["app", "nav", "shell", "role", "staff", "deskRole"]);
/** The receivable page: its own part and the shared groups it shows. */
const PAGE = [
  ...englishPatterns({ receivable: receivableEn }, ["receivable"]),
  ...englishPatterns(en, ["status", "due", "common", "party", "invoice", "outstanding", "discussion", "apiError", "confirmDialog"]),
];
const STAFF = englishPatterns(en, ["staff", "deskRole", "common"]);

const idOf = (n: bigint) => `0x${n.toString(16).padStart(64, "0")}`;

async function expectNoEnglish(page: Page, what: string, patterns = PAGE, root = "main"): Promise<void> {
  expect(await englishLeft(page, patterns, root), `English left in ${root} (${what})`).to.deep.equal([]);
}

describe("web client: the shell and the receivable page in Chinese (zh-CN kept in localStorage)", function () {
  let s: Stack;
  let url: string;
  let role: (index: number) => Address;

  before(async function () {
    s = await startStack({ demoInvoices: true });
    url = s.server.url;
    role = (i) => s.accounts[i]!;
    await s.page.addInitScript(([key]) => localStorage.setItem(key!, "zh-CN"), [STORAGE_KEY]);
  });

  after(async function () {
    await s?.stop();
  });

  /** Opens a receivable as `who` and waits for its Chinese page (title, status, history). */
  async function openReceivable(who: number, index: number): Promise<void> {
    const { page } = s;
    if (!page.url().startsWith(url)) await page.goto(`${url}/#/receivables`);
    await chooseAccount(page, role(who));
    await page.goto(`${url}/#/receivables/${idOf(s.ids[index]!)}`);
    await page.waitForFunction(() => document.documentElement.lang === "zh-CN", undefined, { timeout: UI_TIMEOUT_MS });
    // The demo invoices are registered on chain only (no invoice details kept): the page names them by their id.
    await page.locator("#receivable-title", { hasText: `${receivableZhCN.titleReceivable} 0x` }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByRole("heading", { name: receivableZhCN.history.title }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator('tr[data-event="ReceivableRegistered"]').waitFor({ timeout: UI_TIMEOUT_MS });
  }

  async function expectChineseShell(navWanted: string[], roleChip: string): Promise<void> {
    const { page } = s;
    expect(await page.locator("header nav a").allInnerTexts()).to.deep.equal(navWanted);
    expect(await page.locator(".account-status .role-chip").allInnerTexts()).to.include(roleChip);
    await page.locator(".account-status [data-signin='signed-in']", { hasText: zhCN.shell.signedIn }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(".account-label").innerText()).to.equal(zhCN.shell.actingAs);
    expect(await page.title()).to.equal(`${zhCN.title.receivable} · ${zhCN.app.name}`);
    expect(await englishLeft(page, SHELL, "header"), "English left in the top bar").to.deep.equal([]);
    expect(await englishLeft(page, SHELL, "footer"), "English left in the footer").to.deep.equal([]);
    expect(await page.locator("footer").innerText()).to.match(/^链 ID \d+ · 区块 \d+ · 账本合约 0x/);
  }

  it("finds English in the shell and the page when English is kept (the check can fail)", async function () {
    const other = await s.browser.context.newPage();
    await other.addInitScript(([key]) => localStorage.setItem(key!, "en"), [STORAGE_KEY]);
    await other.goto(`${url}/#/receivables`);
    await chooseAccount(other, role(DEMO_ACCOUNTS.auditor));
    await other.goto(`${url}/#/receivables/${idOf(s.ids[0]!)}`);
    await other.getByRole("heading", { name: receivableEn.history.title }).waitFor({ timeout: UI_TIMEOUT_MS });
    const shell = await englishLeft(other, SHELL, "header");
    expect(shell).to.include(`app.name: "${en.app.name}"`);
    expect(shell).to.include(`nav.receivables: "${en.nav.receivables}"`);
    const left = await englishLeft(other, PAGE);
    expect(left).to.include(`receivable.history.title: "${receivableEn.history.title}"`);
    expect(left).to.include(`receivable.event.ReceivableRegistered: "${receivableEn.event.ReceivableRegistered}"`);
    expect(await other.title()).to.equal(`${en.title.receivable} · ${en.app.name}`);
    await other.close();
  });

  it("shows the seller the shell, a registered invoice and the cancel confirmation in Chinese, and cancelling the dialog changes nothing", async function () {
    const { page } = s;
    await openReceivable(DEMO_ACCOUNTS.sellers[0], 1);
    await expectChineseShell(
      [zhCN.nav.receivables, zhCN.nav.register, zhCN.nav.portfolio, zhCN.nav.reports, zhCN.nav.collections, zhCN.nav.risk, zhCN.nav.staff],
      zhCN.role.Seller,
    );
    expect(await page.locator("main [data-status]").first().innerText()).to.equal(zhCN.status.Registered);
    // Dates and the relative due date by the language: "2026年…日 (55 天后到期)".
    expect(await page.locator("#terms-h + dl").innerText()).to.match(/\d{4}年\d{1,2}月\d{1,2}日[\s\S]*\d+ 天后到期/);
    expect(await page.locator("#parties-h + dl dt").allInnerTexts()).to.deep.equal([
      receivableZhCN.seller,
      receivableZhCN.buyerDebtor,
      receivableZhCN.holderPaid,
    ]);
    await page.getByText(receivableZhCN.action.cancelText).waitFor({ timeout: UI_TIMEOUT_MS });
    await expectNoEnglish(page, "seller, registered");

    await page.getByRole("button", { name: receivableZhCN.action.cancelInvoice }).click();
    const dialog = page.locator("dialog.confirm-dialog");
    await dialog.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await dialog.locator("h2").innerText()).to.match(/^撤销应收账款 0x[0-9a-f]{8}…[0-9a-f]{6}？$/);
    expect(await dialog.locator(".confirm-body").innerText()).to.match(/^撤销应收账款 0x\S+将使其退出账本：.+不再因此欠付 48,250\.00 .+此操作不可撤回。$/);
    expect(await dialog.locator("button").allInnerTexts()).to.deep.equal([zhCN.common.cancel, receivableZhCN.action.cancelInvoice]);
    await expectNoEnglish(page, "cancel confirmation", PAGE, "dialog.confirm-dialog");
    await dialog.getByRole("button", { name: zhCN.common.cancel, exact: true }).click();
    await dialog.waitFor({ state: "detached", timeout: UI_TIMEOUT_MS });
    expect(await page.locator("main .notice-ok, main .busy-line").count()).to.equal(0);
    expect(await page.locator("main [data-status]").first().innerText()).to.equal(zhCN.status.Registered);

    // The seller's own staff, on its "员工管理" page (the staff panel).
    await page.getByRole("link", { name: zhCN.nav.staff }).click();
    const staff = page.locator('section[aria-labelledby="staff-h"]');
    await staff.getByRole("heading", { name: zhCN.staff.title }).waitFor({ timeout: UI_TIMEOUT_MS });
    await staff.locator(`table[aria-label="${zhCN.staff.tableLabel}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await staff.locator("thead th").first().innerText()).to.equal(zhCN.staff.col.name);
    // The administrator's form to add staff, with the desk roles by their Chinese names.
    await staff.getByRole("heading", { name: zhCN.staff.addTitle }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect((await staff.locator("form .role-boxes label").allInnerTexts()).map((t) => t.trim())).to.deep.equal(Object.values(zhCN.deskRole));
    expect(await englishLeft(page, STAFF, 'section[aria-labelledby="staff-h"]'), "English left in the staff panel").to.deep.equal([]);
    expect(await page.title()).to.equal(`${zhCN.title.members} · ${zhCN.app.name}`);
  });

  it("shows the buyer what confirming and paying mean in Chinese", async function () {
    const { page } = s;
    await openReceivable(DEMO_ACCOUNTS.buyers[0], 1);
    // The demo buyers also sell (to their own suppliers): they see the seller's entries too.
    await expectChineseShell(
      [zhCN.nav.receivables, zhCN.nav.register, zhCN.nav.portfolio, zhCN.nav.reports, zhCN.nav.collections, zhCN.nav.risk, zhCN.nav.staff],
      zhCN.role.Buyer,
    );
    await page.getByRole("heading", { name: receivableZhCN.action.confirmTitle }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(".action-card > p").first().innerText()).to.match(
      /^确权即不可撤销地承诺于 \d{4}年\d{1,2}月\d{1,2}日 向届时的持有人支付 48,250\.00。/,
    );
    await page.getByRole("button", { name: receivableZhCN.action.confirmInvoice, exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByRole("button", { name: receivableZhCN.action.dispute }).click();
    await page.locator('input[name="disputeReason"]').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator('input[name="disputeReason"]').getAttribute("placeholder")).to.equal(receivableZhCN.action.disputePlaceholder);
    await expectNoEnglish(page, "buyer, registered, dispute form open");

    // A confirmed invoice: the amount due now and the pay button.
    await openReceivable(DEMO_ACCOUNTS.buyers[0], 0);
    await page.getByRole("heading", { name: receivableZhCN.action.payTitle }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByTestId("amount-due").waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByRole("button", { name: /^支付 [\d,.]+$/ }).count()).to.equal(1);
    expect(await page.locator('tr[data-event="ReceivableConfirmed"] td').first().innerText()).to.equal(receivableZhCN.event.ReceivableConfirmed);
    await expectNoEnglish(page, "buyer, confirmed");
  });

  it("shows the auditor a paid invoice's history and an unknown id in Chinese", async function () {
    const { page } = s;
    await openReceivable(DEMO_ACCOUNTS.auditor, 2);
    await expectChineseShell(
      [zhCN.nav.receivables, zhCN.nav.market, zhCN.nav.credit, zhCN.nav.reports, zhCN.nav.risk, zhCN.nav.audit, zhCN.nav.members],
      zhCN.role.Auditor,
    );
    expect(await page.locator("main [data-status]").first().innerText()).to.equal(zhCN.status.Paid);
    await page.locator('tr[data-event="ReceivablePaid"]').waitFor({ timeout: UI_TIMEOUT_MS });
    const events = await page.locator("#history-h ~ .table-wrap tbody tr td:first-child").allInnerTexts();
    expect(events).to.include.members([
      receivableZhCN.event.ReceivableRegistered,
      receivableZhCN.event.ReceivableConfirmed,
      receivableZhCN.event.ReceivablePaid,
    ]);
    expect(await page.locator('tr[data-event="ReceivablePaid"] td').nth(1).innerText()).to.match(/^[\d,]+\.\d{2} 付给 /);
    await expectNoEnglish(page, "auditor, paid");

    await page.goto(`${url}/#/receivables/${idOf(123456789n)}`);
    await page.getByTestId("receivable-not-found").waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId("receivable-not-found").innerText()).to.equal(receivableZhCN.notFound);
    await expectNoEnglish(page, "auditor, unknown id");
  });

  it("says server errors in the chosen language: a known code translated, an unknown one with the server's text under details", async function () {
    const before = i18n.language;
    if (!i18n.hasResourceBundle("zh-CN", "translation")) i18n.addResourceBundle("zh-CN", "translation", zhCN);
    try {
      await i18n.changeLanguage("zh-CN");
      expect(errorText(new ApiError(403, "desk role arClerk or treasurer needed", "desk_role"))).to.equal(zhCN.apiError.desk_role);
      expect(errorText(new ApiError(409, "the key is staff of 0xabc", "staff_of_another_member"))).to.equal(zhCN.apiError.staff_of_another_member);
      expect(errorText(new ApiError(418, "teapot refused", "brewing"))).to.equal("服务器拒绝了请求（HTTP 418）。 详情：teapot refused");
      expect(errorText(new ApiError(500, "no code at all"))).to.equal("服务器拒绝了请求（HTTP 500）。 详情：no code at all");
      await i18n.changeLanguage("en");
      expect(errorText(new ApiError(403, "desk role arClerk or treasurer needed", "desk_role"))).to.equal("desk role arClerk or treasurer needed");
    } finally {
      await i18n.changeLanguage(before);
    }
  });
});
