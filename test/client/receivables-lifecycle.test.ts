// Browser test: the web client in Debian's Chromium against the real server (SQLite file, indexer) and a real
// Hardhat node. A seller registers an invoice with its document, the buyer confirms and pays, and the list
// shows Registered → Confirmed → Paid. The client is built first when client/dist is missing or stale.
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, http, type Address } from "viem";
import type { Page } from "playwright-core";
import { DEMO_ACCOUNTS } from "../../scripts/demo.ts";
import { receivableLedgerAbi, settlementTokenAbi, type Deployment } from "../../deployments/contracts.ts";
import type { RunningServer } from "../../server/main.ts";
import type { LocalChain } from "../../scripts/local-chain.ts";
import { startStack, type Stack } from "./helpers/stack.ts";
import { chooseAccount, confirmAsBuyer, payAsBuyer, registerInvoice, statusInList } from "./helpers/flow.ts";

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), "ledger-screens-"));

describe("web client: receivable lifecycle in the browser", function () {
  let stack: Stack;
  let chain: LocalChain;
  let server: RunningServer;
  let page: Page;
  let deployment: Deployment;
  let accounts: Address[];
  let pageErrors: string[];

  before(async function () {
    stack = await startStack();
    ({ chain, server, page, deployment, accounts, pageErrors } = stack);
  });

  after(async function () {
    await stack?.stop();
  });

  const seller = () => accounts[DEMO_ACCOUNTS.sellers[0]]!;
  const buyer = () => accounts[DEMO_ACCOUNTS.buyers[0]]!;
  const invoice = {
    invoiceNumber: `INV-E2E-${Date.now()}`,
    amount: "1,234.56", // typed with a thousands separator (issue 9, item 21)
    document: { name: "invoice-e2e.json", bytes: Buffer.from(JSON.stringify({ invoice: "INV-E2E", lines: [{ sku: "A-1", qty: 10, price: "123.456" }] })) },
  };
  let id = "";

  it("serves the client and its configuration from the server", async function () {
    const res = await fetch(`${server.url}/api/config`);
    expect(res.status).to.equal(200);
    const config = (await res.json()) as { rpcUrl: string; contracts: Record<string, string> };
    expect(config.rpcUrl).to.equal("/rpc");
    expect(config.contracts.ReceivableLedger).to.equal(deployment.contracts.ReceivableLedger);
    // The consortium salt is for members only (issue 9): the register page reads it after sign-in.
    expect(config).to.not.have.property("consortiumSalt");
    await page.goto(server.url);
    await page.getByRole("heading", { name: "Receivables" }).waitFor();
    expect(await page.title()).to.equal("Receivables · Receivables Ledger");
  });

  it("labels the development accounts with the demo companies and their roles, and signs in with SIWE", async function () {
    // Before signing in, the accounts carry their demo company names only: the JSON-RPC proxy answers
    // registry reads to sessions only (issue 9), so roles are not shown to an anonymous visitor.
    const before = await page.locator('select[name="account"] option').allInnerTexts();
    expect(before.some((o) => o.includes("Acme Components Ltd"))).to.equal(true);
    expect(before.some((o) => /Seller|Buyer/.test(o))).to.equal(false);
    await chooseAccount(page, seller());
    await page.locator(".account-status .signin.ok").waitFor({ timeout: 20_000 });
    expect(await page.locator(".account-status").innerText()).to.match(/Signed in/);
    // Roles come from the member registry, asynchronously once signed in.
    await page.waitForFunction(() => [...document.querySelectorAll('select[name="account"] option')].some((o) => /Seller/.test(o.textContent ?? "")));
    const options = await page.locator('select[name="account"] option').allInnerTexts();
    expect(options.some((o) => o.includes("Acme Components Ltd") && o.includes("Seller"))).to.equal(true);
    expect(options.some((o) => o.includes("Colossus Motors AG") && o.includes("Buyer"))).to.equal(true);
  });

  it("a receivable this account may not see (or that does not exist) shows as not found instead of waiting forever", async function () {
    await page.goto(`${server.url}/#/receivables/0x${"ab".repeat(32)}`);
    const notFound = page.getByTestId("receivable-not-found");
    await notFound.waitFor({ timeout: 20_000 });
    expect(await notFound.innerText()).to.include("no receivable with this id is visible to this account");
    expect(await page.getByText("Not in the ledger view yet").count()).to.equal(0);
  });

  it("a seller registers an invoice with its document; it is listed as Registered", async function () {
    const out = await registerInvoice(page, { url: server.url, seller: seller(), buyer: buyer(), ...invoice });
    id = out.id;
    expect(out.notice).to.include("Invoice registered");
    expect(out.notice, out.notice).to.include("is stored with the receivable");
    // The form is reset for the next invoice, its file input too (issue 9, item 21).
    expect(await page.locator('input[name="document"]').evaluate((el) => (el as HTMLInputElement).files?.length ?? 0)).to.equal(0);
    await statusInList(page, server.url, id, "Registered");
    const row = page.locator(`tr[data-id="${id}"]`);
    expect(await row.innerText()).to.include("1,234.56");
  });

  it("shows a readable error when the same invoice is registered again", async function () {
    await page.goto(`${server.url}/#/register`);
    await page.getByRole("heading", { name: "Register an invoice" }).waitFor();
    await page.locator('select[name="buyer"] option').nth(1).waitFor({ state: "attached" });
    // The same buyer as before (option values are checksummed addresses).
    const buyerValue = await page
      .locator('select[name="buyer"] option')
      .evaluateAll((opts, addr) => (opts as HTMLOptionElement[]).find((o) => o.value.toLowerCase() === addr)?.value ?? "", buyer().toLowerCase());
    await page.locator('select[name="buyer"]').selectOption(buyerValue);
    await page.locator('input[name="invoiceNumber"]').fill(invoice.invoiceNumber);
    await page.locator('input[name="amount"]').fill(invoice.amount);
    await page.locator('input[name="document"]').setInputFiles({ name: "copy.json", mimeType: "application/json", buffer: invoice.document.bytes });
    await page.getByText("document hash").waitFor();
    await page.getByRole("button", { name: "Register invoice" }).click();
    const alert = page.locator(".notice-error");
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.innerText()).to.match(/already registered on the ledger/);
  });

  it("the buyer confirms it; it is listed as Confirmed", async function () {
    await confirmAsBuyer(page, server.url, buyer(), id);
    await statusInList(page, server.url, id, "Confirmed");
  });

  it("the buyer pays the amount due; it is listed as Paid and the seller holds the money", async function () {
    const publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
    const token = deployment.contracts.SettlementToken;
    const before = await publicClient.readContract({ address: token, abi: settlementTokenAbi, functionName: "balanceOf", args: [seller()] });
    const shownDue = await payAsBuyer(page, server.url, buyer(), id);
    await statusInList(page, server.url, id, "Paid");
    const after = await publicClient.readContract({ address: token, abi: settlementTokenAbi, functionName: "balanceOf", args: [seller()] });
    expect((after - before).toString()).to.equal(BigInt(Math.round(Number(shownDue.replace(/,/g, "")) * 1e6)).toString());
    const onChain = await publicClient.readContract({
      address: deployment.contracts.ReceivableLedger,
      abi: receivableLedgerAbi,
      functionName: "receivable",
      args: [BigInt(id)],
    });
    expect(Number(onChain.status)).to.equal(5); // Paid
  });

  it("shows the event history with blocks and transactions on the detail page", async function () {
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.locator('tr[data-event="ReceivablePaid"], tr[data-event="Paid"]').first().waitFor({ timeout: 20_000 });
    const rows = await page.locator("tr[data-event]").allInnerTexts();
    expect(rows.length).to.be.greaterThanOrEqual(3);
    expect(rows.join("\n")).to.match(/Registered[\s\S]*Confirmed by buyer[\s\S]*Payment/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "detail-paid.png"), fullPage: true });
    await page.goto(`${server.url}/#/receivables`);
    await page.locator(`tr[data-id="${id}"] [data-status="Paid"]`).waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, "list-paid.png"), fullPage: true });
    console.log(`    screenshots: ${SCREENSHOT_DIR}`);
    expect(pageErrors, pageErrors.join("\n")).to.deep.equal([]);
  });

  it("signs in again by itself when the server session ends", async function () {
    await page.goto(`${server.url}/#/receivables`);
    await page.locator(`tr[data-id="${id}"]`).waitFor();
    const relogin = page.waitForRequest((req) => req.url().endsWith("/api/auth/login") && req.method() === "POST", { timeout: 30_000 });
    const status = await page.evaluate(async () => (await fetch("/api/auth/logout", { method: "POST" })).status);
    expect(status).to.equal(200);
    await relogin;
    await page.locator(".account-status .signin.ok").waitFor({ timeout: 30_000 });
    await page.locator(`tr[data-id="${id}"] [data-status="Paid"]`).waitFor({ timeout: 30_000 });
  });
});
