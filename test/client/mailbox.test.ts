// The mailbox and the bell (issue 12): in the embedded default the server catches the e-mail its outbox sends, and
// a demo user sees the reminders that went out (the Mailbox page, reached from the top bar's bell) and its in-app
// notifications (the bell's count and list; marking one read). Another member sees neither.
import { expect } from "chai";
import type { Page } from "playwright-core";
import { DEMO_ACCOUNTS } from "../../scripts/demo.ts";
import { startStack, type Stack } from "./helpers/stack.ts";
import { chooseAccount } from "./helpers/flow.ts";

const UI_TIMEOUT_MS = 30_000;

describe("web client: mailbox and notification bell", function () {
  let s: Stack;
  let page: Page;
  const seller = () => s.accounts[DEMO_ACCOUNTS.sellers[0]]!;
  const otherSeller = () => s.accounts[DEMO_ACCOUNTS.sellers[1]]!;
  const buyer = () => s.accounts[DEMO_ACCOUNTS.buyers[0]]!;

  before(async function () {
    s = await startStack();
    page = s.page;
    const outbox = s.server.notifications.outbox;
    const email = await outbox.enqueue({
      dedupeKey: "client-test:reminder",
      channel: "email",
      sender: seller().toLowerCase(),
      recipientMember: buyer().toLowerCase(),
      recipient: "ar@colossus.example",
      subject: "Payment reminder INV-2026-001",
      text: "Invoice INV-2026-001 (1,200.00 USD) fell due on 2026-12-01.",
      language: "en",
    });
    const note = await outbox.enqueue({
      dedupeKey: "client-test:note",
      channel: "inapp",
      sender: seller().toLowerCase(),
      recipient: seller().toLowerCase(),
      subject: "Reminder sent to Colossus Motors",
      text: "Level 1 of INV-2026-001",
      language: "en",
      payload: { link: "#/mailbox" },
    });
    for (const k of [email.message.dedupeKey, note.message.dedupeKey]) {
      for (let i = 0; (await outbox.get(k))?.status !== "sent"; i++) {
        if (i > 500) throw new Error(`${k} not delivered`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
  after(async () => await s?.stop());

  it("shows the seller its unread notification on the bell, and the mailbox the reminder that went out", async function () {
    await page.goto(s.server.url);
    await chooseAccount(page, seller());
    const count = page.getByTestId("bell-count");
    await count.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await count.innerText()).to.equal("1");
    await page.getByRole("button", { name: /Notifications: 1 unread/ }).click();
    const panel = page.getByRole("dialog", { name: "Notifications" });
    await panel.getByText("Reminder sent to Colossus Motors").waitFor({ timeout: UI_TIMEOUT_MS });
    await panel.getByRole("button", { name: "Mark read" }).click();
    await count.waitFor({ state: "detached", timeout: UI_TIMEOUT_MS });

    await panel.getByRole("link", { name: "Mailbox" }).click();
    await page.getByRole("heading", { name: "Mailbox" }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.title()).to.equal("Mailbox · Receivables Ledger");
    const row = page.getByRole("row").filter({ hasText: "Payment reminder INV-2026-001" });
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await row.innerText())
      .to.contain("ar@colossus.example")
      .and.contain("delivered once");
    await row.getByRole("button", { name: "Payment reminder INV-2026-001" }).click();
    await page.locator(".mail-view pre").getByText("Invoice INV-2026-001 (1,200.00 USD) fell due on 2026-12-01.").waitFor({ timeout: UI_TIMEOUT_MS });
    expect(s.pageErrors).to.deep.equal([]);
  });

  it("shows another member neither the reminder nor the notification", async function () {
    await chooseAccount(page, otherSeller());
    await page.goto(`${s.server.url}/#/mailbox`);
    await page.getByText("No e-mail has gone out to or from you yet.").waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId("bell-count").count()).to.equal(0);
  });
});
