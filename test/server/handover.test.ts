// Letters as PDF and the hand-over of a collection case (issue 12, Collections items 3 and 6; "Proven": hand-over
// and recall) end to end: a real chain moved forward in time, the server over HTTP, a real database (SQLite, and
// PostgreSQL when TEST_DATABASE_URL_PG is set), the outbox delivered by the server's own deliverers (runOnce).
//
// The PDFs are read back by a small PDF text reader written here (inflate the streams with fflate, map the glyph
// codes of the text operators through the embedded font's ToUnicode CMap), independent of pdfkit; amounts and
// dates are checked against hand-written strings, not Intl. The ZIP is unpacked with fflate and its entries
// compared byte for byte with what was uploaded and downloaded.
import { createHash } from "node:crypto";
import { expect } from "chai";
import { Contract, type JsonRpcProvider } from "ethers";
import { keccak256, toHex } from "viem";
import { unzipSync, unzlibSync, strFromU8 } from "fflate";
import { receivableLedgerAbi, settlementTokenAbi } from "../../deployments/contracts.ts";
import { pdfFont, DEFAULT_CJK_FONT } from "../../server/pdf/pdf.ts";
import { startEnv, api, login, addressOf, waitForHead, DATABASES, type TestEnv } from "./helpers.ts";

const DAY_S = 86_400;
const U = 1_000_000n; // one token in base units
const k = (n: number) => BigInt(n) * 1_000n * U;
const FINALITY = 2;

