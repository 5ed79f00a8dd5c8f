// Export of the AR reports to CSV and XLSX (issue 11): the encoders on their own (RFC 4180 quoting, formula
// guard, exact amounts, the row cap), then end to end on a real chain, database and HTTP server — a small
// hand-computed ledger (a partial payment, a transfer, an amount above 2^53) and ~2,000 overdue receivables,
// every report in both formats checked against its JSON report by an independent CSV parser and by exceljs
// reading the workbook back (cell types and values); Chinese headers; bad input, no session, another's scope.
import { expect } from "chai";
import ExcelJS from "exceljs";
import { Contract, type JsonRpcProvider } from "ethers";
import { keccak256, toHex } from "viem";
import { receivableLedgerAbi, settlementTokenAbi } from "../../deployments/contracts.ts";
import { startServer } from "../../server/main.ts";
import { csvLines, pagedRows, amountCell, contentDisposition, type Table } from "../../server/reports/export.ts";
import { EXPORT_CATALOGS } from "../../server/reports/export-labels.ts";
import { startEnv, api, login, addressOf, waitForHead, registerMany, DATABASES, type TestEnv } from "./helpers.ts";

const DAY_S = 86_400;
const U = 1_000_000n;
const k = (n: number) => BigInt(n) * 1_000n * U;
const HUGE = 2n ** 53n + 7n; // not exactly representable as a double
const iso = (day: number) => new Date(day * DAY_S * 1000).toISOString().slice(0, 10);

/** An independent RFC 4180 parser: quoted fields with doubled quotes, CRLF records; refuses a bare LF or CR. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  let fieldStart = true;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') (field += '"'), (i += 2);
        else (quoted = false), i++;
      } else (field += ch), i++;
      continue;
    }
    if (ch === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
      i++;
    } else if (ch === ",") {
      row.push(field);
      field = "";
      fieldStart = true;
      i++;
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      fieldStart = true;
      i += 2;
    } else if (ch === "\r" || ch === "\n" || ch === '"') {
      throw new Error(`not RFC 4180: bare ${JSON.stringify(ch)} at ${i}`);
    } else {
      field += ch;
      fieldStart = false;
      i++;
    }
  }
  if (field !== "" || row.length) throw new Error("not RFC 4180: the last record does not end with CRLF");
  return rows;
}

// The labels as a reader expects them (written here, not taken from the catalog).
const BUCKET_EN: Record<string, string> = {
  "not-due": "Not due",
  "1-30": "1–30 days",
  "31-60": "31–60 days",
  "61-90": "61–90 days",
  "91-120": "91–120 days",
  "over-120": "Over 120 days",
};
const BUCKET_ZH: Record<string, string> = {
  "not-due": "未到期",
  "1-30": "逾期 1–30 天",
  "31-60": "逾期 31–60 天",
  "61-90": "逾期 61–90 天",
  "91-120": "逾期 91–120 天",
  "over-120": "逾期 120 天以上",
};
const STATUS_ZH: Record<string, string> = { Confirmed: "已确权", Registered: "已登记", Disputed: "有争议", Defaulted: "已违约" };
const ITEM_HEADERS = [
  "Receivable",
  "Seller",
  "Buyer",
  "Holder",
  "Status",
  "Face amount",
  "Outstanding",
  "Issue date",
  "Due date",
  "Days past due",
  "Bucket",
  "Split from",
];
const ITEM_HEADERS_ZH = [
  "应收账款编号",
  "供应商",
  "买方（债务人）",
  "持有方",
  "状态",
  "票面金额",
  "未结余额",
  "开票日期",
  "到期日",
  "逾期天数",
  "账龄区间",
  "拆分自",
];

/** An item of the JSON report as the CSV row it must be (English labels). */
const itemRow = (i: any, bucket = BUCKET_EN, status: Record<string, string> = {}) => [
  i.id,
  i.seller,
  i.buyer,
  i.holder,
  status[i.status] ?? i.status,
  i.faceAmount,
  i.outstanding,
  i.issueDate.slice(0, 10),
  i.dueDate.slice(0, 10),
  String(i.daysPastDue),
  bucket[i.bucket],
  i.parentId ?? "",
];
const num = (x: number | null) => (x === null ? "" : String(x));
/** A period of the JSON KPIs as the CSV row it must be. */
const periodRow = (p: any) => [
  p.period.label,
  p.period.from,
  p.period.to,
  p.period.monthBasis,
  String(p.period.days),
  p.period.complete ? "yes" : "no",
  String(p.openingBlock),
  String(p.closingBlock),
  p.closingDate,
  p.openingAr,
  p.closingAr,
  String(p.closingCount),
  p.currentAr,
  p.pastDueAr,
  String(p.pastDueCount),
  p.atRiskAr,
  String(p.atRiskCount),
  p.creditSales,
  p.cashApplied,
  num(p.dsoSimple),
  String(p.dsoCountback),
  p.countbackExhausted ? "yes" : "no",
  num(p.bpdso),
  num(p.add),
  num(p.cei),
  num(p.collectionRate),
  num(p.overdueRatio.amount),
  num(p.overdueRatio.count),
  num(p.atRiskRate.amount),
  num(p.atRiskRate.count),
];

