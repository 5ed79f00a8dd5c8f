// The lifecycle a user drives through the web client: a seller registers an invoice with its document, the
// buyer confirms it, the buyer pays it; the list shows Registered → Confirmed → Paid.
import type { Page } from "playwright-core";
import { getAddress, type Address } from "viem";

const UI_TIMEOUT_MS = 30_000;

export interface LifecycleInput {
  url: string;
  seller: Address;
  buyer: Address;
  invoiceNumber: string;
  amount: string;
  document: { name: string; bytes: Buffer };
}

export async function chooseAccount(page: Page, address: Address): Promise<void> {
  await page.locator('select[name="account"]').selectOption(`dev:${getAddress(address)}`);
  // The role chips (or "not a member") appear once the registry has answered for this account, and the
  // server session must be this account's before anything is read.
  await page.locator(".account-status .role-chip, .account-status .not-member").first().waitFor({ timeout: UI_TIMEOUT_MS });
  await page.locator(`.account-status [data-signin-for="${address.toLowerCase()}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
}

export async function statusInList(page: Page, url: string, id: string, status: string): Promise<void> {
  await page.goto(`${url}/#/receivables`);
  await page.waitForFunction(
    ([rowId, wanted]) => document.querySelector(`tr[data-id="${rowId}"] [data-status]`)?.getAttribute("data-status") === wanted,
    [id, status] as const,
    { timeout: UI_TIMEOUT_MS },
  );
}

export async function registerInvoice(page: Page, input: LifecycleInput): Promise<{ id: string; notice: string }> {
  await chooseAccount(page, input.seller);
  await page.getByRole("link", { name: "Register invoice" }).first().click();
  await page.getByRole("heading", { name: "Register an invoice" }).waitFor({ timeout: UI_TIMEOUT_MS });
  // Wait until the buyer list is loaded from the registry.
  await page.locator(`select[name="buyer"] option[value="${getAddress(input.buyer)}"]`).waitFor({ state: "attached", timeout: UI_TIMEOUT_MS });
  await page.locator('select[name="buyer"]').selectOption(getAddress(input.buyer));
  await page.locator('input[name="invoiceNumber"]').fill(input.invoiceNumber);
  await page.locator('input[name="amount"]').fill(input.amount);
  await page.locator('input[name="document"]').setInputFiles({ name: input.document.name, mimeType: "application/json", buffer: input.document.bytes });
  await page.getByText("document hash").waitFor({ timeout: UI_TIMEOUT_MS });
  await page.getByRole("button", { name: "Register invoice" }).click();
  const outcome = page.locator(".notice-ok, .notice-error").first();
  await outcome.waitFor({ timeout: UI_TIMEOUT_MS });
  const notice = (await outcome.innerText()).trim();
  if (!(await outcome.evaluate((el) => el.classList.contains("notice-ok")))) throw new Error(`registration failed: ${notice}`);
  const href = await page.getByRole("link", { name: "View the receivable" }).getAttribute("href");
  const id = /#\/receivables\/(0x[0-9a-f]{64})/.exec(href ?? "")?.[1];
  if (!id) throw new Error(`no receivable link after registration: ${href}`);
  return { id, notice };
}

async function act(page: Page, url: string, id: string, button: RegExp, done: string): Promise<string> {
  await page.goto(`${url}/#/receivables/${id}`);
  await page.getByRole("button", { name: button }).click({ timeout: UI_TIMEOUT_MS });
  const outcome = page.locator(".action-card .notice-ok, .action-card .notice-error").first();
  await outcome.waitFor({ timeout: UI_TIMEOUT_MS });
  const text = (await outcome.innerText()).trim();
  if (!text.includes(done)) throw new Error(`expected "${done}", got: ${text}`);
  return text;
}

export async function confirmAsBuyer(page: Page, url: string, buyer: Address, id: string): Promise<void> {
  await chooseAccount(page, buyer);
  await act(page, url, id, /^Confirm invoice$/, "Invoice confirmed.");
}

/** Pays from the detail page; returns the amount due shown before paying (e.g. "1,209.87"). */
export async function payAsBuyer(page: Page, url: string, buyer: Address, id: string): Promise<string> {
  await chooseAccount(page, buyer);
  await page.goto(`${url}/#/receivables/${id}`);
  const due = page.getByTestId("amount-due");
  await due.waitFor({ timeout: UI_TIMEOUT_MS });
  const shown = (await due.innerText()).trim();
  await act(page, url, id, /^Pay [\d,.]+$/, "Payment settled");
  return shown;
}

/**
 * Confirms the open confirmation dialog (an irreversible action asks first) by its action button, e.g.
 * `confirmDialog(page, "Write off")`; returns the dialog's text (title and what will happen).
 */
export async function confirmDialog(page: Page, action: string): Promise<string> {
  const dialog = page.getByRole("dialog");
  await dialog.waitFor({ timeout: UI_TIMEOUT_MS });
  const text = (await dialog.innerText()).trim();
  await dialog.getByRole("button", { name: action, exact: true }).click();
  await dialog.waitFor({ state: "detached", timeout: UI_TIMEOUT_MS });
  return text;
}
