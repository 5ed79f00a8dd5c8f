// Browser test (issue 9, items 15–17): the invoice number instead of the 0x… id, the search box, and a dispute's
// reason and reply thread, in Debian's Chromium against the real server and chain.
import { expect } from "chai";
import { JsonRpcProvider } from "ethers";
import type { Page } from "playwright-core";
import { DEMO_ACCOUNTS, publishDemoDetails } from "../../scripts/demo.ts";
import { startStack, type Stack } from "./helpers/stack.ts";
import { chooseAccount } from "./helpers/flow.ts";

const UI_TIMEOUT_MS = 20_000;
const hex = (id: bigint) => "0x" + id.toString(16).padStart(64, "0");

describe("web client: invoice numbers, search and the dispute thread", function () {
  let stack: Stack;
  let page: Page;

  before(async function () {
    stack = await startStack({ demoInvoices: true });
    page = stack.page;
    const provider = new JsonRpcProvider(stack.chain.rpcUrl);
    try {
      await publishDemoDetails(stack.server.url, provider, stack.deployment, stack.ids);
    } finally {
      provider.destroy();
    }
  });
  after(async () => await stack?.stop());

  const seller = () => stack.accounts[DEMO_ACCOUNTS.sellers[0]]!;
  const buyer = () => stack.accounts[DEMO_ACCOUNTS.buyers[0]]!;
  const numbersShown = () => page.locator("tr[data-id] [data-invoice-number]").evaluateAll((els) => els.map((e) => e.getAttribute("data-invoice-number")));

  it("lists receivables by invoice number and finds them by number, counterparty and amount", async function () {
    await page.goto(stack.server.url);
    await chooseAccount(page, seller());
    await page.goto(`${stack.server.url}/#/receivables`);
    await page.locator('[data-invoice-number="INV-2026-0001"]').waitFor({ timeout: UI_TIMEOUT_MS });
    expect((await numbersShown()).sort()).to.deep.equal(["INV-2026-0001", "INV-2026-0002", "INV-2026-0003"]);
    const search = page.locator('input[name="q"]');
    for (const [q, want] of [
      ["inv-2026-0002", ["INV-2026-0002"]],
      ["Colossus", ["INV-2026-0001", "INV-2026-0002"]],
      ["9,800", ["INV-2026-0003"]],
    ] as const) {
      await search.fill(q);
      await page.waitForFunction(
        (w) =>
          JSON.stringify([...document.querySelectorAll("tr[data-id] [data-invoice-number]")].map((e) => e.getAttribute("data-invoice-number")).sort()) ===
          JSON.stringify(w),
        [...want].sort(),
        { timeout: UI_TIMEOUT_MS },
      );
    }
  });

  it("the buyer's dispute reason reaches the seller, who replies in the thread", async function () {
    const id = hex(stack.ids[1]!); // INV-2026-0002, Registered, seller 1 → buyer 3
    const REASON = "12 of 40 units arrived damaged";
    await chooseAccount(page, buyer());
    await page.goto(`${stack.server.url}/#/receivables/${id}`);
    await page.getByRole("heading", { name: /Invoice INV-2026-0002/ }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByRole("button", { name: "Dispute…" }).click();
    await page.locator('input[name="disputeReason"]').fill(REASON);
    await page.getByRole("button", { name: "Dispute invoice" }).click();
    await page.locator('[data-reason="dispute"] .reason-text').waitFor({ timeout: UI_TIMEOUT_MS });

    await chooseAccount(page, seller());
    await page.goto(`${stack.server.url}/#/receivables/${id}`);
    const reason = page.locator('[data-reason="dispute"] .reason-text');
    await reason.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await reason.innerText()).to.equal(REASON);
    await page.locator('textarea[name="disputeMessage"]').fill("We will send replacements this week.");
    await page.getByRole("button", { name: "Post reply" }).click();
    const msg = page.locator(".thread .message-body");
    await msg.first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await msg.allInnerTexts()).to.deep.equal(["We will send replacements this week."]);
    expect(await page.locator(".thread li").first().innerText()).to.include("Acme Components Ltd");
    expect(stack.pageErrors).to.deep.equal([]);
  });
});
