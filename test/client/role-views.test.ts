// Browser test of the views beyond the seller/buyer slice, on the demo consortium with its demo invoices:
// the buyer disputes and the seller cancels; the seller's portfolio; the auditor's check of the server's view
// against the chain; the operator's member list and admission.
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAddress } from "viem";
import type { Page } from "playwright-core";
import { DEMO_ACCOUNTS, DEMO_INVOICES } from "../../scripts/demo.ts";
import { startStack, type Stack } from "./helpers/stack.ts";
import { chooseAccount, confirmDialog, statusInList } from "./helpers/flow.ts";
import { money } from "../../client/src/format.ts";

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), "ledger-screens-"));
const UI_TIMEOUT_MS = 30_000;

/** The "Owed to you" card of the receivables page, in base units. */
async function owedToYou(page: Page): Promise<bigint> {
  const card = page.locator(".summary li", { hasText: "Owed to you" });
  await card.waitFor({ timeout: UI_TIMEOUT_MS });
  const [whole = "0", frac = "00"] = (await card.locator(".stat-value").innerText()).replace(/,/g, "").split(".");
  return BigInt(whole) * 1_000_000n + BigInt(frac.padEnd(6, "0"));
}

describe("web client: role views on the demo consortium", function () {
  let s: Stack;

  before(async function () {
    s = await startStack({ demoInvoices: true });
  });

  after(async function () {
    await s?.stop();
  });

  it("an auditor sees every receivable read-only, filters by status and sorts by due date", async function () {
    const { page, server, accounts } = s;
    await page.goto(server.url);
    await chooseAccount(page, accounts[DEMO_ACCOUNTS.auditor]!);
    await page
      .locator("tr[data-id]")
      .nth(DEMO_INVOICES.length - 1)
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator("tr[data-id]").count()).to.equal(DEMO_INVOICES.length);
    await page.locator('select[name="status"]').selectOption("Confirmed");
    await page.waitForFunction((n) => document.querySelectorAll("tr[data-id]").length === n, DEMO_INVOICES.filter((i) => i.then === "confirmed").length, {
      timeout: UI_TIMEOUT_MS,
    });
    expect(await page.locator("tr[data-id] [data-status]").evaluateAll((els) => els.map((e) => e.getAttribute("data-status")))).to.deep.equal([
      "Confirmed",
      "Confirmed",
    ]);
    await page.locator('select[name="status"]').selectOption("");
    const dueOf = () => page.locator("tr[data-id] .due").evaluateAll((els) => els.map((e) => Date.parse(e.firstChild?.textContent ?? "")));
    await page.waitForFunction((n) => document.querySelectorAll("tr[data-id]").length === n, DEMO_INVOICES.length, { timeout: UI_TIMEOUT_MS });
    const unsorted = await dueOf();
    expect(unsorted, "the demo's default order (newest first) is not already by due date").not.to.deep.equal([...unsorted].sort((a, b) => a - b));
    await page.locator('select[name="sort"]').selectOption("dueDate");
    // The unsorted list has as many rows: wait for the sorted answer itself (rows in due-date order), or time out.
    await page
      .waitForFunction(
        (n) => {
          const due = [...document.querySelectorAll("tr[data-id] .due")].map((e) => Date.parse(e.firstChild?.textContent ?? ""));
          return due.length === n && due.every((d, i) => i === 0 || due[i - 1]! <= d);
        },
        DEMO_INVOICES.length,
        { timeout: UI_TIMEOUT_MS },
      )
      .catch(() => {}); // the assertion below says what the order was
    const dueTexts = await dueOf();
    expect(dueTexts).to.deep.equal([...dueTexts].sort((a, b) => a - b));
    // Read-only: no action buttons in the list, none on a detail page.
    expect(await page.locator("tr[data-id] .button").count()).to.equal(0);
    await page.locator("tr[data-id] a.id-link").first().click();
    await page.getByRole("heading", { name: "History on chain" }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(".action-card button, .more-actions button").count()).to.equal(0);
  });

  it("a buyer sees the invoices addressed to it with the next step, disputes one, and its seller cancels it", async function () {
    const { page, server, accounts } = s;
    const buyer = accounts[DEMO_ACCOUNTS.buyers[0]]!;
    const seller = accounts[DEMO_ACCOUNTS.sellers[0]]!;
    await page.goto(server.url);
    await chooseAccount(page, buyer);
    await page.getByText("Addressed to me").click();
    // INV-2026-0002 (Acme → Colossus) is the demo's registered, unconfirmed invoice for this buyer.
    const row = page.locator("tr[data-id]", { has: page.locator('[data-status="Registered"]') }).first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await row.innerText()).to.include("Review & confirm");
    const id = (await row.getAttribute("data-id"))!;
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.getByRole("button", { name: "Dispute…" }).click();
    await page.locator('input[name="disputeReason"]').fill("Goods not received");
    await page.getByRole("button", { name: "Dispute invoice" }).click();
    await page.locator(".action-card .notice-ok, .action-card .notice-error").first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(".action-card .notice").first().innerText()).to.include("Invoice disputed");
    await statusInList(page, server.url, id, "Disputed");

    await chooseAccount(page, seller);
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.getByRole("button", { name: "Cancel invoice" }).click({ timeout: UI_TIMEOUT_MS });
    await confirmDialog(page, "Cancel invoice");
    await page.locator(".action-card .notice-ok, .action-card .notice-error").first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(".action-card .notice").first().innerText()).to.include("Invoice cancelled");
    await statusInList(page, server.url, id, "Cancelled");
    // Nothing is owed on a cancelled invoice: no outstanding amount, in the list or on its page (issue 9, item 19).
    expect((await page.locator(`tr[data-id="${id}"] td.num`).nth(1).innerText()).trim()).to.equal("—");
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.locator('[data-testid="outstanding"]', { hasText: "—" }).waitFor({ timeout: UI_TIMEOUT_MS });
  });

  it("the buyer issues a credit note the seller accepts, the seller assigns the receivable to a financier, and it is settled by a partial payment plus an attested bank payment", async function () {
    const { page, server, accounts } = s;
    const buyer = accounts[DEMO_ACCOUNTS.buyers[0]]!;
    const seller = accounts[DEMO_ACCOUNTS.sellers[1]]!; // Borealis: BP-77120 (310,000, confirmed) to Colossus
    const financier = accounts[DEMO_ACCOUNTS.financiers[0]]!;
    const operator = accounts[DEMO_ACCOUNTS.operator]!;
    const done = async (text: string) => {
      const notice = page.locator(".action-card .notice-ok, .action-card .notice-error, .more-only .notice-ok").first();
      await notice.waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await notice.innerText()).to.include(text);
    };
    await chooseAccount(page, seller);
    await page.goto(`${server.url}/#/receivables`);
    const row = page.locator("tr[data-id]", { hasText: "310,000.00" }).first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    const id = (await row.getAttribute("data-id"))!;

    await chooseAccount(page, buyer);
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.getByRole("button", { name: "Issue credit note…" }).click({ timeout: UI_TIMEOUT_MS });
    await page.locator('input[name="creditAmount"]').fill("10000");
    await page.locator('input[name="creditReason"]').fill("20 units returned");
    await page.getByRole("button", { name: "Issue credit note", exact: true }).click();
    await done("Credit note for 10,000.00 issued");

    await chooseAccount(page, seller);
    await page.goto(`${server.url}/#/receivables`);
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.getByRole("button", { name: "Accept credit note" }).click({ timeout: UI_TIMEOUT_MS });
    await done("accepted");
    await page.waitForFunction(() => document.querySelector("#amounts-h")?.parentElement?.textContent?.includes("300,000.00"), undefined, {
      timeout: UI_TIMEOUT_MS,
    });

    await page.getByRole("button", { name: "Transfer (assign)…" }).click();
    await page.locator('select[name="transferTo"]').selectOption(getAddress(financier));
    await page.getByRole("button", { name: "Transfer", exact: true }).click();
    await confirmDialog(page, "Transfer");
    await done("Transferred to Evergreen Factoring");

    await chooseAccount(page, financier);
    await page.getByRole("link", { name: "Portfolio" }).click();
    await page.locator(`tr[data-id="${id}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator('[aria-label="Portfolio summary"]').innerText()).to.include("300,000.00");

    await chooseAccount(page, buyer);
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.getByRole("button", { name: "Pay part…" }).click({ timeout: UI_TIMEOUT_MS });
    await page.locator('input[name="partialAmount"]').fill("100000");
    await page.getByRole("button", { name: "Pay this amount" }).click();
    await done("Partial payment of 100,000.00 recorded");

    // The operator records the bank payment by receivable id; it sees the receivables it can attest on (issue 9).
    await chooseAccount(page, operator);
    await page.getByRole("link", { name: "Bank payments" }).click();
    await page.locator('input[name="receivableId"]').fill(id);
    await page.getByText("Amount due now").waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator('input[name="attestAmount"]').fill("200000");
    await page.locator('input[name="bankReference"]').fill("CAMT053-2026-000123");
    await page.getByRole("button", { name: "Record bank payment" }).click();
    const ok = page.locator(".notice-ok, .notice-error").first();
    await ok.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await ok.innerText()).to.include("Bank payment of 200,000.00");
    // ...and opens the receivable's page instead of waiting forever on "Not in the ledger view yet".
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.locator('tr[data-event="BankPaymentAttested"]').waitFor({ timeout: UI_TIMEOUT_MS });

    await chooseAccount(page, buyer);
    await statusInList(page, server.url, id, "Paid");
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.locator('tr[data-event="BankPaymentAttested"]').waitFor({ timeout: UI_TIMEOUT_MS });
    const history = await page.locator("tr[data-event]").allInnerTexts();
    expect(history.join("\n")).to.match(/Credit note issued[\s\S]*Credit note accepted[\s\S]*Transferred[\s\S]*Payment[\s\S]*Bank payment attested/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "settled-detail.png"), fullPage: true });
  });

  it("a seller's portfolio shows what it holds and the expected collections", async function () {
    const { page, server, accounts } = s;
    await chooseAccount(page, accounts[DEMO_ACCOUNTS.sellers[0]]!);
    await page.goto(`${server.url}/#/portfolio`);
    await page.getByRole("heading", { name: "Expected collections by week" }).waitFor({ timeout: UI_TIMEOUT_MS });
    // Acme holds INV-2026-0001 (confirmed, 125,000); its 0002 was cancelled above and 0003 is paid.
    const confirmed = DEMO_INVOICES.filter((i) => i.seller === 1 && i.then === "confirmed").reduce((t, i) => t + i.amount, 0n);
    expect(confirmed).to.equal(125_000_000_000n);
    await page.waitForFunction(() => /125,000\.00/.test(document.querySelector('[aria-label="Portfolio summary"]')?.textContent ?? ""), undefined, {
      timeout: UI_TIMEOUT_MS,
    });
    expect(await page.locator(".buckets tbody").innerText()).to.include("125,000.00");
    await page.screenshot({ path: join(SCREENSHOT_DIR, "portfolio.png"), fullPage: true });
  });

  it("an auditor checks the server's view against the chain and sees every receivable match", async function () {
    const { page, accounts } = s;
    await chooseAccount(page, accounts[DEMO_ACCOUNTS.auditor]!);
    await page.getByRole("link", { name: "Audit" }).click();
    await page.getByRole("button", { name: "Run the check" }).click();
    const summary = page.locator(".notice-ok, .notice-error").first();
    await summary.waitFor({ timeout: UI_TIMEOUT_MS });
    const text = await summary.innerText();
    expect(text).to.match(new RegExp(`${DEMO_INVOICES.length} receivables checked`));
    expect(text).to.include("matches the chain");
    expect(await page.locator('td[data-check="chain"]').allInnerTexts()).to.have.length(DEMO_INVOICES.length);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "audit.png"), fullPage: true });
  });

  it("a holder splits a confirmed receivable and passes a part to its own supplier", async function () {
    const { page, server, accounts } = s;
    const acme = accounts[DEMO_ACCOUNTS.sellers[0]]!;
    const borealis = accounts[DEMO_ACCOUNTS.sellers[1]]!;
    await chooseAccount(page, acme);
    await page.goto(`${server.url}/#/receivables`);
    // INV-2026-0001: Acme → Colossus, 125,000, confirmed, held by Acme.
    const row = page.locator("tr[data-id]", { hasText: "125,000.00", has: page.locator('[data-status="Confirmed"]') }).first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    const owedBefore = await owedToYou(page);
    const id = (await row.getAttribute("data-id"))!;
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.getByRole("button", { name: "Split…" }).click({ timeout: UI_TIMEOUT_MS });
    await page.locator('input[name="partAmount0"]').fill("25000");
    await page.locator('select[name="partHolder0"]').selectOption(getAddress(borealis));
    await page.locator('input[name="partAmount1"]').fill("100000");
    await page.getByText("Parts total 125,000.00 of 125,000.00").waitFor();
    await page.getByRole("button", { name: "Split receivable" }).click();
    const notice = page.locator(".action-card .notice-ok, .action-card .notice-error, .more-only .notice-ok, .more-only .notice-error").first();
    await notice.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await notice.innerText()).to.include("Split into 2 parts");
    await page.getByRole("heading", { name: "Split into parts" }).waitFor({ timeout: UI_TIMEOUT_MS });
    const parts = await page.locator('[aria-labelledby="lineage-h"] li').allInnerTexts();
    expect(parts).to.have.length(2);
    expect(parts.join("\n")).to.match(/25,000\.00 to Borealis Plastics GmbH/);
    await statusInList(page, server.url, id, "Split");
    // The split parent owes nothing itself, and "Owed to you" counts what Acme holds: the 25,000 part it passed
    // on no longer counts (issue 9, item 19).
    expect((await page.locator(`tr[data-id="${id}"] td.num`).nth(1).innerText()).trim()).to.equal("—");
    await page.goto(`${server.url}/#/receivables`);
    await page.waitForFunction(
      (want) =>
        [...document.querySelectorAll(".summary li")].some(
          (li) => li.textContent?.includes("Owed to you") && li.querySelector(".stat-value")?.textContent === want,
        ),
      money(owedBefore - 25_000_000_000n),
      { timeout: UI_TIMEOUT_MS },
    );
    await chooseAccount(page, borealis);
    await page.getByText("Held by me").click();
    await page.locator("tr[data-id]", { hasText: "25,000.00" }).locator(".tag").waitFor({ timeout: UI_TIMEOUT_MS });
  });

  it("switching accounts clears the previous account's screen and forms", async function () {
    const { page, server, accounts } = s;
    await chooseAccount(page, accounts[DEMO_ACCOUNTS.sellers[0]]!);
    await page.goto(`${server.url}/#/register`);
    await page.locator('input[name="invoiceNumber"]').fill("INV-LEFT-BEHIND");
    await chooseAccount(page, accounts[DEMO_ACCOUNTS.sellers[1]]!);
    await page.locator('input[name="invoiceNumber"]').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator('input[name="invoiceNumber"]').inputValue()).to.equal("");
  });

  it("the operator lists the members and admits a new one", async function () {
    const { page, accounts } = s;
    await chooseAccount(page, accounts[DEMO_ACCOUNTS.operator]!);
    expect(await page.locator(".account-status").innerText()).to.include("Operator");
    await page.getByRole("link", { name: "Members" }).click({ timeout: UI_TIMEOUT_MS });
    await page.getByRole("heading", { name: "Admit or update a member" }).waitFor({ timeout: UI_TIMEOUT_MS });
    const newcomer = getAddress(accounts[9]!);
    await page.locator('input[name="memberAddress"]').fill(newcomer);
    await page.getByRole("button", { name: "Admit member" }).click();
    await page.locator(".notice-ok, .notice-error").first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(".notice-ok").first().innerText()).to.include("Admitted");
    // The new member appears in the (indexed) list as active.
    await page.waitForFunction(
      (addr) => [...document.querySelectorAll("tbody tr")].some((tr) => tr.querySelector(`[title="${addr}" i]`) && tr.textContent?.includes("Active")),
      newcomer.toLowerCase(),
      { timeout: UI_TIMEOUT_MS },
    );
    await page.screenshot({ path: join(SCREENSHOT_DIR, "members.png"), fullPage: true });
    expect(s.pageErrors, s.pageErrors.join("\n")).to.deep.equal([]);
  });

  it("offers an injected wallet (EIP-1193) and uses it to sign in and to confirm", async function () {
    const { server, accounts } = s;
    // A stand-in browser wallet: an EIP-1193 provider that forwards to the node through the server's /rpc and
    // exposes one account, as a wallet extension would after the user connects.
    const walletAccount = accounts[DEMO_ACCOUNTS.buyers[1]]!; // Delta Retail plc
    const page = await s.browser.context.newPage();
    page.on("pageerror", (e) => s.pageErrors.push(e.message));
    await page.addInitScript((account) => {
      let id = 0;
      (window as unknown as { ethereum: unknown }).ethereum = {
        async request({ method, params }: { method: string; params?: unknown[] }) {
          if (method === "eth_requestAccounts" || method === "eth_accounts") return [account];
          const res = await fetch("/rpc", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params ?? [] }),
          });
          const body = (await res.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
          if (body.error) throw Object.assign(new Error(body.error.message), body.error);
          return body.result;
        },
        on() {},
        removeListener() {},
      };
    }, walletAccount);
    await page.goto(server.url);
    await page.getByRole("button", { name: "Use browser wallet" }).click();
    // The context's cookie may still hold the previous page's session: wait for this wallet's own sign-in.
    await page.locator(`.account-status [data-signin-for="${walletAccount.toLowerCase()}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator(".account-status .signin.ok").waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator('select[name="account"]').inputValue()).to.equal(`injected:${walletAccount}`);
    // BP-77121 (Borealis → Delta) is registered and waits for Delta's confirmation.
    await page.getByText("Addressed to me").click();
    const row = page.locator("tr[data-id]", { has: page.locator('[data-status="Registered"]') }).first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    const id = (await row.getAttribute("data-id"))!;
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.getByRole("button", { name: "Confirm invoice" }).click({ timeout: UI_TIMEOUT_MS });
    await page.locator(".action-card .notice-ok, .action-card .notice-error").first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(".action-card .notice").first().innerText()).to.include("Invoice confirmed");
    await statusInList(page, server.url, id, "Confirmed");
    await page.close();
    expect(s.pageErrors, s.pageErrors.join("\n")).to.deep.equal([]);
  });
});
