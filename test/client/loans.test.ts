// Browser test of a receivable-backed loan (issue 5): a financier signs a loan offer (80% advance, 9% a year),
// the holder opens the loan with it and receives the advance while the receivable is locked; the buyer's
// payment then repays the lender first and the surplus reaches the holder.
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, http } from "viem";
import { DEMO_ACCOUNTS } from "../../scripts/demo.ts";
import { settlementTokenAbi } from "../../deployments/contracts.ts";
import { parseAmount } from "../../common/money.ts";
import { startStack, type Stack } from "./helpers/stack.ts";
import { chooseAccount, payAsBuyer, statusInList } from "./helpers/flow.ts";

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), "ledger-screens-"));
const UI_TIMEOUT_MS = 30_000;
const UNIT = 1_000_000n;

describe("web client: a loan against a receivable, repaid from the buyer's payment", function () {
  let s: Stack;
  let id = "";

  before(async function () {
    s = await startStack({ demoInvoices: true });
    if (!(s.deployment.contracts as Record<string, string>).PledgeLoans) throw new Error("the deployment has no PledgeLoans");
  });

  after(async function () {
    await s?.stop();
  });

  const balance = (who: `0x${string}`) =>
    createPublicClient({ transport: http(s.chain.rpcUrl) }).readContract({
      address: s.deployment.contracts.SettlementToken,
      abi: settlementTokenAbi,
      functionName: "balanceOf",
      args: [who],
    });

  it("a financier signs a loan offer against a confirmed receivable and sends it to the server", async function () {
    const { page, server, accounts } = s;
    await page.goto(server.url);
    await chooseAccount(page, accounts[DEMO_ACCOUNTS.sellers[0]]!);
    const row = page.locator("tr[data-id]", { hasText: "125,000.00", has: page.locator('[data-status="Confirmed"]') }).first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    id = (await row.getAttribute("data-id"))!;
    // Financiers see (and may offer a loan on) a receivable only once its holder asks for loan offers (issue 9).
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.getByRole("button", { name: "Ask financiers for loan offers" }).click({ timeout: UI_TIMEOUT_MS });
    await page.locator('[data-loan-request="open"]').waitFor({ timeout: UI_TIMEOUT_MS });

    await chooseAccount(page, accounts[DEMO_ACCOUNTS.financiers[0]]!);
    // It is visible to the financier now: its page opens.
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.getByRole("heading", { name: "Parties" }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByRole("link", { name: "Loans" }).click();
    await page.locator('input[name="loanId"]').fill(id);
    await page.locator('input[name="advancePct"]').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator("p.hint", { hasText: "The borrower receives" }).innerText()).to.include("100,000.00");
    await page.getByRole("button", { name: "Sign and send loan offer" }).click();
    const sent = page.locator("form .notice-ok, form .notice-error").first();
    await sent.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await sent.innerText()).to.include("Loan offer sent to the holder: 80.00% advance at 9.00% a year");
    // Listed among the lender's own offers, open.
    await page.locator('tr[data-offer-state="open"]', { hasText: "80.00%" }).waitFor({ timeout: UI_TIMEOUT_MS });
  });

  it("the holder opens the loan: the advance arrives and the receivable is locked", async function () {
    const { page, server, accounts } = s;
    const holder = accounts[DEMO_ACCOUNTS.sellers[0]]!;
    const before = await balance(holder);
    await chooseAccount(page, holder);
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.getByRole("button", { name: "Borrow against it…" }).click({ timeout: UI_TIMEOUT_MS });
    const offer = page.locator('[aria-label="Loan offers ranked"] tbody tr').first();
    await offer.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await offer.innerText()).to.match(/Evergreen Factoring[\s\S]*100,000\.00[\s\S]*9\.00% a year/);
    await offer.getByRole("button", { name: "Open loan" }).click();
    const notice = page.locator(".loan-card .notice-ok, .loan-card .notice-error").first();
    await notice.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await notice.innerText()).to.include("Loan opened");
    expect(await balance(holder)).to.equal(before + 100_000n * UNIT);
    await page.getByTestId("loan-owed").waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator('tr[data-event="ReceivableLocked"]').waitFor({ timeout: UI_TIMEOUT_MS });
    // Locked: no transfer, split or listing while pledged.
    expect(await page.getByRole("button", { name: "Transfer (assign)…" }).count()).to.equal(0);
    expect(await page.getByRole("button", { name: "List for factoring…" }).count()).to.equal(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "loan-open.png"), fullPage: true });
  });

  it("the buyer pays: the lender is repaid first, the surplus goes to the holder", async function () {
    const { page, server, accounts } = s;
    const holder = accounts[DEMO_ACCOUNTS.sellers[0]]!;
    const lender = accounts[DEMO_ACCOUNTS.financiers[0]]!;
    const [holderBefore, lenderBefore] = [await balance(holder), await balance(lender)];
    const shown = await payAsBuyer(page, server.url, accounts[DEMO_ACCOUNTS.buyers[0]]!, id);
    const paid = parseAmount(shown.replace(/,/g, ""));
    await statusInList(page, server.url, id, "Paid");
    const toLender = (await balance(lender)) - lenderBefore;
    const toHolder = (await balance(holder)) - holderBefore;
    expect(toLender >= 100_000n * UNIT, `lender got ${toLender}`).to.equal(true); // principal plus interest to date
    expect(toHolder > 0n && toHolder <= 25_000n * UNIT, `holder got ${toHolder}`).to.equal(true);
    expect(toLender + toHolder).to.equal(paid);
    expect(s.pageErrors, s.pageErrors.join("\n")).to.deep.equal([]);
  });
});
