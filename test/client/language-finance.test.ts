// Browser test of the financing and members pages in Chinese (issue 10, client item 4): with zh-CN kept in
// localStorage, a seller lists a receivable for factoring and asks for loan offers, a financier prices the listing
// in the marketplace and offers a loan, the insurer offers a policy, the sellers see the offers and the policy on
// their receivables (one sells, the other accepts the policy), the operator and the auditor see the members (the
// operator admits one and is asked before a suspension) — each in Chinese, with no text left that is an English
// value of these pages' catalog parts or of the main catalog's groups they show. The page shell, the rest of a
// receivable's page, the staff panel and the confirm dialog's own buttons are translated elsewhere and not checked.
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAddress, type Address } from "viem";
import type { Page } from "playwright-core";
import { DEMO_ACCOUNTS } from "../../scripts/demo.ts";
import { en } from "../../client/src/i18n/en.ts";
import { zhCN } from "../../client/src/i18n/zh-CN.ts";
import { financingEn } from "../../client/src/i18n/financing/en.ts";
import { financingZhCN } from "../../client/src/i18n/financing/zh-CN.ts";
import { membersEn } from "../../client/src/i18n/members/en.ts";
import { membersZhCN } from "../../client/src/i18n/members/zh-CN.ts";
import { startStack, type Stack } from "./helpers/stack.ts";
import { chooseAccount } from "./helpers/flow.ts";
import { englishLeft as englishLeftOf, englishPatterns } from "./helpers/english.ts";

const UI_TIMEOUT_MS = 30_000;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), "ledger-screens-zh-finance-"));
const STORAGE_KEY = "ledger.language";
/** The catalog groups these pages show: their own parts and the main catalog's statuses, roles, tiers and parties. */
const GROUPS = ["financing", "members", "status", "role", "credit", "due", "common", "party", "invoice"] as const;
const PATTERNS = englishPatterns({ ...en, financing: financingEn, members: membersEn }, GROUPS);
const englishLeft = (page: Page, root: string) => englishLeftOf(page, PATTERNS, root);
/** "2026年12月6日 14:05": a moment by the Chinese format (formatDateTime). */
const ZH_MOMENT = /\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/;
const ZH_DATE = /\d{4}年\d{1,2}月\d{1,2}日/;
const f = financingZhCN;
const m = membersZhCN;

/** No English catalog text under any of these roots (each must exist). */
async function expectNoEnglish(page: Page, roots: readonly string[], shot?: string): Promise<void> {
  for (const root of roots) {
    await page.locator(root).first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await englishLeft(page, root), `English left on ${page.url()} (${root})`).to.deep.equal([]);
  }
  if (shot) await page.screenshot({ path: join(SCREENSHOT_DIR, `zh-${shot}.png`), fullPage: true });
}

/** The members page's own parts (the staff panel between them is not this page's). */
const MEMBERS_ROOTS = ['section[aria-labelledby="members-title"] > .page-head', "main .members-table"] as const;