describe("report export: encoders (pure)", () => {
  const c = EXPORT_CATALOGS.en;
  const lines = async (t: Table) => {
    let out = "";
    for await (const l of csvLines(t, c)) out += l;
    return out;
  };
  const drain = async <T>(rows: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const r of rows) out.push(r);
    return out;
  };

  it("writes RFC 4180 fields: quotes doubled, commas, quotes and line breaks quoted, CRLF records", async () => {
    const t: Table = {
      sheet: "s",
      columns: [
        { header: "a,b", kind: "text" },
        { header: "n", kind: "int" },
      ],
      rows: [
        ['say "hi"', 1],
        ["two\r\nlines", 2],
        ["plain", 3],
      ],
    };
    const text = await lines(t);
    expect(text).to.equal('"a,b",n\r\n"say ""hi""",1\r\n"two\r\nlines",2\r\nplain,3\r\n');
    expect(parseCsv(text)).to.deep.equal([
      ["a,b", "n"],
      ['say "hi"', "1"],
      ["two\r\nlines", "2"],
      ["plain", "3"],
    ]);
  });

  it("guards text that a spreadsheet would take for a formula, and never numbers", async () => {
    const t: Table = {
      sheet: "s",
      columns: [
        { header: "t", kind: "text" },
        { header: "x", kind: "decimal" },
        { header: "amount", kind: "amount" },
      ],
      rows: [
        ['=HYPERLINK("http://x")', -12.5, 5n],
        ["+1", -0.0001, 0n],
        ["-2", null, HUGE],
        ["@SUM(A1)", 3, 1n],
        ["\tcmd", 1, 1n],
        ["\rcmd", 1, 1n],
        ["0x12", 1, 1n],
        ["a=b", 1, 1n],
      ],
    };
    const rows = parseCsv(await lines(t)).slice(1);
    expect(rows.map((r) => r[0])).to.deep.equal(['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "'\tcmd", "'\rcmd", "0x12", "a=b"]);
    expect(rows.map((r) => r[1])).to.deep.equal(["-12.5", "-0.0001", "", "3", "1", "1", "1", "1"]);
    expect(rows[2]![2]).to.equal("9007199254740999"); // 2^53 + 7 exactly, no float
  });

  it("writes amounts as numbers only when a double holds them exactly", () => {
    expect(amountCell(9_007_199_254_740_991n)).to.equal(9_007_199_254_740_991);
    expect(amountCell(9_007_199_254_740_992n)).to.equal("9007199254740992");
    expect(amountCell(HUGE)).to.equal("9007199254740999");
  });

  it("names the file after the report, the block and the date: ASCII filename and RFC 5987 filename*", () => {
    const asOf = { block: { number: 1234, hash: "0xab", final: true }, blockTime: "2026-12-03T10:00:00.000Z", reportDate: "2026-12-03", indexedHead: 1240 };
    expect(contentDisposition({ report: "overdue", lang: "en", asOf }, "csv")).to.equal(
      `attachment; filename="ar-overdue_block-1234_2026-12-03.csv"; filename*=UTF-8''ar-overdue_block-1234_2026-12-03.csv`,
    );
    const zh = contentDisposition({ report: "overdue", lang: "zh-CN", asOf }, "xlsx");
    expect(zh).to.match(/^attachment; filename="ar-overdue_block-1234_2026-12-03\.xlsx"; filename\*=UTF-8''[\x21-\x7e]+$/);
    expect(decodeURIComponent(zh.split("UTF-8''")[1]!)).to.equal("逾期账款登记台账_区块-1234_2026-12-03.xlsx");
  });

  it("collects every page at the first page's block, refuses more than 100,000 rows, and a reorganised block", async () => {
    const asOf = (hash = "0xaa") => ({ block: { number: 77, hash, final: false }, blockTime: "", reportDate: "2026-12-03", indexedHead: 80 });
    const calls: any[] = [];
    const fake = (total: number, hashAt?: number) => async (p: { limit: number; offset: number; pinned?: any }) => {
      calls.push(p);
      const n = Math.max(0, Math.min(p.limit, total - p.offset));
      return { asOf: asOf(hashAt !== undefined && p.offset >= hashAt ? "0xbb" : "0xaa"), total, items: Array.from({ length: n }, (_, i) => p.offset + i) };
    };
    const rowsOf = (x: { total: number; items: number[] }) => ({ total: x.total, rows: x.items });
    const all = await pagedRows(fake(100_000), rowsOf);
    expect(all.total).to.equal(100_000);
    expect(calls).to.have.length(1); // the next pages are read while the file is written
    const rows = await drain(all.rows);
    expect(rows).to.have.length(100_000);
    expect(rows.every((r, i) => r === i)).to.equal(true);
    expect(calls).to.have.length(10);
    expect(calls[0].pinned).to.equal(undefined);
    expect(calls[1].pinned).to.deep.equal({ block: 77, reportDay: Math.floor(Date.parse("2026-12-03T00:00:00Z") / 86_400_000) });
    calls.length = 0;
    let err: any = await pagedRows(fake(100_001), rowsOf).catch((e) => e);
    expect(err.status).to.equal(400);
    expect(err.code).to.equal("export_too_large");
    expect(err.message).to.match(/at most 100,000 rows; this report has 100,001/);
    expect(calls).to.have.length(1); // refused before reading past the first page
    const moved = await pagedRows(fake(25_000, 20_000), rowsOf);
    err = await drain(moved.rows).catch((e) => e);
    expect(err.status).to.equal(409);
    expect(err.message).to.match(/reorganised during the export: block 77/);
  });
});

// ───────────────────────────────────────────────────────────── end to end ──

for (const database of DATABASES) {
  describe(`report export: end to end (${database})`, function () {
    let env: TestEnv;
    let auditor: string;
    let fin5: string;
    let fin6: string;
    let seller4: string;
    const S4 = addressOf(4);
    const S1 = addressOf(1);
    const F5 = addressOf(5);
    const ids: Record<string, string> = {};
    let N: number; // the chain day of the hand-computed ledger

    before(async () => {
      env = await startEnv({ database, server: { finalityDepth: 12 } });
      const provider: JsonRpcProvider = env.provider;
      const ledgerAs = async (i: number) => new Contract(env.deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, await provider.getSigner(i));
      const chainDay = async () => Math.floor(Number((await provider.send("eth_getBlockByNumber", ["latest", false])).timestamp) / DAY_S);
      const travel = async (days: number) => {
        await provider.send("evm_increaseTime", [days * DAY_S]);
        await provider.send("evm_mine", []);
      };
      // ~2,000 receivables of seller 1, all overdue after 100 days (due 30..89 days after registration)
      await registerMany(provider, env.deployment, { count: 2_000, perTx: 50, sellerIndex: 1, buyerIndex: 3, tag: "export-bulk" });
      await travel(100);
      // the hand-computed ledger of seller 4 → buyer 3
      const D0 = await chainDay();
      let seq = 0;
      const register = async (name: string, amount: bigint, issue: number, due: number) => {
        const fingerprint = keccak256(toHex(`export:${name}:${++seq}`));
        await (
          await (await ledgerAs(4)).getFunction("register")({
            fingerprint,
            documentHash: keccak256(toHex(`doc:${name}`)),
            buyer: addressOf(3),
            amount,
            currency: "0x555344",
            issueDate: (D0 + issue) * DAY_S + 12 * 3600,
            dueDate: (D0 + due) * DAY_S + 12 * 3600,
            terms: { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 },
          })
        ).wait();
        ids[name] = fingerprint.toLowerCase();
        return BigInt(fingerprint);
      };
      const A = await register("A", k(100), -10, 5);
      const B = await register("B", k(50), -5, 20);
      await register("C", k(80), -3, 200);
      const D = await register("D", HUGE, -2, 10);
      for (const id of [A, B, D]) await (await (await ledgerAs(3)).getFunction("confirm")(id)).wait();
      const token = new Contract(env.deployment.contracts.SettlementToken, settlementTokenAbi as any, await provider.getSigner(3));
      await (await token.getFunction("approve")(env.deployment.contracts.ReceivableLedger, k(40))).wait();
      await (await (await ledgerAs(3)).getFunction("pay")(A, k(40))).wait(); // A: 60k outstanding
      await (await (await ledgerAs(4)).getFunction("transfer")(D, F5)).wait(); // D held by financier 5
      await travel(35);
      N = await chainDay();
      await waitForHead(env);
      [auditor, fin5, fin6, seller4] = await Promise.all([
        login(env.server.url, 7),
        login(env.server.url, 5),
        login(env.server.url, 6),
        login(env.server.url, 4),
      ]);
    });
    after(async () => env?.stop());

    const json = async (path: string, token = auditor) => {
      const r = await api(env.server.url, path, { token });
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    /** GET an export: status, headers and the raw bytes. */
    const file = async (path: string, token: string | null = auditor) => {
      const res = await fetch(env.server.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
    };
    const csv = async (path: string, token = auditor) => {
      const f = await file(path, token);
      expect(f.status, `${path}: ${f.bytes.toString()}`).to.equal(200);
      expect(f.headers.get("content-type")).to.equal("text/csv; charset=utf-8; header=present");
      expect([...f.bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]); // UTF-8 BOM
      return { ...f, rows: parseCsv(f.bytes.subarray(3).toString("utf8")) };
    };
    const xlsx = async (path: string, token = auditor) => {
      const f = await file(path, token);
      expect(f.status, `${path}: ${f.bytes.toString()}`).to.equal(200);
      expect(f.headers.get("content-type")).to.equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(f.bytes as any);
      return { ...f, wb };
    };
    /** A sheet's rows as [type, value] cells (1-based columns dropped). */
    const cells = (ws: ExcelJS.Worksheet) => {
      const out: { type: ExcelJS.ValueType; value: ExcelJS.CellValue; numFmt: string }[][] = [];
      ws.eachRow({ includeEmpty: true }, (row) => {
        const r: { type: ExcelJS.ValueType; value: ExcelJS.CellValue; numFmt: string }[] = [];
        for (let i = 1; i <= ws.columnCount; i++) {
          const cell = row.getCell(i);
          r.push({ type: cell.type, value: cell.value, numFmt: cell.numFmt });
        }
        out.push(r);
      });
      return out;
    };
    const T = ExcelJS.ValueType;
    /** The as-of sheet says what the workbook is as of. */
    const expectAsOfSheet = (wb: ExcelJS.Workbook, asOf: any, title: string) => {
      const ws = wb.worksheets[0]!;
      const byCaption = new Map<string, ExcelJS.Cell>();
      ws.eachRow((row) => void byCaption.set(String(row.getCell(1).value), row.getCell(2)));
      expect(byCaption.get("Report")!.value).to.equal(title);
      expect(byCaption.get("As of block")!.type).to.equal(T.Number);
      expect(byCaption.get("As of block")!.value).to.equal(asOf.block.number);
      expect(byCaption.get("Block hash")!.value).to.equal(asOf.block.hash);
      expect(byCaption.get("Report date")!.type).to.equal(T.Date);
      expect((byCaption.get("Report date")!.value as Date).toISOString().slice(0, 10)).to.equal(asOf.reportDate);
      expect((byCaption.get("Block time (UTC)")!.value as Date).toISOString()).to.equal(asOf.blockTime);
      expect(ws.headerFooter.oddHeader).to.include(`${asOf.block.number} (${asOf.block.hash})`);
    };
    const header = (ws: ExcelJS.Worksheet) => {
      expect(ws.views[0]).to.include({ state: "frozen", ySplit: 1 });
      expect(ws.getRow(1).getCell(1).font?.bold).to.equal(true);
      return (ws.getRow(1).values as any[]).slice(1);
    };

    it("exports the aging grouped by holder: CSV rows and XLSX sheets equal the JSON report, amounts exact", async () => {
      const q = `seller=${S4}&groupBy=holder`;
      const rep = await json(`/api/reports/aging?${q}`);
      // hand check: open A 60k (30 days past due), B 50k (15), D 2^53+7 (25) → 1-30; C 80k not due
      expect(rep.openBalance).to.equal((k(190) + HUGE).toString());
      expect(rep.groups.map((g: any) => g.party)).to.deep.equal([F5, S4]);

      const c = await csv(`/api/reports/export/aging.csv?${q}`);
      expect(c.headers.get("content-disposition")).to.equal(
        `attachment; filename="ar-aging_block-${rep.asOf.block.number}_${iso(N)}.csv"; filename*=UTF-8''ar-aging_block-${rep.asOf.block.number}_${iso(N)}.csv`,
      );
      expect(c.headers.get("x-report-block-hash")).to.equal(rep.asOf.block.hash);
      const buckets = ["not-due", "1-30", "31-60", "61-90", "91-120", "over-120"];
      expect(c.rows[0]).to.deep.equal([
        "Holder",
        "Open count",
        "Open balance",
        ...buckets.flatMap((b) => [`${BUCKET_EN[b]} (count)`, `${BUCKET_EN[b]} (amount)`]),
      ]);
      const wide = (party: string, g: any) => [
        party,
        String(g.openCount),
        g.openBalance,
        ...buckets.flatMap((b) => {
          const x = g.buckets.find((y: any) => y.bucket === b);
          return [String(x.count), x.amount];
        }),
      ];
      expect(c.rows.slice(1)).to.deep.equal([...rep.groups.map((g: any) => wide(g.party, g)), wide("Total", rep)]);
      expect(c.rows[1]).to.deep.equal([F5, "1", HUGE.toString(), "0", "0", "1", HUGE.toString(), "0", "0", "0", "0", "0", "0", "0", "0"]);

      const x = await xlsx(`/api/reports/export/aging.xlsx?${q}`);
      expect(x.wb.worksheets.map((w) => w.name)).to.deep.equal(["As of", "Aging", "By party"]);
      expectAsOfSheet(x.wb, rep.asOf, "AR aging");
      const totals = x.wb.getWorksheet("Aging")!;
      expect(header(totals)).to.deep.equal(["Bucket", "Count", "Amount"]);
      const t = cells(totals).slice(1);
      expect(t.map((r) => r[0]!.value)).to.deep.equal([...buckets.map((b) => BUCKET_EN[b]), "Total"]);
      expect(t.map((r) => r[1]!.type)).to.deep.equal(Array(7).fill(T.Number));
      // not due 80k: a number; 1-30 holds 2^53+7: exact text; the total too
      expect(t[0]![2]).to.deep.include({ type: T.Number, value: Number(k(80)), numFmt: "0" });
      expect(t[1]![2]).to.deep.include({ type: T.String, value: (k(110) + HUGE).toString() });
      expect(t[6]![2]).to.deep.include({ type: T.String, value: rep.openBalance });
      expect(t.map((r) => String(r[2]!.value))).to.deep.equal([...rep.buckets.map((b: any) => b.amount), rep.openBalance]);
      const g = cells(x.wb.getWorksheet("By party")!).slice(1);
      expect(g.map((r) => r.map((cell) => String(cell.value)))).to.deep.equal(c.rows.slice(1));
      expect(g[1]![2]).to.deep.include({ type: T.Number, value: Number(k(190)) }); // seller 4 holds A, B, C: 190k
    });

    it("exports the overdue ledger and a bucket's drill-down: rows, dates as date cells, numbers as numbers", async () => {
      const rep = await json(`/api/reports/overdue?seller=${S4}&sort=-outstanding`);
      expect(rep.items.map((i: any) => [i.id, i.daysPastDue])).to.deep.equal([
        [ids["D"], 25],
        [ids["A"], 30],
        [ids["B"], 15],
      ]);
      const c = await csv(`/api/reports/export/overdue.csv?seller=${S4}&sort=-outstanding`);
      expect(c.rows[0]).to.deep.equal(ITEM_HEADERS);
      expect(c.rows.slice(1)).to.deep.equal(rep.items.map((i: any) => itemRow(i)));
      expect(c.rows[2]!.slice(4, 11)).to.deep.equal(["Confirmed", k(100).toString(), k(60).toString(), iso(N - 45), iso(N - 30), "30", "1–30 days"]);

      const x = await xlsx(`/api/reports/export/overdue.xlsx?seller=${S4}&sort=-outstanding`);
      expect(x.wb.worksheets.map((w) => w.name)).to.deep.equal(["As of", "Receivables"]);
      expectAsOfSheet(x.wb, rep.asOf, "Overdue ledger");
      const ws = x.wb.getWorksheet("Receivables")!;
      expect(header(ws)).to.deep.equal(ITEM_HEADERS);
      const rows = cells(ws).slice(1);
      expect(rows.map((r) => r.map((cell) => cell.type))).to.deep.equal(
        rep.items.map((i: any) => [
          T.String,
          T.String,
          T.String,
          T.String,
          T.String,
          i.faceAmount === HUGE.toString() ? T.String : T.Number,
          i.outstanding === HUGE.toString() ? T.String : T.Number,
          T.Date,
          T.Date,
          T.Number,
          T.String,
          T.Null,
        ]),
      );
      for (const [n, i] of rep.items.entries()) {
        const r = rows[n]!;
        expect(r[0]!.value).to.equal(i.id);
        expect(String(r[6]!.value)).to.equal(i.outstanding);
        expect((r[7]!.value as Date).toISOString()).to.equal(i.issueDate.slice(0, 10) + "T00:00:00.000Z");
        expect((r[8]!.value as Date).toISOString()).to.equal(i.dueDate.slice(0, 10) + "T00:00:00.000Z");
        expect(r[8]!.numFmt).to.equal("yyyy-mm-dd");
        expect(r[9]!.value).to.equal(i.daysPastDue);
      }

      const items = await json(`/api/reports/aging/items?seller=${S4}&bucket=1-30`);
      const ci = await csv(`/api/reports/export/aging-items.csv?seller=${S4}&bucket=1-30`);
      expect(ci.rows.slice(1)).to.deep.equal(items.items.map((i: any) => itemRow(i)));
      expect(ci.rows.length - 1).to.equal(3);
      const xi = await xlsx(`/api/reports/export/aging-items.xlsx?seller=${S4}&bucket=not-due`);
      const nd = cells(xi.wb.getWorksheet("Receivables")!).slice(1);
      expect(nd.map((r) => [r[0]!.value, r[6]!.value, r[10]!.value])).to.deep.equal([[ids["C"], Number(k(80)), "Not due"]]);
    });

    it("exports the KPIs (one row) and the monthly series (a row per month) equal to the JSON, ratios as numbers", async () => {
      const from = iso(N - 45);
      const to = iso(N);
      const q = `seller=${S4}&from=${from}&to=${to}&monthBasis=30`;
      const kp = await json(`/api/reports/kpis?${q}`);
      // hand check: sales 100k + 50k + 80k + (2^53+7), cash 40k
      expect(kp.creditSales).to.equal((k(230) + HUGE).toString());
      expect(kp.cashApplied).to.equal(k(40).toString());
      const c = await csv(`/api/reports/export/kpis.csv?${q}`);
      expect(c.rows).to.have.length(2);
      expect(c.rows[0]!.slice(0, 3)).to.deep.equal(["Period", "From", "To"]);
      expect(c.rows[1]).to.deep.equal(periodRow(kp));
      const x = await xlsx(`/api/reports/export/kpis.xlsx?${q}`);
      expect(x.wb.worksheets.map((w) => w.name)).to.deep.equal(["As of", "KPIs"]);
      const ws = x.wb.getWorksheet("KPIs")!;
      const hdr = header(ws);
      const [row] = cells(ws).slice(1);
      const at = (h: string) => row![hdr.indexOf(h)]!;
      expect(at("From")).to.deep.include({ type: T.Date });
      expect((at("From").value as Date).toISOString().slice(0, 10)).to.equal(from);
      expect(at("Days")).to.deep.include({ type: T.Number, value: kp.period.days });
      expect(at("Cash applied")).to.deep.include({ type: T.Number, value: Number(k(40)) });
      expect(at("Credit sales")).to.deep.include({ type: T.String, value: kp.creditSales });
      expect(at("CEI (%)")).to.deep.include({ type: kp.cei === null ? T.Null : T.Number, value: kp.cei });
      expect(at("Collection rate (%)")).to.deep.include({ type: T.Number, value: kp.collectionRate });
      expect(at("Overdue ratio by count (%)")).to.deep.include({ type: T.Number, value: kp.overdueRatio.count });
      expect(at("Complete")).to.deep.include({ type: T.Boolean, value: kp.period.complete });

      const s = await json(`/api/reports/kpis/series?seller=${S4}&months=3`);
      const cs = await csv(`/api/reports/export/series.csv?seller=${S4}&months=3`);
      expect(cs.rows.slice(1)).to.deep.equal(s.months.map(periodRow));
      const xs = await xlsx(`/api/reports/export/series.xlsx?seller=${S4}&months=3`);
      const sr = cells(xs.wb.getWorksheet("By month")!).slice(1);
      expect(sr.map((r) => r[0]!.value)).to.deep.equal(s.months.map((m: any) => m.period.label));
      expect(sr.map((r) => r[10]!.type)).to.deep.equal(s.months.map((m: any) => (BigInt(m.closingAr) > BigInt(Number.MAX_SAFE_INTEGER) ? T.String : T.Number)));
      expect(sr.map((r) => String(r[10]!.value))).to.deep.equal(s.months.map((m: any) => m.closingAr));
    });

    it("writes Chinese headers, labels, sheet names and file name with lang=zh-CN", async () => {
      const rep = await json(`/api/reports/overdue?seller=${S4}`);
      const c = await csv(`/api/reports/export/overdue.csv?seller=${S4}&lang=zh-CN`);
      expect(c.rows[0]).to.deep.equal(ITEM_HEADERS_ZH);
      expect(c.rows.slice(1)).to.deep.equal(rep.items.map((i: any) => itemRow(i, BUCKET_ZH, STATUS_ZH)));
      expect(c.rows[1]![4]).to.equal("已确权");
      const name = decodeURIComponent(c.headers.get("content-disposition")!.split("UTF-8''")[1]!);
      expect(name).to.equal(`逾期账款登记台账_区块-${rep.asOf.block.number}_${iso(N)}.csv`);
      const x = await xlsx(`/api/reports/export/aging.xlsx?seller=${S4}&groupBy=buyer&lang=zh-CN`);
      expect(x.wb.worksheets.map((w) => w.name)).to.deep.equal(["数据时点", "账龄", "按交易方"]);
      expect((x.wb.worksheets[0]!.getRow(1).values as any[]).slice(1)).to.deep.equal(["报表", "应收账龄"]);
      expect(header(x.wb.getWorksheet("账龄")!)).to.deep.equal(["账龄区间", "笔数", "金额"]);
      expect(
        cells(x.wb.getWorksheet("账龄")!)
          .slice(1)
          .map((r) => r[0]!.value),
      ).to.deep.equal([...Object.values(BUCKET_ZH), "合计"]);
      expect(header(x.wb.getWorksheet("按交易方")!).slice(0, 3)).to.deep.equal(["买方（债务人）", "未结笔数", "未结余额"]);
      // no English left in the Chinese headers (ASCII letters only in the acronyms)
      const k2 = await csv(`/api/reports/export/kpis.csv?seller=${S4}&lang=zh-CN`);
      for (const h of k2.rows[0]!) expect(h.replace(/DSO|BPDSO|ADD|CEI/g, ""), h).to.not.match(/[A-Za-z]/);
    });

    it("refuses a bad query with the report route's own 400, no session with 401, another party's scope with 404", async () => {
      const cases: [string, string, RegExp][] = [
        [`/api/reports/export/aging.csv?groupBy=planet`, `/api/reports/aging?groupBy=planet`, /groupBy/],
        [`/api/reports/export/aging-items.xlsx?bucket=1-45`, `/api/reports/aging/items?bucket=1-45`, /bucket/],
        [`/api/reports/export/overdue.csv?sort=name`, `/api/reports/overdue?sort=name`, /sort/],
        [
          `/api/reports/export/kpis.csv?from=2026-11-30&to=2026-11-01`,
          `/api/reports/kpis?from=2026-11-30&to=2026-11-01`,
          /to: the period ends \(2026-11-01\) before it starts/,
        ],
        [`/api/reports/export/series.xlsx?months=25`, `/api/reports/kpis/series?months=25`, /months/],
        [`/api/reports/export/aging.csv?asOfDate=2026-02-30`, `/api/reports/aging?asOfDate=2026-02-30`, /asOfDate: is not a real calendar date/],
        [
          `/api/reports/export/overdue.csv?seller=0x000000000000000000000000000000000000dEaD`,
          `/api/reports/overdue?seller=0x000000000000000000000000000000000000dEaD`,
          /seller: 0x0+dead is not a member/,
        ],
      ];
      for (const [path, reportPath, message] of cases) {
        const r = await api(env.server.url, path, { token: auditor });
        const same = await api(env.server.url, reportPath, { token: auditor });
        expect(r.status, path).to.equal(400);
        expect(r.body.error.message, path).to.match(message);
        expect(r.body.error.message, path).to.equal(same.body.error.message);
      }
      const more: [string, RegExp][] = [
        [`/api/reports/export/overdue.csv?limit=5`, /unknown field "limit"/],
        [`/api/reports/export/aging.csv?offset=5`, /unknown field "offset"/],
        [`/api/reports/export/overdue.csv?lang=fr`, /lang/],
        [`/api/reports/export/overdue.pdf`, /format/],
      ];
      for (const [path, message] of more) {
        const r = await api(env.server.url, path, { token: auditor });
        expect(r.status, path).to.equal(400);
        expect(r.body.error.message, path).to.match(message);
      }
      expect((await file(`/api/reports/export/aging.csv`, null)).status).to.equal(401);
      expect((await file(`/api/reports/export/kpis.xlsx`, null)).status).to.equal(401);
      // financier 6 sees none of seller 4's receivables: 404 like the report; financier 5 only what it holds
      for (const path of [
        `/api/reports/export/overdue.csv?seller=${S4}`,
        `/api/reports/export/aging.xlsx?seller=${S4}`,
        `/api/reports/export/kpis.csv?seller=${S4}`,
      ]) {
        const r = await api(env.server.url, path, { token: fin6 });
        expect(r.status, path).to.equal(404);
        expect(r.body.error.message).to.match(/seller: no receivables of/);
      }
      const own = await csv(`/api/reports/export/overdue.csv`, fin5);
      expect(own.rows.slice(1).map((r) => r[0])).to.deep.equal([ids["D"]]);
      const mine = await csv(`/api/reports/export/overdue.csv?seller=${S4}`, seller4);
      expect(mine.rows).to.have.length(4);
    });

    it("exports ~2,000 overdue rows (every page, one block) and refuses more than the configured cap", async function () {
      // the JSON ledger in pages of 500
      const first = await json(`/api/reports/overdue?seller=${S1}&limit=500`);
      const items = [...first.items];
      while (items.length < first.total)
        items.push(...(await json(`/api/reports/overdue?seller=${S1}&limit=500&offset=${items.length}&asOfBlock=${first.asOf.block.number}`)).items);
      expect(first.total).to.be.at.least(2_000);
      let t0 = performance.now();
      const c = await csv(`/api/reports/export/overdue.csv?seller=${S1}&asOfBlock=${first.asOf.block.number}`);
      const csvMs = performance.now() - t0;
      expect(c.rows.length - 1).to.equal(first.total);
      expect(c.rows.slice(1)).to.deep.equal(items.map((i: any) => itemRow(i)));
      t0 = performance.now();
      const x = await xlsx(`/api/reports/export/overdue.xlsx?seller=${S1}&asOfBlock=${first.asOf.block.number}`);
      const xlsxMs = performance.now() - t0;
      const rows = cells(x.wb.getWorksheet("Receivables")!).slice(1);
      expect(rows.map((r) => [r[0]!.value, r[6]!.value, (r[8]!.value as Date).toISOString().slice(0, 10), r[9]!.value])).to.deep.equal(
        items.map((i: any) => [i.id, Number(i.outstanding), i.dueDate.slice(0, 10), i.daysPastDue]),
      );
      console.log(
        `      export of ${first.total} overdue rows (${database}): CSV ${csvMs.toFixed(0)} ms (${c.bytes.length} bytes), XLSX ${xlsxMs.toFixed(0)} ms (${x.bytes.length} bytes), including download and parse`,
      );

      // an API process on the same database with a cap of 1,000 rows, reading 150 rows per service call
      const capped = await startServer({
        databaseUrl: env.db.url,
        rpcUrl: env.chain.rpcUrl,
        deployment: env.deployment as any,
        port: 0,
        pollIntervalMs: 50,
        finalityDepth: 12,
        role: "api",
        reportExportMaxRows: 1_000,
        reportExportPageRows: 150,
        log: () => {},
      });
      try {
        const token = await login(capped.url, 7);
        const r = await api(capped.url, `/api/reports/export/overdue.xlsx?seller=${S1}`, { token });
        expect(r.status).to.equal(400);
        expect(r.body.error.code).to.equal("export_too_large");
        expect(r.body.error.message).to.match(new RegExp(`at most 1,000 rows; this report has ${first.total.toLocaleString("en")}`));
        // 31-60 days past due: the bulk rows due 46..60 days ago (~500), exported in pages of 150 at one block
        const bucket = await json(`/api/reports/aging/items?seller=${S1}&bucket=31-60&limit=500`);
        while (bucket.items.length < bucket.total)
          bucket.items.push(...(await json(`/api/reports/aging/items?seller=${S1}&bucket=31-60&limit=500&offset=${bucket.items.length}`)).items);
        expect(bucket.total).to.be.within(400, 600);
        const paged = await fetch(`${capped.url}/api/reports/export/aging-items.csv?seller=${S1}&bucket=31-60`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(paged.status).to.equal(200);
        const pagedRowsRead = parseCsv(
          Buffer.from(await paged.arrayBuffer())
            .subarray(3)
            .toString("utf8"),
        ).slice(1);
        expect(pagedRowsRead).to.deep.equal(bucket.items.map((i: any) => itemRow(i)));
      } finally {
        await capped.close();
      }
    });
  });
}
