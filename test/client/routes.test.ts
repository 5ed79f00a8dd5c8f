// The client's route registry and its lazily loaded pages (issue 10, client items 3 and 5): the first route's
// JavaScript stays within its budget, another page's code is fetched only when that page is opened, and the
// navigation, highlighting and document titles all come from the one registry.
import { expect } from "chai";
import { basename } from "node:path";
import type { Page } from "playwright-core";
import { DEMO_ACCOUNTS } from "../../scripts/demo.ts";
import { FIRST_ROUTE_CEILING_BYTES, firstRouteSize } from "../../scripts/client-size.ts";
import { startStack, type Stack } from "./helpers/stack.ts";
import { chooseAccount } from "./helpers/flow.ts";

const UI_TIMEOUT_MS = 30_000;

describe("web client: route registry and lazily loaded pages", function () {
  let s: Stack;
  let page: Page;
  /** The JavaScript files the page fetched, by name. */
  const scripts: string[] = [];

  before(async function () {
    s = await startStack({ demoInvoices: true });
    page = s.page;
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(basename(new URL(r.url()).pathname));
    });
  });
  after(async () => await s?.stop());

  const navLabels = () => page.locator('nav[aria-label="Main"] a').allInnerTexts();
  const current = () => page.locator('nav[aria-label="Main"] a[aria-current="page"]').allInnerTexts();

  it("the first route's JavaScript (entry, its static imports and the receivables page) does not grow past its ceiling (the 200 kB target is printed by the build), without other pages' code", function () {
    const size = firstRouteSize();
    expect(size.gzipBytes).to.be.at.most(FIRST_ROUTE_CEILING_BYTES);
    const files = size.files.map((f) => f.file);
    expect(files.some((f) => /receivables-page-/.test(f))).to.equal(true);
    expect(
      files.filter((f) =>
        /(market|loans|insurance|receivable|register|members|audit|credit|portfolio|reports|bank-payments|worklist|case|policies|kpis|risk)-page-/.test(f),
      ),
    ).to.deep.equal([]);
  });

  it("loads a page's code only when it is opened; navigation, highlight and title follow the registry", async function () {
    await page.goto(s.server.url);
    await chooseAccount(page, s.accounts[DEMO_ACCOUNTS.financiers[0]]!);
    await page.getByRole("heading", { name: "Receivables", exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.title()).to.equal("Receivables · Receivables Ledger");
    // A financier's navigation, in registry order.
    expect(await navLabels()).to.deep.equal(["Receivables", "Marketplace", "Loans", "Credit", "Portfolio", "Reports", "Collections", "Early warning", "Staff"]);
    expect(await current()).to.deep.equal(["Receivables"]);
    expect(scripts.filter((f) => f.startsWith("receivables-page-"))).to.have.length(1);
    expect(scripts.filter((f) => f.startsWith("market-page-"))).to.deep.equal([]);

    await page.getByRole("link", { name: "Marketplace" }).click();
    await page.getByRole("heading", { name: "Factoring marketplace" }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.title()).to.equal("Factoring marketplace · Receivables Ledger");
    expect(await current()).to.deep.equal(["Marketplace"]);
    expect(scripts.filter((f) => f.startsWith("market-page-"))).to.have.length(1);

    // A receivable's page (its seller's; the id matched whatever its case) highlights the receivables entry; an
    // unknown path says so.
    await chooseAccount(page, s.accounts[DEMO_ACCOUNTS.sellers[0]]!);
    const id = "0x" + s.ids[0]!.toString(16).padStart(64, "0");
    await page.goto(`${s.server.url}/#/receivables/0x${id.slice(2).toUpperCase()}`);
    await page.getByRole("heading", { name: /History on chain/ }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.title()).to.equal("Receivable · Receivables Ledger");
    expect(await current()).to.deep.equal(["Receivables"]);
    await page.goto(`${s.server.url}/#/nowhere`);
    await page.getByText("There is no page at /nowhere.").waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.title()).to.equal("Not found · Receivables Ledger");

    // The operator sees the operator's entries.
    await page.goto(`${s.server.url}/#/receivables`);
    await chooseAccount(page, s.accounts[DEMO_ACCOUNTS.operator]!);
    expect(await navLabels()).to.deep.equal(["Receivables", "Credit", "Reports", "Early warning", "Audit", "Members", "Bank payments"]);
    expect(s.pageErrors, s.pageErrors.join("\n")).to.deep.equal([]);
  });
});
