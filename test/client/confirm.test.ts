// Browser test of issue 9, item 20: irreversible actions ask for confirmation in a modal dialog that says what
// will happen with the invoice's facts (number, amount, party); Escape and Cancel change nothing on the chain or
// the server, the named confirm button does it; and buttons that cannot work in the current state (by status,
// role and the chain's time) are not offered at all.
import { expect } from "chai";
import { JsonRpcProvider } from "ethers";
import { createPublicClient, http, type Address } from "viem";
import type { Page } from "playwright-core";
import { DEMO_ACCOUNTS, publishDemoDetails } from "../../scripts/demo.ts";
import { memberRegistryAbi, receivableLedgerAbi } from "../../deployments/contracts.ts";
import { startStack, type Stack } from "./helpers/stack.ts";
import { chooseAccount, confirmDialog } from "./helpers/flow.ts";

const UI_TIMEOUT_MS = 30_000;
const DAY_S = 86_400;
/** Long enough for a transaction the client might have sent to be mined and indexed. */
const SETTLE_MS = 1_500;
const hex = (id: bigint) => "0x" + id.toString(16).padStart(64, "0");

describe("web client: confirmation before irreversible actions, and no impossible buttons", function () {
  let s: Stack;
  let page: Page;

  before(async function () {
    s = await startStack({ demoInvoices: true });
    page = s.page;
    const provider = new JsonRpcProvider(s.chain.rpcUrl);
    try {
      await publishDemoDetails(s.server.url, provider, s.deployment, s.ids);
    } finally {
      provider.destroy();
    }
  });
  after(async () => await s?.stop());

  const client = () => createPublicClient({ transport: http(s.chain.rpcUrl) });
  const chainStatus = async (id: string) =>
    (
      await client().readContract({
        address: s.deployment.contracts.ReceivableLedger,
        abi: receivableLedgerAbi,
        functionName: "receivable",
        args: [BigInt(id)],
      })
    ).status;
  /** The status the server shows the signed-in account (its own session, from inside the page). */
  const serverStatus = (id: string) =>
    page.evaluate(async (rid) => ((await (await fetch(`/api/receivables/${rid}`, { credentials: "same-origin" })).json()) as { status: string }).status, id);
  const button = (name: string) => page.getByRole("button", { name, exact: true });
  const rpc = (method: string, params: unknown[]) =>
    fetch(s.chain.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  /** Waits until the server shows the status (the indexer may lag a block). */
  const serverShows = async (id: string, status: string) => {
    const deadline = Date.now() + UI_TIMEOUT_MS;
    for (;;) {
      const now = await serverStatus(id);
      if (now === status) return;
      if (Date.now() > deadline) throw new Error(`the server shows ${now}, not ${status}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  /** Re-opens the members page until the row offers the button (the server indexes the change a moment later). */
  const untilRowShows = async (row: ReturnType<Page["locator"]>, name: string) => {
    const deadline = Date.now() + UI_TIMEOUT_MS;
    while ((await row.getByRole("button", { name, exact: true }).count()) === 0) {
      if (Date.now() > deadline) throw new Error(`the members list never offered ${name}`);
      await page.goto(`${s.server.url}/#/receivables`);
      await page.goto(`${s.server.url}/#/members`);
      await row.waitFor({ timeout: UI_TIMEOUT_MS });
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  it("offers no default, write-off or cancel where they cannot work: before the due date and grace by the chain's time, nor to the wrong party", async function () {
    // INV-2026-0001: Acme → Colossus, 125,000.00, confirmed, due in 40 days with 5 days' grace.
    const id = hex(s.ids[0]!);
    await page.goto(s.server.url);
    await chooseAccount(page, s.accounts[DEMO_ACCOUNTS.sellers[0]]!);
    await page.goto(`${s.server.url}/#/receivables/${id}`);
    // "Split…" needs the chain's time (no split after the due date), as "Mark defaulted" does: once it shows, the
    // chain's time is known and an absent button is really absent.
    await button("Split…").waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await button("Mark defaulted").count()).to.equal(0);
    expect(await button("Write off").count()).to.equal(0);
    expect(await button("Cancel invoice").count()).to.equal(0); // confirmed: the seller can no longer withdraw it

    // The buyer of a registered invoice (INV-2026-0002) can confirm or dispute it, not pay it; only its seller may cancel it.
    const registered = hex(s.ids[1]!);
    await chooseAccount(page, s.accounts[DEMO_ACCOUNTS.buyers[0]]!);
    await page.goto(`${s.server.url}/#/receivables/${registered}`);
    await button("Confirm invoice").waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByRole("button", { name: /^Pay/ }).count()).to.equal(0);
    expect(await button("Cancel invoice").count()).to.equal(0);
    expect(await button("Mark defaulted").count()).to.equal(0);
    await chooseAccount(page, s.accounts[DEMO_ACCOUNTS.sellers[0]]!);
    await page.goto(`${s.server.url}/#/receivables/${registered}`);
    await button("Cancel invoice").waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await button("Confirm invoice").count()).to.equal(0);
    expect(s.pageErrors, s.pageErrors.join("\n")).to.deep.equal([]);
  });

  it("marking defaulted and writing off ask first with the invoice's facts; Escape and Cancel change nothing, confirming does it", async function () {
    const id = hex(s.ids[0]!);
    // 50 days on the chain: past the due date (40 days) and the grace period (5 days).
    await rpc("evm_increaseTime", [50 * DAY_S]);
    await rpc("evm_mine", []);
    await chooseAccount(page, s.accounts[DEMO_ACCOUNTS.sellers[0]]!);
    await page.goto(`${s.server.url}/#/receivables`);
    await page.goto(`${s.server.url}/#/receivables/${id}`);

    const markDefaulted = button("Mark defaulted");
    await markDefaulted.click({ timeout: UI_TIMEOUT_MS });
    const dialog = page.getByRole("dialog");
    await dialog.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await dialog.getByRole("heading").innerText()).to.equal("Mark invoice INV-2026-0001 defaulted?");
    expect(await dialog.innerText())
      .to.include("Colossus Motors AG failed to pay its 125,000.00 USD outstanding")
      .and.include("This cannot be undone.");
    // Focus moved into the dialog, on its least destructive choice; the page behind is inert.
    expect(await page.evaluate(() => document.activeElement?.closest("dialog") !== null && document.activeElement?.textContent)).to.equal("Cancel");
    // Escape cancels, and focus returns to the button that opened it.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached", timeout: UI_TIMEOUT_MS });
    await page.waitForFunction(() => document.activeElement?.textContent === "Mark defaulted", undefined, { timeout: UI_TIMEOUT_MS });
    const before = await chainStatus(id);
    // Cancel, too.
    await markDefaulted.click();
    await dialog.getByRole("button", { name: "Cancel", exact: true }).click();
    await dialog.waitFor({ state: "detached", timeout: UI_TIMEOUT_MS });
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    expect(await chainStatus(id)).to.equal(before);
    expect(await serverStatus(id)).to.equal("Confirmed");
    expect(await page.locator(".action-card .notice").count()).to.equal(0);

    await markDefaulted.click();
    await confirmDialog(page, "Mark defaulted");
    await page.locator(".action-card .notice-ok", { hasText: "Marked defaulted." }).waitFor({ timeout: UI_TIMEOUT_MS });
    await serverShows(id, "Defaulted");

    // Write off: the sentence names the invoice, what stops being collectable and from whom.
    await page.goto(`${s.server.url}/#/receivables`);
    await page.goto(`${s.server.url}/#/receivables/${id}`);
    const writeOff = button("Write off");
    await writeOff.click({ timeout: UI_TIMEOUT_MS });
    await dialog.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await dialog.getByRole("heading").innerText()).to.equal("Write off invoice INV-2026-0001?");
    expect(await dialog.locator(".confirm-body").innerText()).to.equal(
      "Writing off invoice INV-2026-0001 ends the receivable: its 125,000.00 USD outstanding from Colossus Motors AG will no longer be collectable through the ledger. This cannot be undone.",
    );
    await dialog.getByRole("button", { name: "Cancel", exact: true }).click();
    await dialog.waitFor({ state: "detached", timeout: UI_TIMEOUT_MS });
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    expect(await serverStatus(id)).to.equal("Defaulted");

    await writeOff.click();
    const text = await confirmDialog(page, "Write off");
    expect(text).to.include("125,000.00 USD");
    await page.locator(".action-card .notice-ok", { hasText: "Written off." }).waitFor({ timeout: UI_TIMEOUT_MS });
    await serverShows(id, "WrittenOff");
    await page.goto(`${s.server.url}/#/receivables`);
    await page.goto(`${s.server.url}/#/receivables/${id}`);
    await page.locator('[data-status="WrittenOff"]').first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await button("Write off").count()).to.equal(0);
    expect(await button("Mark defaulted").count()).to.equal(0);
    expect(s.pageErrors, s.pageErrors.join("\n")).to.deep.equal([]);
  });

  it("suspending a member asks first, naming the company and what stops; Cancel leaves it active", async function () {
    const fjord = s.accounts[DEMO_ACCOUNTS.financiers[1]]!;
    const suspended = async (who: Address) =>
      (await client().readContract({ address: s.deployment.contracts.MemberRegistry, abi: memberRegistryAbi, functionName: "memberOf", args: [who] }))[2];
    const serverSuspended = () =>
      page.evaluate(
        async (addr) =>
          ((await (await fetch("/api/members", { credentials: "same-origin" })).json()) as { items: { address: string; suspended: boolean }[] }).items.find(
            (m) => m.address.toLowerCase() === addr,
          )?.suspended,
        fjord.toLowerCase(),
      );
    await chooseAccount(page, s.accounts[DEMO_ACCOUNTS.operator]!);
    await page.goto(`${s.server.url}/#/members`);
    const row = page.locator("tbody tr", { hasText: "Fjord Trade Bank" });
    await row.getByRole("button", { name: "Suspend", exact: true }).click({ timeout: UI_TIMEOUT_MS });
    const dialog = page.getByRole("dialog");
    await dialog.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await dialog.getByRole("heading").innerText()).to.equal("Suspend Fjord Trade Bank?");
    const body = await dialog.innerText();
    expect(body).to.include("Fjord Trade Bank (NO-777-000-006)").and.include(fjord).and.include("Financier").and.include("until you reinstate it");
    await dialog.getByRole("button", { name: "Cancel", exact: true }).click();
    await dialog.waitFor({ state: "detached", timeout: UI_TIMEOUT_MS });
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    expect(await suspended(fjord)).to.equal(false);
    expect(await serverSuspended()).to.equal(false);

    await row.getByRole("button", { name: "Suspend", exact: true }).click();
    await confirmDialog(page, "Suspend");
    await page.locator(".notice-ok", { hasText: "Suspended" }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await suspended(fjord)).to.equal(true);
    // The list follows once the server has indexed it; reinstating can be undone at once, so it asks nothing.
    await untilRowShows(row, "Reinstate");
    await row.getByRole("button", { name: "Reinstate", exact: true }).click();
    await page.locator(".notice-ok", { hasText: "Reinstated" }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByRole("dialog").count()).to.equal(0);
    expect(await suspended(fjord)).to.equal(false);
    expect(s.pageErrors, s.pageErrors.join("\n")).to.deep.equal([]);
  });
});