const tpl = (subject: string, body: string) => ({ subject, body });
/** Tier A for this file: letters at +1, +10, +15 and +20 days past due. */
const level = (days: number, name: string) => ({
  days,
  name,
  channels: ["letter"],
  templates: {
    en: tpl(`Notice ${days}: {invoiceNumber}`, "{amount} was due on {dueDate}, {daysPastDue} days ago"),
    "zh-CN": tpl(`催款函 ${days}：{invoiceNumber}`, "{amount} 已于 {dueDate} 到期，逾期 {daysPastDue} 天"),
  },
});
const POLICY = { promiseGraceDays: 3, brokenPromiseLevel: null, levels: [level(1, "first"), level(10, "second"), level(15, "third"), level(20, "final")] };

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
/** Hand-written locale formats (independent of Intl): en "December 6, 2026", zh-CN "2026年12月6日". */
const enDate = (d: Date) => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
const zhDate = (d: Date) => `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
const dayDate = (day: number) => new Date(day * DAY_S * 1000);
/** Hand-written money: en "$70,000.00", zh-CN "US$70,000.00" (whole tokens only, as this file uses). */
const grouped = (units: bigint) => (units / U).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",") + ".00";
const enMoney = (units: bigint) => `$${grouped(units)}`;
const zhMoney = (units: bigint) => `US$${grouped(units)}`;

// ───────────────────────────────────────────── a small PDF text reader ──

/** The decoded content of every stream of a PDF (FlateDecode inflated). */
function pdfStreams(pdf: Uint8Array): { dict: string; data: Uint8Array }[] {
  const s = Buffer.from(pdf).toString("latin1");
  const out: { dict: string; data: Uint8Array }[] = [];
  for (let at = s.indexOf("stream\n"); at !== -1; at = s.indexOf("stream\n", at + 7)) {
    if (s.slice(at - 3, at) === "end") continue;
    const dict = s.slice(s.lastIndexOf(" obj", at), at);
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    const raw = pdf.subarray(at + 7, at + 7 + length);
    out.push({ dict, data: dict.includes("/FlateDecode") ? unzlibSync(raw) : raw });
  }
  return out;
}

/** The text a PDF shows: every TJ/Tj's glyph codes mapped through the ToUnicode CMaps, one line per operator. */
function pdfText(pdf: Uint8Array): { text: string; unmapped: number } {
  const streams = pdfStreams(pdf).map((x) => Buffer.from(x.data).toString("latin1"));
  const map = new Map<number, string>();
  const hexText = (h: string) => String.fromCodePoint(...(h.match(/.{4}/g) ?? []).map((x) => parseInt(x, 16)));
  for (const cmap of streams.filter((x) => x.includes("begincmap"))) {
    for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
      for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
        const lo = parseInt(m[1]!, 16);
        const hi = parseInt(m[2]!, 16);
        if (m[3]!.startsWith("[")) [...m[3]!.matchAll(/<([0-9a-fA-F]+)>/g)].forEach((u, i) => map.set(lo + i, hexText(u[1]!)));
        else for (let c = lo, u = parseInt(m[3]!.slice(1, -1), 16); c <= hi; c++, u++) map.set(c, String.fromCodePoint(u));
      }
    }
    for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
      for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(m[1]!, 16), hexText(m[2]!));
  }
  const lines: string[] = [];
  let unmapped = 0;
  for (const content of streams.filter((x) => /T[Jj]/.test(x) && !x.includes("begincmap"))) {
    for (const op of content.matchAll(/(\[(?:[^\]]*)\]|<[0-9a-fA-F]*>)\s*T[Jj]/g)) {
      let line = "";
      for (const h of op[1]!.matchAll(/<([0-9a-fA-F]*)>/g))
        for (const code of (h[1]!.match(/.{4}/g) ?? []).map((x) => parseInt(x, 16))) {
          // code 0 is .notdef: a character the font has no glyph for
          if (code === 0 || !map.has(code)) unmapped++;
          line += map.get(code) ?? "\uFFFD";
        }
      lines.push(line);
    }
  }
  return { text: lines.join("\n"), unmapped };
}

/** The embedded fonts' names (BaseFont) and whether each embeds TrueType outlines (FontFile2). */
function pdfFonts(pdf: Uint8Array): { names: string[]; trueType: boolean } {
  const s = Buffer.from(pdf).toString("latin1");
  return { names: [...new Set([...s.matchAll(/\/BaseFont \/([^\s/<>]+)/g)].map((m) => m[1]!))], trueType: s.includes("/FontFile2") };
}

async function download(url: string, token: string): Promise<{ status: number; bytes: Uint8Array; headers: Headers }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()), headers: res.headers };
}

describe("PDF font (LETTER_FONT)", () => {
  it("defaults to WenQuanYi Micro Hei and takes a path or file.ttc#PostScriptName from LETTER_FONT", () => {
    expect(pdfFont({})).to.deep.equal({ path: DEFAULT_CJK_FONT, face: "WenQuanYiMicroHei" });
    expect(pdfFont({ LETTER_FONT: `${DEFAULT_CJK_FONT}#WenQuanYiMicroHeiMono` })).to.deep.equal({ path: DEFAULT_CJK_FONT, face: "WenQuanYiMicroHeiMono" });
  });

  it("fails with 503 font_missing naming the missing file and the fix", () => {
    const err = (() => {
      try {
        pdfFont({ LETTER_FONT: "/nowhere/cjk.ttf" });
      } catch (e) {
        return e as { status: number; code: string; message: string };
      }
    })();
    expect([err?.status, err?.code]).to.deep.equal([503, "font_missing"]);
    expect(err?.message).to.match(/\/nowhere\/cjk\.ttf does not exist\. Set LETTER_FONT/);
  });
});

