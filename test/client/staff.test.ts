// Browser test of people inside a member: a seller's administrator adds a staff member on the Staff panel; the
// staff key signs in, the header names the person and the company, and it sees its company's receivables.
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAddress } from "viem";
import { DEMO_ACCOUNTS, DEMO_INVOICES } from "../../scripts/demo.ts";
import { startStack, type Stack } from "./helpers/stack.ts";
import { chooseAccount } from "./helpers/flow.ts";

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), "ledger-screens-"));
const UI_TIMEOUT_MS = 30_000;

describe("web client: staff of a member", function () {
  let s: Stack;
  before(async function () {
    s = await startStack({ demoInvoices: true });
  });
  after(async function () {
    await s?.stop();
  });

  it("the administrator adds a staff member, who then signs in and sees its company's receivables", async function () {
    const { page, server, accounts } = s;
    const seller = DEMO_ACCOUNTS.sellers[0];
    await page.goto(server.url);
    await chooseAccount(page, accounts[seller]!);
    await page.getByRole("link", { name: "Staff" }).click({ timeout: UI_TIMEOUT_MS });
    await page.getByRole("heading", { name: "Add a staff member" }).waitFor({ timeout: UI_TIMEOUT_MS });
    const clerk = getAddress(accounts[10]!);
    await page.locator('input[name="staffAddress"]').fill(clerk);
    await page.locator('input[name="staffName"]').fill("Bernd Keller");
    await page.getByRole("button", { name: "Add staff member" }).click();
    await page.locator(`tr[data-staff="${clerk.toLowerCase()}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(`tr[data-staff="${clerk.toLowerCase()}"]`).innerText()).to.include("AR clerk");
    await page.screenshot({ path: join(SCREENSHOT_DIR, "staff-panel.png"), fullPage: true });

    await chooseAccount(page, clerk);
    await page.locator(".person-line").waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(".person-line").innerText()).to.include("Bernd Keller · staff of Acme Components Ltd · AR clerk");
    await page.goto(`${server.url}/#/receivables`);
    const mine = DEMO_INVOICES.filter((i) => i.seller === seller).length;
    await page.waitForFunction((n) => document.querySelectorAll("tr[data-id]").length === n, mine, { timeout: UI_TIMEOUT_MS });
    // "Owed to you" is the company's: seller 1's open demo invoices (125,000 confirmed + 48,250 registered).
    const owed = DEMO_INVOICES.filter((i) => i.seller === seller && i.then !== "paid").reduce((n, i) => n + i.amount, 0n);
    expect(owed).to.equal(173_250_000_000n);
    await page.waitForFunction(() => document.querySelector(".summary li .stat-value")?.textContent?.includes("173,250.00"), undefined, {
      timeout: UI_TIMEOUT_MS,
    });
    await page.screenshot({ path: join(SCREENSHOT_DIR, "staff-session.png"), fullPage: true });
    expect(s.pageErrors, s.pageErrors.join("\n")).to.deep.equal([]);
    console.log(`      screenshots in ${SCREENSHOT_DIR}`);
  });
});