describe("web client: the financing and members pages in Chinese (zh-CN kept in localStorage)", function () {
  let s: Stack;
  let url: string;
  let role: (index: number) => Address;
  /** INV-2026-0001 (Acme → Colossus, 125,000.00, confirmed): listed for factoring and sold. */
  let listed = "";
  /** BP-77120 (Borealis → Colossus, 310,000.00, confirmed): a loan offer and a policy. */
  let pledged = "";

  before(async function () {
    s = await startStack({ demoInvoices: true });
    url = s.server.url;
    role = (i) => s.accounts[i]!;
    const hex = (id: bigint) => `0x${id.toString(16).padStart(64, "0")}`;
    listed = hex(s.ids[0]!);
    pledged = hex(s.ids[3]!);
    // The language kept by an earlier visit, as the language switch keeps it (only when nothing is kept yet).
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
    const other = await s.browser.context.newPage();
    await other.addInitScript(([key]) => localStorage.setItem(key!, "en"), [STORAGE_KEY]);
    await other.goto(`${url}/#/market`);
    await other.getByRole("heading", { name: financingEn.market.title }).waitFor({ timeout: UI_TIMEOUT_MS });
    const market = await englishLeft(other, "main");
    expect(market).to.include(`financing.market.title: "${financingEn.market.title}"`);
    expect(market).to.include(`financing.market.financiersOnly: "${financingEn.market.financiersOnly}"`);
    await other.goto(`${url}/#/members`);
    await other.getByRole("heading", { name: membersEn.title }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await englishLeft(other, MEMBERS_ROOTS[0])).to.include.members([`members.title: "${membersEn.title}"`, `members.lede: "${membersEn.lede}"`]);
    // Nothing kept: the next pages start from the test's start-up script (zh-CN).
    await other.evaluate(([key]) => localStorage.removeItem(key!), [STORAGE_KEY]);
    await other.close();
  });

  it("a seller lists a receivable for factoring and asks for loan offers in Chinese, and sees the financing and members pages' notices in Chinese", async function () {
    const { page } = s;
    await page.goto(`${url}/#/receivables`);
    await chooseAccount(page, role(DEMO_ACCOUNTS.sellers[0]));
    await page.goto(`${url}/#/receivables/${listed}`);
    await page.waitForFunction(() => document.documentElement.lang === "zh-CN", undefined, { timeout: UI_TIMEOUT_MS });
    const card = page.locator(".factoring-card");
    await card.getByRole("heading", { name: f.factoring.title, exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator(".loan-card").getByRole("button", { name: f.loans.request.ask }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await card.innerText()).to.include(f.factoring.sellNow);
    await expectNoEnglish(page, [".factoring-card", ".loan-card"]);

    await card.getByRole("button", { name: f.factoring.listButton }).click();
    await page.locator('input[name="reserve"]').fill("120000");
    await page.locator('input[name="listingDays"]').fill("5");
    await page.locator('input[name="withRecourse"]').check();
    await page.locator('input[name="recourseRate"]').waitFor({ timeout: UI_TIMEOUT_MS });
    await expectNoEnglish(page, [".factoring-card"]);
    await card.getByRole("button", { name: f.factoring.list, exact: true }).click();
    const done = card.locator(".notice-ok, .notice-error").first();
    await done.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await done.innerText()).to.match(new RegExp(`^${f.factoring.listedDone} 0x`));
    // The listing in Chinese: reserve, deadline (a Chinese date), recourse at 8% a year; no offers yet.
    await card.getByRole("heading", { name: f.factoring.offers.title }).waitFor({ timeout: UI_TIMEOUT_MS });
    const text = await card.innerText();
    expect(text).to.match(
      /由 Acme Components Ltd[\s\S]*挂牌转让，底价 120,000\.00，挂牌截止 \d{4}年\d{1,2}月\d{1,2}日，有追索权（年化 8\.00%）。挂牌期间该应收账款已锁定。/,
    );
    expect(text).to.include(f.factoring.offers.none);
    await expectNoEnglish(page, [".factoring-card"], "factoring-listed");

    // The other seller opens its receivable to loan offers.
    await chooseAccount(page, role(DEMO_ACCOUNTS.sellers[1]));
    await page.goto(`${url}/#/receivables/${pledged}`);
    await page.locator(".loan-card").getByRole("button", { name: f.loans.request.ask }).click({ timeout: UI_TIMEOUT_MS });
    await page.locator('[data-loan-request="open"]').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(".loan-request p.hint").innerText()).to.equal(f.loans.request.open);
    await expectNoEnglish(page, [".loan-card", ".factoring-card"]);

    // A seller on the financing pages: what it may not do, in Chinese.
    await page.goto(`${url}/#/market`);
    await page.getByRole("heading", { name: f.market.title }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByText(f.market.financiersOnly).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator("main .market-table, main .notice-error").first().waitFor({ timeout: UI_TIMEOUT_MS });
    await expectNoEnglish(page, ["main"]);
    await page.goto(`${url}/#/loans`);
    await page.locator("main .notice-info", { hasText: f.loans.financiersOnly }).waitFor({ timeout: UI_TIMEOUT_MS });
    await expectNoEnglish(page, ["main"]);
    await page.goto(`${url}/#/insurance`);
    await page.locator("main .notice-info", { hasText: f.insurance.insurersOnly }).waitFor({ timeout: UI_TIMEOUT_MS });
    await expectNoEnglish(page, ["main"]);
    await page.goto(`${url}/#/members`);
    await page.getByRole("heading", { name: m.title }).waitFor({ timeout: UI_TIMEOUT_MS });
    const notice = page.locator('section[aria-labelledby="members-title"] > .notice-info', { hasText: m.onlyOperator });
    await notice.waitFor({ timeout: UI_TIMEOUT_MS });
    await expectNoEnglish(page, [MEMBERS_ROOTS[0], 'section[aria-labelledby="members-title"] > .notice-info']);
  });

  it("a financier prices the listing in the marketplace and sends an offer, and offers a loan, in Chinese", async function () {
    const { page } = s;
    await chooseAccount(page, role(DEMO_ACCOUNTS.financiers[0]));
    await page.goto(`${url}/#/market`);
    const row = page.locator(`tr[data-id="${listed}"]`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    // Credit tiers, the limit use, maturity, reserve, recourse and the deadline in Chinese.
    const rowText = await row.innerText();
    expect(rowText, rowText).to.match(
      /Acme Components Ltd[\s\S]*[ABC] 级 · 未设授信额度[\s\S]*Colossus Motors AG[\s\S]*[ABC] 级 · 未设授信额度\s*· 已确权[\s\S]*125,000\.00[\s\S]*\d{4}年\d{1,2}月\d{1,2}日\s*\d+ 天[\s\S]*120,000\.00[\s\S]*\d{4}年\d{1,2}月\d{1,2}日 截止[\s\S]*有追索权（年化 8\.00%）/,
    );
    expect(await row.locator('[data-credit="buyer"]').getAttribute("title")).to.match(/^买方：[ABC] 级(，评分 \d+)?；风险敞口 [\d,.]+$/);
    await expectNoEnglish(page, ["main"], "market");

    await row.getByRole("button", { name: f.market.makeOffer, exact: true }).click();
    const form = page.locator("form.offer-form");
    await form.waitFor({ timeout: UI_TIMEOUT_MS });
    // An offer below the reserve is refused before signing, in Chinese.
    await form.locator('input[name="offerPrice"]').fill("100");
    await form.getByRole("button", { name: f.market.offer.submit }).click();
    expect(await form.locator(".notice-error").innerText()).to.equal("底价为 120,000.00：低于底价的报价无法被接受。");
    await form.locator('input[name="offerPrice"]').fill("121000");
    expect(await form.locator("p.hint").innerText()).to.match(
      /^相对未结余额 125,000\.00 的贴现率为 3\.20% · \d+ 天年化收益率 \d+\.\d{2}%。报价仅您和挂牌方可见/,
    );
    await expectNoEnglish(page, ["main"]);
    await form.getByRole("button", { name: f.market.offer.submit }).click();
    const sent = form.locator(".notice-ok, .notice-error").first();
    await sent.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await sent.innerText()).to.match(
      new RegExp(`^已向挂牌方发送 121,000\\.00 的报价（贴现率 3\\.20%，年化 \\d+\\.\\d{2}%），有效期至 ${ZH_MOMENT.source}。$`),
    );
    // The offer among the financier's own, open, with withdraw; and in the history of all its offers.
    const mine = row.locator('li[data-offer-state="open"]');
    await mine.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await mine.innerText()).to.match(/121,000\.00\s*年化 \d+\.\d{2}%\s*有效\s*撤回/);
    const history = page.locator('section[aria-labelledby="offer-history-h"]');
    await history.getByRole("heading", { name: f.market.history.title }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await history.locator('tr[data-offer-state="open"]').innerText()).to.match(
      new RegExp(`121,000\\.00[\\s\\S]*3\\.20%[\\s\\S]*${ZH_MOMENT.source}[\\s\\S]*有效`),
    );
    await expectNoEnglish(page, ["main"], "market-offer");

    // A loan offer on the other seller's receivable: 80% of 310,000.00 at 9% a year.
    await page.goto(`${url}/#/loans`);
    await page.getByRole("heading", { name: f.loans.title }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator('input[name="loanId"]').fill(pledged);
    await page.locator('input[name="advancePct"]').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(`dl[aria-label="${f.facts.label}"]`).innerText()).to.match(
      /状态\s*已确权[\s\S]*债务人\s*Colossus Motors AG[\s\S]*持有人（借款人）\s*Borealis Plastics GmbH[\s\S]*未结余额\s*310,000\.00[\s\S]*到期日\s*\d{4}年/,
    );
    expect(await page.locator("main p.hint").innerText()).to.equal("借款人开立贷款时，将从您的账户收到 248,000.00。");
    await expectNoEnglish(page, ["main"]);
    await page.getByRole("button", { name: f.loans.submit }).click();
    const loanSent = page.locator("main form .notice-ok, main form .notice-error").first();
    await loanSent.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await loanSent.innerText()).to.match(new RegExp(`^已向持有人发送贷款报价：预付款比例 80\\.00%，年化利率 9\\.00%，有效期至 ${ZH_MOMENT.source}。$`));
    const loanOffer = page.locator('section[aria-labelledby="my-loan-offers-h"] tr[data-offer-state="open"]');
    await loanOffer.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await loanOffer.innerText()).to.match(new RegExp(`80\\.00%\\s*年化 9\\.00%\\s*${ZH_MOMENT.source}\\s*有效\\s*撤回`));
    await expectNoEnglish(page, ["main"], "loans");
  });

  it("the insurer offers a policy in Chinese and sees the other financing pages' notices in Chinese", async function () {
    const { page } = s;
    await chooseAccount(page, role(DEMO_ACCOUNTS.insurer));
    await page.goto(`${url}/#/insurance`);
    await page.getByRole("heading", { name: f.insurance.title }).waitFor({ timeout: UI_TIMEOUT_MS });
    await expectNoEnglish(page, ["main"]);
    await page.locator('input[name="insureId"]').fill(pledged);
    await page.locator('input[name="premium"]').fill("1500");
    expect(await page.locator("main p.hint").innerText()).to.equal("出具保单将从您的账户托管 248,000.00，直至理赔、保单到期或应收账款结清。");
    await expectNoEnglish(page, ["main"]);
    await page.getByRole("button", { name: f.insurance.submit }).click();
    const ok = page.locator("main .notice-ok, main .notice-error").first();
    await ok.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await ok.innerText()).to.match(/^保单已出具：承保比例 80%，保费 1,500\.00。 0x/);
    const state = page.locator('[data-policy-state="offered"]');
    await state.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await state.innerText()).to.equal(f.insurance.policy.offered);
    expect(await page.locator(`dl[aria-label="${f.insurance.policy.label}"]`).innerText()).to.match(
      /保险机构\s*Helix Credit Insurance[\s\S]*保障范围\s*违约时未结余额的 80\.00%（已托管：248,000\.00）[\s\S]*保费\s*1,500\.00[\s\S]*到期日\s*\d{4}年/,
    );
    await expectNoEnglish(page, ["main"], "insurance");

    await page.goto(`${url}/#/market`);
    await page.getByText(f.market.financiersOnly).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator("main .market-table, main .notice-error").first().waitFor({ timeout: UI_TIMEOUT_MS });
    await expectNoEnglish(page, ["main"]);
    await page.goto(`${url}/#/loans`);
    await page.locator("main .notice-info", { hasText: f.loans.financiersOnly }).waitFor({ timeout: UI_TIMEOUT_MS });
    await expectNoEnglish(page, ["main"]);
  });

  it("the sellers see the offers and the policy on their receivables in Chinese: one sells to the best offer, the other accepts the policy", async function () {
    const { page } = s;
    await chooseAccount(page, role(DEMO_ACCOUNTS.sellers[0]));
    await page.goto(`${url}/#/receivables/${listed}`);
    const card = page.locator(".factoring-card");
    const offer = card.locator(`table[aria-label="${f.factoring.offers.tableLabel}"] tbody tr`).first();
    await offer.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await offer.innerText()).to.match(
      new RegExp(`Evergreen Factoring[\\s\\S]*121,000\\.00[\\s\\S]*3\\.20%[\\s\\S]*${ZH_MOMENT.source}[\\s\\S]*以 121,000\\.00 转让`),
    );
    await expectNoEnglish(page, [".factoring-card"], "factoring-offers");

    await offer.getByRole("button", { name: "以 121,000.00 转让" }).click({ timeout: UI_TIMEOUT_MS });
    const dialog = page.getByRole("dialog");
    await dialog.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await dialog.getByRole("heading").innerText()).to.match(/^以 121,000\.00 \S+ 将 .+ 转让给 Evergreen Factoring？$/);
    const body = await dialog.locator("p").allInnerTexts();
    expect(body[0]).to.match(
      new RegExp(`^接受后，.+（未结余额 125,000\\.00 \\S+，${ZH_DATE.source} 到期）将以 121,000\\.00 \\S+ 转让给 Evergreen Factoring，贴息 4,000\\.00 \\S+。`),
    );
    expect(body[1]).to.equal(
      "有追索权：如发生违约，Evergreen Factoring 可要求您按转让价款加自转让之日起年化 8.00% 的利息回购。其他报价随即失效。此操作无法撤销。",
    );
    await dialog.getByRole("button", { name: "以 121,000.00 转让", exact: true }).click();
    await dialog.waitFor({ state: "detached", timeout: UI_TIMEOUT_MS });
    const sold = card.locator(".notice-ok, .notice-error").first();
    await sold.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await sold.innerText()).to.match(/^已以 121,000\.00 转让：价款已到账，应收账款归资金方所有。 0x/);
    await card.getByText("有追索权转让", { exact: false }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await card.innerText()).to.match(
      /已于 \d{4}年\d{1,2}月\d{1,2}日 以 121,000\.00 有追索权转让：如发生违约，持有人可要求 Acme Components Ltd[\s\S]*回购。/,
    );
    await expectNoEnglish(page, [".factoring-card"]);

    // The other seller: the loan offer (what it would receive, at what rate) and the insurer's policy.
    await chooseAccount(page, role(DEMO_ACCOUNTS.sellers[1]));
    await page.goto(`${url}/#/receivables/${pledged}`);
    const loanCard = page.locator(".loan-card");
    await loanCard.getByRole("button", { name: f.loans.card.borrow }).click({ timeout: UI_TIMEOUT_MS });
    const loanOffer = loanCard.locator(`table[aria-label="${f.loans.offersOn.tableLabel}"] tbody tr`).first();
    await loanOffer.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await loanOffer.innerText()).to.match(
      new RegExp(`Evergreen Factoring[\\s\\S]*248,000\\.00 \\(80\\.00%\\)\\s*年化 9\\.00%\\s*${ZH_MOMENT.source}\\s*开立贷款`),
    );
    const insuranceCard = page.locator(".insurance-card");
    await insuranceCard.locator('[data-policy-state="offered"]').waitFor({ timeout: UI_TIMEOUT_MS });
    await expectNoEnglish(page, [".loan-card", ".insurance-card"], "loan-and-policy");
    await insuranceCard.getByRole("button", { name: "接受保单（支付保费 1,500.00）" }).click();
    const accepted = insuranceCard.locator(".notice-ok, .notice-error").first();
    await accepted.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await accepted.innerText()).to.match(/^保单已接受：该应收账款已投保。 0x/);
    const active = insuranceCard.locator('[data-policy-state="active"]');
    await active.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await active.innerText()).to.equal(f.insurance.policy.active);
    await expectNoEnglish(page, [".loan-card", ".insurance-card"]);
  });

  it("the operator and the auditor see the members in Chinese; the operator admits one and is asked in Chinese before a suspension", async function () {
    const { page } = s;
    await chooseAccount(page, role(DEMO_ACCOUNTS.operator));
    await page.goto(`${url}/#/members`);
    await page.getByRole("heading", { name: m.admitTitle }).waitFor({ timeout: UI_TIMEOUT_MS });
    const fjord = page.locator("main .members-table tbody tr", { hasText: "Fjord Trade Bank" });
    await fjord.waitFor({ timeout: UI_TIMEOUT_MS });
    // No company profile was published in this stack: the registry's member, its roles, expiry and state.
    const fjordText = await fjord.innerText();
    expect(fjordText, fjordText).to.match(
      new RegExp(
        `^Fjord Trade Bank\\s*0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}\\s*${m.noProfile}\\s*${zhCN.role.Financier}\\s*${ZH_DATE.source}\\s*${m.active}\\s*${m.suspend}$`,
      ),
    );
    expect(await page.locator('form[aria-labelledby="admit-h"] fieldset.role-boxes label').allInnerTexts()).to.deep.equal(
      ["Seller", "Buyer", "Financier", "Auditor", "Insurer"].map((r) => zhCN.role[r as keyof typeof zhCN.role]),
    );
    const ROOTS = [...MEMBERS_ROOTS, 'main form[aria-labelledby="admit-h"]'];
    await expectNoEnglish(page, ROOTS, "members");

    // Suspending asks first, in Chinese (naming the company, its roles and that it lasts until reinstated); Escape leaves it.
    await fjord.getByRole("button", { name: m.suspend, exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await dialog.getByRole("heading").innerText()).to.match(/^暂停 0x[0-9a-fA-F]{40}？$/);
    const body = await dialog.locator("p").allInnerTexts();
    expect(body[0]).to.match(/^暂停 0x[0-9a-fA-F]{40}（成员地址 0x[0-9a-fA-F]{40}，角色：资金方）后，其在账本上的操作立即停止/);
    expect(body[1]).to.equal(m.suspendStays);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached", timeout: UI_TIMEOUT_MS });

    // Admitting a newcomer (a seller by default): the notice names the role in Chinese, and the list shows it active.
    const newcomer = getAddress(s.accounts[9]!);
    await page.locator('input[name="memberAddress"]').fill(newcomer);
    await page.getByRole("button", { name: m.admit }).click();
    const ok = page.locator("main .notice-ok, main .notice-error").first();
    await ok.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await ok.innerText()).to.match(new RegExp(`^已准入 ${newcomer}，角色：${zhCN.role.Seller}。 0x`));
    await page.waitForFunction(
      ([addr, active]) =>
        [...document.querySelectorAll(".members-table tbody tr")].some((tr) => tr.querySelector(`[title="${addr}" i]`) && tr.textContent?.includes(active!)),
      [newcomer.toLowerCase(), m.active],
      { timeout: UI_TIMEOUT_MS },
    );
    await expectNoEnglish(page, ["main .notice-ok", ...ROOTS]);

    // The operator on the financing pages: what it may not do, in Chinese.
    await page.goto(`${url}/#/market`);
    await page.getByText(f.market.financiersOnly).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator("main .market-table, main .notice-error").first().waitFor({ timeout: UI_TIMEOUT_MS });
    await expectNoEnglish(page, ["main"]);
    for (const [path, text] of [
      ["loans", f.loans.financiersOnly],
      ["insurance", f.insurance.insurersOnly],
    ] as const) {
      await page.goto(`${url}/#/${path}`);
      await page.locator("main .notice-info", { hasText: text }).waitFor({ timeout: UI_TIMEOUT_MS });
      await expectNoEnglish(page, ["main"]);
    }

    // The auditor: the members list (and the marketplace, empty now that the listing sold), in Chinese.
    await chooseAccount(page, role(DEMO_ACCOUNTS.auditor));
    await page.goto(`${url}/#/members`);
    const auditor = page.locator("main .members-table tbody tr", { hasText: "Gamma Audit LLP" });
    await auditor.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await auditor.innerText())
      .to.include(zhCN.role.Auditor)
      .and.include(m.active);
    expect(await page.locator('form[aria-labelledby="admit-h"]').count()).to.equal(0);
    await expectNoEnglish(page, MEMBERS_ROOTS);
    await page.goto(`${url}/#/market`);
    await page.locator("main td.empty", { hasText: f.market.empty }).waitFor({ timeout: UI_TIMEOUT_MS });
    await expectNoEnglish(page, ["main"]);
    expect(s.pageErrors, s.pageErrors.join("\n")).to.deep.equal([]);
  });
});