for (const database of DATABASES) {
  describe(`collections: letters as PDF, hand-over and recall (${database})`, function () {
    let env: TestEnv;
    let provider: JsonRpcProvider;
    const t: Record<string, string> = {};
    const S4 = addressOf(4);
    const B3 = addressOf(3);
    const B4 = addressOf(4);
    const COL = 15; // Grace Hall, collector of member 4
    const CLERK = 16; // Ken Clerk, AR clerk of member 4 (no collections desk role)
    let D0: number;
    const ids: Record<string, string> = {};
    const caseOf: Record<string, string> = {};
    let seq = 0;
    /** The invoice document of H (its keccak256 is H's on-chain document hash). */
    const DOCUMENT = new TextEncoder().encode(JSON.stringify({ invoice: "INV-H-2026-001", lines: [{ item: "轴承 bearings", qty: 1000, price: "100.00" }] }));
    let confirmTx: { hash: string; block: number };
    let handover: any;
    let firstRunBlock: number;

    const ledgerAs = async (i: number) => new Contract(env.deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, await provider.getSigner(i));
    async function register(seller: number, buyer: number, amount: bigint, dueDay: number, name: string, document?: Uint8Array) {
      const fingerprint = keccak256(toHex(`handover:${name}:${++seq}:${database}`));
      await (
        await (await ledgerAs(seller)).getFunction("register")({
          fingerprint,
          documentHash: document ? keccak256(document) : keccak256(toHex(`doc:${name}`)),
          buyer: addressOf(buyer),
          amount,
          currency: "0x555344",
          issueDate: (D0 - 20) * DAY_S + 12 * 3600,
          dueDate: dueDay * DAY_S + 12 * 3600,
          terms: { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 },
        })
      ).wait();
      ids[name] = fingerprint.toLowerCase();
    }
    const confirm = async (buyer: number, name: string) => await (await (await ledgerAs(buyer)).getFunction("confirm")(BigInt(ids[name]!))).wait();
    async function pay(buyer: number, name: string, amount: bigint) {
      const token = new Contract(env.deployment.contracts.SettlementToken, settlementTokenAbi as any, await provider.getSigner(buyer));
      await (await token.getFunction("approve")(env.deployment.contracts.ReceivableLedger, amount)).wait();
      await (await (await ledgerAs(buyer)).getFunction("pay")(BigInt(ids[name]!), amount)).wait();
    }
    async function settle() {
      for (let i = 0; i < FINALITY; i++) await provider.send("evm_mine", []);
      await waitForHead(env);
    }
    async function travelTo(day: number) {
      const now = Number((await provider.send("eth_getBlockByNumber", ["latest", false])).timestamp);
      await provider.send("evm_increaseTime", [day * DAY_S + 3600 - now]);
      await provider.send("evm_mine", []);
      await settle();
    }
    const call = async (method: string, path: string, token: string, body?: unknown) =>
      await api(env.server.url, path, { method, token, ...(body !== undefined ? { body } : {}) });
    const ok = async (method: string, path: string, token: string, body?: unknown) => {
      const r = await call(method, path, token, body);
      if (r.status !== 200 && r.status !== 201) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const run = async (as = "seller4") => await ok("POST", "/api/collections/runs", t[as]!);
    const getCase = async (name: string, as = "seller4") => await ok("GET", `/api/collections/cases/${caseOf[name]}`, t[as]!);
    const levelsOf = async (name: string) => (await getCase(name)).levels.map((l: any) => [l.level, l.status]);
    const messagesOf = async (name: string) =>
      (await env.server.notifications.outbox.list({ limit: 1000 }))
        .filter((m) => m.dedupeKey.startsWith(`dunning:${ids[name]}:`))
        .map((m) => [m.dedupeKey.split(":")[2], m.status, m.cancelReason])
        .sort((a, b) => Number(a[0]) - Number(b[0]));
    async function findCases() {
      for (const as of ["seller4", "seller3"])
        for (const c of (await ok("GET", "/api/collections/worklist?limit=500", t[as]!)).items)
          for (const [name, id] of Object.entries(ids)) if (c.receivableId === id) caseOf[name] = c.id;
    }

    before(async function () {
      env = await startEnv({ database, server: { finalityDepth: FINALITY, dunningIntervalMs: 0, notifications: { dispatch: false } } });
      provider = env.provider;
      for (const [name, i] of Object.entries({ seller4: 4, seller3: 3, seller1: 1 })) t[name] = await login(env.server.url, i);
      await ok("POST", `/api/members/${S4}/staff`, t["seller4"]!, { address: addressOf(COL), name: "Grace Hall", deskRoles: ["collector"] });
      await ok("POST", `/api/members/${S4}/staff`, t["seller4"]!, { address: addressOf(CLERK), name: "Ken Clerk", deskRoles: ["arClerk"] });
      t["col"] = await login(env.server.url, COL);
      t["clerk"] = await login(env.server.url, CLERK);
      D0 = Math.floor(Number((await provider.send("eth_getBlockByNumber", ["latest", false])).timestamp) / DAY_S);

      for (const as of ["seller4", "seller3"]) await ok("PUT", "/api/collections/policies/A", t[as]!, POLICY);
      await ok("PUT", `/api/collections/customers/${B3}`, t["seller4"]!, { tier: "A", email: null, language: "zh-CN" });
      await ok("PUT", `/api/collections/customers/${B4}`, t["seller3"]!, { tier: "A", email: null, language: "en" });
      await ok("PUT", "/api/collections/assignment", t["seller4"]!, { defaultCollector: addressOf(COL), rules: [] });

      // Creditor 4 → buyer 3: H (100k, its document uploaded, a 10k credit note, 20k paid) and L (5k); creditor 3 → buyer 4: E (7k).
      await register(4, 3, k(100), D0 + 2, "H", DOCUMENT);
      await register(4, 3, k(5), D0 + 2, "L");
      await register(3, 4, k(7), D0 + 2, "E");
      const rc = await confirm(3, "H");
      confirmTx = { hash: rc.hash.toLowerCase(), block: rc.blockNumber };
      await confirm(3, "L");
      await confirm(4, "E");
      const buyer = await ledgerAs(3);
      const issued = await (await buyer.getFunction("issueCreditNote")(BigInt(ids["H"]!), k(10), keccak256(toHex("short delivery")))).wait();
      const noteId = issued.logs
        .map((l: any) => {
          try {
            return buyer.interface.parseLog(l);
          } catch {
            return null;
          }
        })
        .find((x: any) => x?.name === "CreditNoteIssued")!.args.noteId;
      await (await (await ledgerAs(4)).getFunction("acceptCreditNote")(BigInt(ids["H"]!), noteId)).wait();
      await pay(3, "H", k(20));
      await settle();
      const up = await api(env.server.url, `/api/receivables/${ids["H"]}/document`, {
        method: "POST",
        token: t["seller4"]!,
        rawBody: DOCUMENT,
        headers: { "content-type": "application/json" },
      });
      expect(up.status, JSON.stringify(up.body)).to.equal(200);

      // One day past due: the first letters are decided and delivered.
      await travelTo(D0 + 3);
      const first = await run("seller4");
      expect(first.levelsDecided).to.equal(2);
      firstRunBlock = first.finalBlock;
      expect((await run("seller3")).levelsDecided).to.equal(1);
      expect(await env.server.notifications.runOnce()).to.equal(3);
      await findCases();
      await ok("POST", `/api/collections/cases/${caseOf["H"]}/contacts`, t["col"]!, {
        channel: "call",
        outcome: "reached",
        note: "AP says the invoice is in approval",
      });
    });
    after(async () => {
      await env?.stop();
    });

    describe("letters as PDF", () => {
      const letterOf = async (as: string, name: string) =>
        (await ok("GET", "/api/letters", t[as]!)).items.find((l: any) => l.subject.endsWith(ids[name]!.slice(0, 10)));

      it("renders a zh-CN letter with the CJK font embedded and its amount and date formatted by locale", async () => {
        const l = await letterOf("seller4", "L");
        expect(l.language).to.equal("zh-CN");
        const pdf = await download(`${env.server.url}/api/letters/${l.id}/pdf`, t["seller4"]!);
        expect([pdf.status, pdf.headers.get("content-type")]).to.deep.equal([200, "application/pdf"]);
        expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString()).to.equal("%PDF-");
        const fonts = pdfFonts(pdf.bytes);
        expect(fonts.names).to.have.length(1);
        expect(fonts.names[0]).to.match(/^[A-Z]{6}\+WenQuanYiMicroHei$/);
        expect(fonts.trueType).to.equal(true);
        const { text, unmapped } = pdfText(pdf.bytes);
        expect(unmapped, "every character has a glyph in the embedded font").to.equal(0);
        const lines = text.split("\n");
        expect(lines).to.include(`催款函 1：${ids["L"]!.slice(0, 10)}`);
        expect(lines).to.include(`${zhMoney(k(5))} 已于 ${zhDate(dayDate(D0 + 2))} 到期，逾期 1 天`);
        expect(lines.some((x) => x.includes(zhDate(new Date(l.createdAt))))).to.equal(true);
        expect(text).to.include("收函方");
      });

      it("renders an en letter with its amount and date formatted by locale", async () => {
        const l = await letterOf("seller3", "E");
        expect(l.language).to.equal("en");
        const pdf = await download(`${env.server.url}/api/letters/${l.id}/pdf`, t["seller3"]!);
        expect(pdf.status).to.equal(200);
        const { text, unmapped } = pdfText(pdf.bytes);
        expect(unmapped).to.equal(0);
        const lines = text.split("\n");
        expect(lines).to.include(`Notice 1: ${ids["E"]!.slice(0, 10)}`);
        expect(lines).to.include(`${enMoney(k(7))} was due on ${enDate(dayDate(D0 + 2))}, 1 days ago`);
        expect(lines.some((x) => x.includes(enDate(new Date(l.createdAt))))).to.equal(true);
      });

      it("shows a letter's PDF to the creditor's collections people only (another creditor, a clerk: 404)", async () => {
        const l = await letterOf("seller4", "L");
        expect((await download(`${env.server.url}/api/letters/${l.id}/pdf`, t["col"]!)).status).to.equal(200);
        for (const as of ["seller3", "seller1", "clerk"])
          expect((await download(`${env.server.url}/api/letters/${l.id}/pdf`, t[as]!)).status, as).to.equal(404);
        expect((await download(`${env.server.url}/api/letters/999999/pdf`, t["seller4"]!)).status).to.equal(404);
      });
    });

    describe("hand-over", () => {
      it("hands a case over to an agency: dunning's unsent letter is cancelled and the case is marked", async () => {
        await travelTo(D0 + 12); // 10 days past due
        expect((await run()).levelsDecided).to.equal(2); // H and L at level 10, not yet delivered
        handover = await ok("POST", `/api/collections/cases/${caseOf["H"]}/handover`, t["col"]!, {
          kind: "agency",
          agency: "Huaxin Collections 华信催收",
          note: "two letters unanswered",
        });
        expect([handover.handover.kind, handover.handover.agency, handover.handover.person, handover.handover.active]).to.deep.equal([
          "agency",
          "Huaxin Collections 华信催收",
          addressOf(COL),
          true,
        ]);
        expect([handover.case.suppressed, handover.case.nextAction]).to.deep.equal(["handedOver", null]);
        expect(await messagesOf("H")).to.deep.equal([
          ["1", "sent", null],
          ["10", "cancelled", "handed over"],
        ]);
        expect(await levelsOf("H")).to.deep.equal([
          [1, "done"],
          [10, "cancelled"],
        ]);
        // L, not handed over, keeps its letter
        expect((await messagesOf("L")).map((m) => m[1])).to.deep.equal(["sent", "pending"]);
      });

      it("refuses bad input with a 4xx naming the problem and changes nothing", async () => {
        const again = await call("POST", `/api/collections/cases/${caseOf["H"]}/handover`, t["seller4"]!, { kind: "legal", agency: "King & Wood" });
        expect([again.status, again.body.error.code]).to.deep.equal([409, "already_handed_over"]);
        expect(again.body.error.message).to.match(/is already handed over \(agency Huaxin Collections/);
        const kind = await call("POST", `/api/collections/cases/${caseOf["L"]}/handover`, t["seller4"]!, { kind: "bailiff", agency: "X" });
        expect(kind.status).to.equal(400);
        expect(kind.body.error.message).to.match(/kind: must be agency or legal/);
        const noAgency = await call("POST", `/api/collections/cases/${caseOf["L"]}/handover`, t["seller4"]!, { kind: "legal" });
        expect(noAgency.status).to.equal(400);
        expect(noAgency.body.error.message).to.match(/agency/);
        const recall = await call("POST", `/api/collections/cases/${caseOf["L"]}/recall`, t["seller4"]!, {});
        expect([recall.status, recall.body.error.code]).to.deep.equal([409, "not_handed_over"]);
        const badId = await call("POST", "/api/collections/cases/nope/handover", t["seller4"]!, { kind: "legal", agency: "X" });
        expect(badId.status).to.equal(400);
        expect(badId.body.error.message).to.match(/id: must be a case id/);
        // nothing changed
        expect((await ok("GET", `/api/collections/cases/${caseOf["H"]}/handovers`, t["seller4"]!)).items).to.have.length(1);
        expect((await ok("GET", `/api/collections/cases/${caseOf["L"]}/handovers`, t["seller4"]!)).items).to.deep.equal([]);
        expect((await getCase("L")).suppressed).to.equal(null);
      });

      it("keeps hand-overs to the creditor: another creditor 404, a clerk without a collections role 403, its collector allowed", async () => {
        const id = handover.handover.id;
        for (const as of ["seller3", "seller1"]) {
          expect((await call("POST", `/api/collections/cases/${caseOf["L"]}/handover`, t[as]!, { kind: "legal", agency: "X" })).status, as).to.equal(404);
          expect((await call("POST", `/api/collections/cases/${caseOf["H"]}/recall`, t[as]!, {})).status, as).to.equal(404);
          expect((await call("GET", `/api/collections/cases/${caseOf["H"]}/handovers`, t[as]!)).status, as).to.equal(404);
          for (const part of ["pdf", "zip"])
            expect((await download(`${env.server.url}/api/collections/handovers/${id}/evidence.${part}`, t[as]!)).status).to.equal(404);
        }
        expect((await call("POST", `/api/collections/cases/${caseOf["H"]}/recall`, t["clerk"]!, {})).status).to.equal(403);
        expect((await download(`${env.server.url}/api/collections/handovers/${id}/evidence.pdf`, t["clerk"]!)).status).to.equal(403);
        expect((await download(`${env.server.url}/api/collections/handovers/${id}/evidence.zip`, t["col"]!)).status).to.equal(200);
        expect((await ok("GET", `/api/collections/cases/${caseOf["H"]}/handovers`, t["col"]!)).handedOver).to.equal(true);
      });

      it("produces an evidence PDF with the document hash, the confirmation transaction and block, the balance and the history", async () => {
        const pdf = await download(`${env.server.url}/api/collections/handovers/${handover.handover.id}/evidence.pdf`, t["seller4"]!);
        expect([pdf.status, pdf.headers.get("content-type")]).to.deep.equal([200, "application/pdf"]);
        expect(pdfFonts(pdf.bytes).names[0]).to.match(/\+WenQuanYiMicroHei$/);
        const { text, unmapped } = pdfText(pdf.bytes);
        expect(unmapped).to.equal(0);
        const lines = text.split("\n");
        expect(lines).to.include(ids["H"]);
        expect(lines).to.include(keccak256(DOCUMENT)); // the on-chain document hash
        expect(lines).to.include(confirmTx.hash);
        expect(lines.some((x) => x.startsWith(`${confirmTx.block} · `))).to.equal(true);
        // the balance: face 100k, credit notes 10k, paid 20k, outstanding 70k (= 100 − 10 − 20)
        const after = (label: string) => lines[lines.indexOf(label) + 1];
        expect([after("Face amount"), after("Credit notes"), after("Paid"), after("Outstanding")]).to.deep.equal([
          enMoney(k(100)),
          enMoney(k(10)),
          enMoney(k(20)),
          enMoney(k(70)),
        ]);
        expect(after("Agency / counsel")).to.equal("Huaxin Collections 华信催收");
        expect(after("By")).to.equal(`Grace Hall (${addressOf(COL)})`);
        // a long line wraps at a space, which stays at the end of the first part
        const unwrapped = text.replace(/\n/g, "");
        expect(unwrapped).to.include(`Grace Hall (${addressOf(COL)}) · call · reached · AP says the invoice is in approval`);
        expect(lines).to.include(
          `${dayDate(D0 + 3)
            .toISOString()
            .slice(0, 10)} · Level (days from due date) 1 · letter · done · block ${firstRunBlock}`,
        );
        expect(unwrapped).to.match(/Level \(days from due date\) 10 · letter · cancelled \(handed over\) · block \d+/);
      });

      it("packs the originals in a ZIP: the PDF, history.json and the invoice document, byte for byte", async () => {
        const id = handover.handover.id;
        const zip = await download(`${env.server.url}/api/collections/handovers/${id}/evidence.zip`, t["seller4"]!);
        expect([zip.status, zip.headers.get("content-type")]).to.deep.equal([200, "application/zip"]);
        expect(zip.headers.get("x-evidence-sha256")).to.equal(createHash("sha256").update(zip.bytes).digest("hex"));
        expect(handover.handover.evidence.zipSha256).to.equal(createHash("sha256").update(zip.bytes).digest("hex"));
        const files = unzipSync(zip.bytes);
        expect(Object.keys(files).sort()).to.deep.equal(["evidence.pdf", "history.json", "invoice-document.json"]);
        const pdf = await download(`${env.server.url}/api/collections/handovers/${id}/evidence.pdf`, t["seller4"]!);
        expect(Buffer.from(files["evidence.pdf"]!).equals(Buffer.from(pdf.bytes))).to.equal(true);
        expect(Buffer.from(files["invoice-document.json"]!).equals(Buffer.from(DOCUMENT))).to.equal(true);
        expect(keccak256(files["invoice-document.json"]!)).to.equal(keccak256(DOCUMENT));
        const h = JSON.parse(strFromU8(files["history.json"]!));
        expect(h.receivable.documentHash).to.equal(keccak256(DOCUMENT));
        expect(h.document).to.include({ contentType: "application/json", bytes: DOCUMENT.length, matchesChain: true });
        expect(h.confirmation).to.include({ tx: confirmTx.hash, block: confirmTx.block, bySignature: false });
        expect(h.balance).to.deep.equal({ face: k(100).toString(), creditNotes: k(10).toString(), paid: k(20).toString(), outstanding: k(70).toString() });
        expect(h.ledger.map((e: any) => e.name)).to.deep.equal([
          "ReceivableRegistered",
          "ReceivableConfirmed",
          "CreditNoteIssued",
          "CreditNoteAccepted",
          "ReceivablePaid",
        ]);
        expect(h.dunning.map((d: any) => [d.level, d.status, d.decidedOn])).to.deep.equal([
          [
            1,
            "done",
            dayDate(D0 + 3)
              .toISOString()
              .slice(0, 10),
          ],
          [
            10,
            "cancelled",
            dayDate(D0 + 12)
              .toISOString()
              .slice(0, 10),
          ],
        ]);
        expect(h.dunning[0].messages.map((m: any) => [m.channel, m.status, typeof m.sentAt])).to.deep.equal([["letter", "sent", "string"]]);
        expect(h.contacts.map((c: any) => [c.person, c.channel, c.outcome, c.note])).to.deep.equal([
          [{ address: addressOf(COL), name: "Grace Hall" }, "call", "reached", "AP says the invoice is in approval"],
        ]);
        expect(h.handover).to.include({ kind: "agency", agency: "Huaxin Collections 华信催收", note: "two letters unanswered" });
        expect(h.handover.person).to.deep.equal({ address: addressOf(COL), name: "Grace Hall" });
      });

      it("stops dunning over several runs while handed over (the other case goes on)", async () => {
        await travelTo(D0 + 23); // 21 days past due: levels 15 and 20 pass
        const runs = [await run(), await run(), await run()];
        expect(runs.map((s) => s.levelsDecided)).to.deep.equal([1, 0, 0]); // L's level 20 only
        expect(await levelsOf("H")).to.deep.equal([
          [1, "done"],
          [10, "cancelled"],
        ]);
        expect((await levelsOf("L")).map((l: any) => l[0])).to.deep.equal([1, 10, 20]);
        expect(await messagesOf("H")).to.have.length(2);
      });

      it("recalls: dunning resumes once from the current level, never the ones passed meanwhile", async () => {
        const r = await ok("POST", `/api/collections/cases/${caseOf["H"]}/recall`, t["col"]!, { note: "agency declined" });
        expect([r.handover.active, r.handover.recalledBy, r.handover.recallNote, r.case.suppressed]).to.deep.equal([
          false,
          addressOf(COL),
          "agency declined",
          null,
        ]);
        expect(await levelsOf("H")).to.deep.equal([
          [1, "done"],
          [10, "cancelled"],
          [20, "enqueued"],
        ]);
        const again = [await run(), await run()];
        expect(again.map((s) => [s.levelsDecided, s.messagesEnqueued])).to.deep.equal([
          [0, 0],
          [0, 0],
        ]);
        expect(await messagesOf("H")).to.deep.equal([
          ["1", "sent", null],
          ["10", "cancelled", "handed over"],
          ["20", "pending", null],
        ]);
        await env.server.notifications.runOnce();
        const letters = (await ok("GET", "/api/letters", t["seller4"]!)).items.filter((l: any) => l.subject.endsWith(ids["H"]!.slice(0, 10)));
        expect(letters.map((l: any) => l.subject.split("：")[0])).to.deep.equal(["催款函 20", "催款函 1"]);
        const twice = await call("POST", `/api/collections/cases/${caseOf["H"]}/recall`, t["col"]!, {});
        expect([twice.status, twice.body.error.code]).to.deep.equal([409, "not_handed_over"]);
      });

      it("hands over again to legal; the new pack lists the earlier hand-over and its recall", async () => {
        const h2 = await ok("POST", `/api/collections/cases/${caseOf["H"]}/handover`, t["seller4"]!, {
          kind: "legal",
          agency: "King & Wood",
          language: "zh-CN",
        });
        const files = unzipSync((await download(`${env.server.url}/api/collections/handovers/${h2.handover.id}/evidence.zip`, t["seller4"]!)).bytes);
        const h = JSON.parse(strFromU8(files["history.json"]!));
        expect(h.earlierHandovers.map((e: any) => [e.kind, e.agency, e.person.address, e.recalledBy.address])).to.deep.equal([
          ["agency", "Huaxin Collections 华信催收", addressOf(COL), addressOf(COL)],
        ]);
        const { text, unmapped } = pdfText(files["evidence.pdf"]!);
        expect(unmapped).to.equal(0);
        const lines = text.split("\n");
        expect(lines).to.include("证据材料：移交法务");
        expect(lines[lines.indexOf("未付余额") + 1]).to.equal(zhMoney(k(70)));
        const list = await ok("GET", `/api/collections/cases/${caseOf["H"]}/handovers`, t["seller4"]!);
        expect(list.items.map((x: any) => [x.kind, x.active])).to.deep.equal([
          ["agency", false],
          ["legal", true],
        ]);
      });
    });
  });
}
