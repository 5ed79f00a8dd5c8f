// Browser test of one factoring auction (issue 5) from listing to sale through the server: the seller lists a
// confirmed receivable with a reserve; the operator sets the buyer's credit limit; two financiers price it in the
// marketplace (credit tier and limit use) and send signed offers to the server, each seeing only its own (one
// withdraws an offer); the seller sees the offers ranked by price and yield and accepts the best: price to the
// seller and receivable to the financier in one transaction.
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, createWalletClient, http, keccak256, toHex } from "viem";
import { DEMO_ACCOUNTS } from "../../scripts/demo.ts";
import { receivableLedgerAbi, settlementTokenAbi } from "../../deployments/contracts.ts";
import { startStack, type Stack } from "./helpers/stack.ts";
import { chooseAccount, confirmDialog } from "./helpers/flow.ts";

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), "ledger-screens-"));
const UI_TIMEOUT_MS = 30_000;

describe("web client: a factoring auction from listing to sale", function () {
  let s: Stack;
  let id = "";

  before(async function () {
    s = await startStack({ demoInvoices: true });
    const contracts = s.deployment.contracts as Record<string, string>;
    if (!contracts.FactoringMarket) throw new Error("the deployment has no FactoringMarket");
  });

  after(async function () {
    await s?.stop();
  });

  it("the seller lists a confirmed receivable with a reserve", async function () {
    const { page, server, accounts } = s;
    await page.goto(server.url);
    await chooseAccount(page, accounts[DEMO_ACCOUNTS.sellers[0]]!);
    // INV-2026-0001: Acme → Colossus, 125,000, confirmed.
    const row = page.locator("tr[data-id]", { hasText: "125,000.00", has: page.locator('[data-status="Confirmed"]') }).first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    id = (await row.getAttribute("data-id"))!;
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.getByRole("button", { name: "List for factoring…" }).click({ timeout: UI_TIMEOUT_MS });
    await page.locator('input[name="reserve"]').fill("120000");
    await page.locator('input[name="listingDays"]').fill("5");
    await page.getByRole("button", { name: "List", exact: true }).click();
    const notice = page.locator(".factoring-card .notice-ok, .factoring-card .notice-error").first();
    await notice.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await notice.innerText()).to.include("Listed for factoring");
    await page.locator(".factoring-card").getByText("with a reserve of").waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(".factoring-card").innerText()).to.include("120,000.00");
  });

  it("the operator sets the buyer's credit limit on the credit page", async function () {
    const { page, accounts } = s;
    const buyer = accounts[DEMO_ACCOUNTS.buyers[0]]!; // Colossus Motors AG
    await chooseAccount(page, accounts[DEMO_ACCOUNTS.operator]!);
    await page.getByRole("link", { name: "Credit" }).click();
    const row = page.locator(`tr[data-address="${buyer.toLowerCase()}"]`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await row.innerText()).to.match(/Colossus Motors AG[\s\S]*Tier [ABC]/);
    expect(await row.locator('[data-field="limit"]').innerText()).to.include("none set");
    await row.getByRole("button", { name: "Set limit…" }).click();
    await page.locator('input[name="creditLimit"]').fill("1000000");
    await page.locator('input[name="externalRating"]').fill("A-");
    await page.getByRole("button", { name: "Save limit" }).click();
    await page.locator(".notice-ok", { hasText: "Credit limit saved." }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent?.includes("1,000,000.00"),
      `tr[data-address="${buyer.toLowerCase()}"] [data-field="limit"]`,
      { timeout: UI_TIMEOUT_MS },
    );
    expect(await row.locator('[data-field="limit-use"]').innerText()).to.match(/^\d+\.\d%$/);
    expect(await row.innerText()).to.include("rated A-");
    await page.screenshot({ path: join(SCREENSHOT_DIR, "credit.png"), fullPage: true });
  });

  it("two financiers each send an offer through the server and see only their own; the buyer's limit use is shown", async function () {
    const { page, server, accounts } = s;
    // Fjord Trade Bank: an offer below the reserve is refused before signing; then 121,000.
    await chooseAccount(page, accounts[DEMO_ACCOUNTS.financiers[1]]!);
    await page.getByRole("link", { name: "Marketplace" }).click();
    const row = page.locator(`tr[data-id="${id}"]`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await row.innerText()).to.match(/Acme Components Ltd[\s\S]*Colossus Motors AG[\s\S]*\d+% of limit[\s\S]*125,000\.00[\s\S]*120,000\.00/);
    await row.getByRole("button", { name: "Make offer" }).click();
    await page.locator('input[name="offerPrice"]').fill("100000");
    await page.getByRole("button", { name: "Sign and send offer" }).click();
    expect(await page.locator(".offer-form .notice-error").innerText()).to.include("reserve");
    await page.locator('input[name="offerPrice"]').fill("121000");
    await page.getByRole("button", { name: "Sign and send offer" }).click();
    await page.locator(".offer-form .notice-ok, .offer-form .notice-error").first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(".offer-form .notice-ok").innerText()).to.include("Offer of 121,000.00 sent to the lister");
    await page.waitForFunction((rowId) => document.querySelector(`tr[data-id="${rowId}"] .my-offers`)?.textContent?.includes("121,000.00"), id, {
      timeout: UI_TIMEOUT_MS,
    });

    // Evergreen Factoring: a 120,500 offer it then withdraws (server and on chain), and 122,500.
    await chooseAccount(page, accounts[DEMO_ACCOUNTS.financiers[0]]!);
    await page.goto(`${server.url}/#/market`);
    const mine = page.locator(`tr[data-id="${id}"] .my-offers`);
    await mine.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await mine.innerText()).to.equal("none");
    await page.locator(`tr[data-id="${id}"]`).getByRole("button", { name: "Make offer" }).click();
    await page.locator('input[name="offerPrice"]').fill("120500");
    await page.getByRole("button", { name: "Sign and send offer" }).click();
    await page.locator(".offer-form .notice-ok", { hasText: "Offer of 120,500.00 sent" }).waitFor({ timeout: UI_TIMEOUT_MS });
    await mine.locator('li[data-offer-state="open"]').getByRole("button", { name: "Withdraw" }).click({ timeout: UI_TIMEOUT_MS });
    await mine.locator('li[data-offer-state="withdrawn"]').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator('input[name="offerPrice"]').fill("122500");
    expect(await page.locator(".offer-form .hint").innerText()).to.match(/Discount 2\.00%.*annualised yield/);
    await page.getByRole("button", { name: "Sign and send offer" }).click();
    await page.locator(".offer-form .notice-ok", { hasText: "Offer of 122,500.00 sent" }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.waitForFunction(
      (rowId) => document.querySelector(`tr[data-id="${rowId}"] .my-offers li[data-offer-state="open"]`)?.textContent?.includes("122,500.00"),
      id,
      {
        timeout: UI_TIMEOUT_MS,
      },
    );
    // Only its own offers: never Fjord's 121,000.
    const text = await mine.innerText();
    expect(text).to.include("122,500.00").and.include("120,500.00").and.not.include("121,000.00");
    await page.screenshot({ path: join(SCREENSHOT_DIR, "marketplace.png"), fullPage: true });

    // And Fjord still sees only its own.
    await chooseAccount(page, accounts[DEMO_ACCOUNTS.financiers[1]]!);
    await page.goto(`${server.url}/#/market`);
    await page.waitForFunction((rowId) => document.querySelector(`tr[data-id="${rowId}"] .my-offers`)?.textContent?.includes("121,000.00"), id, {
      timeout: UI_TIMEOUT_MS,
    });
    const fjord = await page.locator(`tr[data-id="${id}"] .my-offers`).innerText();
    expect(fjord).to.not.include("122,500.00").and.not.include("120,500.00");
  });

  it("the seller sees both offers ranked and accepts the best: price and receivable change hands in one transaction", async function () {
    const { page, server, accounts, chain, deployment } = s;
    const seller = accounts[DEMO_ACCOUNTS.sellers[0]]!;
    const financier = accounts[DEMO_ACCOUNTS.financiers[0]]!;
    const client = createPublicClient({ transport: http(chain.rpcUrl) });
    const balance = (who: `0x${string}`) =>
      client.readContract({ address: deployment.contracts.SettlementToken, abi: settlementTokenAbi, functionName: "balanceOf", args: [who] });
    const [sellerBefore, financierBefore] = [await balance(seller), await balance(financier)];

    await chooseAccount(page, seller);
    await page.goto(`${server.url}/#/receivables/${id}`);
    // Two open offers (the withdrawn one is not offered): ranked by price, the best first.
    const ranked = page.locator('[aria-label="Offers ranked by price"] tbody tr');
    await ranked.nth(1).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await ranked.count()).to.equal(2);
    expect(await ranked.nth(0).innerText()).to.match(/^1\s[\s\S]*Evergreen Factoring[\s\S]*122,500\.00[\s\S]*2\.00%/);
    expect(await ranked.nth(1).innerText()).to.match(/^2\s[\s\S]*Fjord Trade Bank[\s\S]*121,000\.00/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "ranked-offers.png"), fullPage: true });
    await ranked.nth(0).getByRole("button", { name: "Sell for 122,500.00" }).click();
    // The dialog says the price, the financier, what the seller receives and that there is no recourse.
    const terms = await confirmDialog(page, "Sell for 122,500.00");
    expect(terms).to.match(/to Evergreen Factoring for 122,500\.00 \S+\?/);
    expect(terms).to.match(/a discount of 2,500\.00 \S+\. In one transaction you receive 122,500\.00 \S+ and Evergreen Factoring becomes the holder/);
    expect(terms).to.include("Without recourse: Evergreen Factoring takes the risk that the buyer does not pay; you owe nothing more.");
    const notice = page.locator(".factoring-card .notice-ok, .factoring-card .notice-error").first();
    await notice.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await notice.innerText()).to.include("Sold for 122,500.00");

    expect(await balance(seller)).to.equal(sellerBefore + 122_500_000_000n);
    expect(await balance(financier)).to.equal(financierBefore - 122_500_000_000n);
    const r = await client.readContract({
      address: deployment.contracts.ReceivableLedger,
      abi: receivableLedgerAbi,
      functionName: "receivable",
      args: [BigInt(id)],
    });
    expect(r.holder.toLowerCase()).to.equal(financier.toLowerCase());

    // The seller's financing: 122,500 received for 125,000 face, a 2,500 discount.
    await page.goto(`${server.url}/#/portfolio`);
    const financing = page.locator('[aria-label="Financing summary"]');
    await financing.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await financing.innerText()).to.match(/Financed volume\s+122,500\.00[\s\S]*Cost of financing\s+2,500\.00/i);
    await page.locator(`[aria-label="Receivables sold"] tr[data-id="${id}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.screenshot({ path: join(SCREENSHOT_DIR, "seller-financing.png"), fullPage: true });

    // The financier now holds it: in its "held by me" list and its portfolio; the buyer's payment will go to it.
    await chooseAccount(page, financier);
    await page.goto(`${server.url}/#/receivables`);
    await page.locator('input[name="view"][value="holder"]').check({ timeout: UI_TIMEOUT_MS });
    await page.locator(`tr[data-id="${id}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.goto(`${server.url}/#/portfolio`);
    await page.locator(`tr[data-id="${id}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.screenshot({ path: join(SCREENSHOT_DIR, "financier-portfolio.png"), fullPage: true });
    expect(await page.locator(`tr[data-id="${id}"]`).innerText()).to.match(/122,500\.00[\s\S]*2\.00% \/ [\d.]+% p\.a\./);
    // Its offer history: the winning offer accepted, the withdrawn one withdrawn; the listing has left the marketplace.
    await page.goto(`${server.url}/#/market`);
    const history = page.locator('[aria-label="All your offers"]');
    await history.locator('tr[data-offer-state="accepted"]', { hasText: "122,500.00" }).waitFor({ timeout: UI_TIMEOUT_MS });
    await history.locator('tr[data-offer-state="withdrawn"]', { hasText: "120,500.00" }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.locator(`tr[data-id="${id}"]`).count()).to.equal(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "offer-history.png"), fullPage: true });
    await page.goto(`${server.url}/#/receivables/${id}`);
    await page.locator('tr[data-event="ReceivableTransferred"]').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.screenshot({ path: join(SCREENSHOT_DIR, "sold-detail.png"), fullPage: true });
    expect(s.pageErrors, s.pageErrors.join("\n")).to.deep.equal([]);
  });

  it("with recourse: after a default the financier claims recourse and the seller repurchases", async function () {
    const { page, server, accounts, chain, deployment } = s;
    const seller = accounts[DEMO_ACCOUNTS.sellers[1]]!; // Borealis: BP-77120, 310,000 to Colossus, confirmed
    const financier = accounts[DEMO_ACCOUNTS.financiers[1]]!; // Fjord Trade Bank
    const rpc = (method: string, params: unknown[]) =>
      fetch(chain.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    // The seller will need more than the sale price to repurchase (price plus recourse interest).
    const operator = createWalletClient({ account: accounts[DEMO_ACCOUNTS.operator]!, transport: http(chain.rpcUrl) });
    const client = createPublicClient({ transport: http(chain.rpcUrl) });
    await client.waitForTransactionReceipt({
      hash: await operator.writeContract({
        chain: null,
        address: deployment.contracts.SettlementToken,
        abi: settlementTokenAbi,
        functionName: "mint",
        args: [seller, 50_000_000_000n],
      }),
    });
    const notice = async (text: string) => {
      const n = page.locator(".factoring-card .notice-ok, .factoring-card .notice-error, .action-card .notice-ok, .action-card .notice-error").first();
      await n.waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await n.innerText()).to.include(text);
    };

    await chooseAccount(page, seller);
    await page.goto(`${server.url}/#/receivables`);
    const row = page.locator("tr[data-id]", { hasText: "310,000.00" }).first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    const rid = (await row.getAttribute("data-id"))!;
    await page.goto(`${server.url}/#/receivables/${rid}`);
    await page.getByRole("button", { name: "List for factoring…" }).click({ timeout: UI_TIMEOUT_MS });
    await page.locator('input[name="reserve"]').fill("290000");
    await page.locator('input[name="withRecourse"]').check();
    await page.locator('input[name="recourseRate"]').fill("8");
    await page.getByRole("button", { name: "List", exact: true }).click();
    await notice("Listed for factoring");

    await chooseAccount(page, financier);
    await page.goto(`${server.url}/#/market`);
    await page.locator(`tr[data-id="${rid}"]`).getByRole("button", { name: "Make offer" }).click({ timeout: UI_TIMEOUT_MS });
    await page.locator('input[name="offerPrice"]').fill("300000");
    await page.getByRole("button", { name: "Sign and send offer" }).click();
    await page.locator(".offer-form .notice-ok", { hasText: "Offer of 300,000.00 sent" }).waitFor({ timeout: UI_TIMEOUT_MS });

    await chooseAccount(page, seller);
    await page.goto(`${server.url}/#/receivables/${rid}`);
    await page.getByRole("button", { name: "Sell for 300,000.00" }).click({ timeout: UI_TIMEOUT_MS });
    expect(await confirmDialog(page, "Sell for 300,000.00")).to.include(
      "With recourse: if it defaults, Fjord Trade Bank can make you buy it back for the price plus 8.00% a year since the sale.",
    );
    await notice("Sold for 300,000.00");

    // 90 days later the buyer has not paid (due in 80 days, 5 days' grace).
    await rpc("evm_increaseTime", [90 * 86_400]);
    await rpc("evm_mine", []);
    await chooseAccount(page, financier);
    await page.goto(`${server.url}/#/receivables`);
    await page.goto(`${server.url}/#/receivables/${rid}`);
    await page.getByRole("button", { name: "Mark defaulted" }).click({ timeout: UI_TIMEOUT_MS });
    await confirmDialog(page, "Mark defaulted");
    await notice("Marked defaulted");
    await page.getByRole("button", { name: "Claim recourse from the seller" }).click({ timeout: UI_TIMEOUT_MS });
    await confirmDialog(page, "Claim recourse");
    await page.getByText("Recourse claimed:").first().waitFor({ timeout: UI_TIMEOUT_MS });

    await chooseAccount(page, seller);
    await page.goto(`${server.url}/#/receivables`);
    await page.goto(`${server.url}/#/receivables/${rid}`);
    const repurchase = page.getByRole("button", { name: /^Repurchase for / });
    await repurchase.waitFor({ timeout: UI_TIMEOUT_MS });
    // Price plus 8% a year for 90 whole days: 300,000 × (1 + 0.08 × 90/365) = 305,917.808219.
    expect(await repurchase.innerText()).to.equal("Repurchase for 305,917.808219");
    await repurchase.click();
    await notice("Repurchased for 305,917.808219");
    const r = await client.readContract({
      address: deployment.contracts.ReceivableLedger,
      abi: receivableLedgerAbi,
      functionName: "receivable",
      args: [BigInt(rid)],
    });
    expect(r.holder.toLowerCase()).to.equal(seller.toLowerCase());
    expect(s.pageErrors, s.pageErrors.join("\n")).to.deep.equal([]);
  });

  it("an expired listing takes no offers and anyone may close it, which unlocks the receivable", async function () {
    const { page, server, accounts, chain, deployment } = s;
    const seller = accounts[DEMO_ACCOUNTS.sellers[0]]!; // Acme
    const buyer = accounts[DEMO_ACCOUNTS.buyers[0]]!; // Colossus
    const rpc = (method: string, params: unknown[]) =>
      fetch(chain.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    // Registered and confirmed on chain directly: the earlier cases moved the chain's clock months ahead of the form's dates.
    const client = createPublicClient({ transport: http(chain.rpcUrl) });
    const now = Number((await client.getBlock()).timestamp);
    const rid = keccak256(toHex(`expiring listing ${Date.now()}`));
    const sellerWallet = createWalletClient({ account: seller, transport: http(chain.rpcUrl) });
    await client.waitForTransactionReceipt({
      hash: await sellerWallet.writeContract({
        chain: null,
        address: deployment.contracts.ReceivableLedger,
        abi: receivableLedgerAbi,
        functionName: "register",
        args: [
          {
            fingerprint: rid,
            documentHash: keccak256(toHex("expiring")),
            buyer,
            amount: 5_000_000_000n,
            currency: "0x555344",
            issueDate: now - 86_400,
            dueDate: now + 60 * 86_400,
            terms: { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 },
          },
        ],
      }),
    });
    const buyerWallet = createWalletClient({ account: buyer, transport: http(chain.rpcUrl) });
    await client.waitForTransactionReceipt({
      hash: await buyerWallet.writeContract({
        chain: null,
        address: deployment.contracts.ReceivableLedger,
        abi: receivableLedgerAbi,
        functionName: "confirm",
        args: [BigInt(rid)],
      }),
    });
    await chooseAccount(page, seller);
    await page.goto(`${server.url}/#/receivables`);
    await page.goto(`${server.url}/#/receivables/${rid}`);
    await page.getByRole("button", { name: "List for factoring…" }).click({ timeout: UI_TIMEOUT_MS });
    await page.locator('input[name="reserve"]').fill("4800");
    await page.locator('input[name="listingDays"]').fill("1");
    await page.getByRole("button", { name: "List", exact: true }).click();
    const listed = page.locator(".factoring-card .notice-ok, .factoring-card .notice-error").first();
    await listed.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await listed.innerText()).to.include("Listed for factoring");
    // Two days later the listing has expired; the buyer (not the lister, and still able to see the receivable once
    // it is no longer listed) sees that and closes it.
    await rpc("evm_increaseTime", [2 * 86_400]);
    await rpc("evm_mine", []);
    await chooseAccount(page, buyer);
    await page.goto(`${server.url}/#/receivables`);
    await page.goto(`${server.url}/#/receivables/${rid}`);
    await page.locator("[data-listing-expired]").waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByRole("button", { name: "Sign and send offer" }).count()).to.equal(0);
    await page.getByRole("button", { name: "Close expired listing" }).click();
    await confirmDialog(page, "Close listing");
    await page.locator(".factoring-card .notice-ok", { hasText: "Expired listing closed" }).waitFor({ timeout: UI_TIMEOUT_MS });
    const r = await client.readContract({
      address: deployment.contracts.ReceivableLedger,
      abi: receivableLedgerAbi,
      functionName: "receivable",
      args: [BigInt(rid)],
    });
    expect(/^0x0+$/.test(r.lockedBy)).to.equal(true);
    expect(s.pageErrors, s.pageErrors.join("\n")).to.deep.equal([]);
  });
});
