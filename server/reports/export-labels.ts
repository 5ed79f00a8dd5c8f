// The reports' export headers and labels in English and Chinese (issue 11): column headers, aging buckets,
// receivable statuses, sheet names and the as-of sheet's captions. The server's own small catalog (the client's
// i18next catalogs are the browser's); the Chinese terms follow client/src/i18n/zh-CN.ts where it has them.
import type { ReceivableStatus } from "../../common/lifecycle.ts";
import type { BucketName } from "./service.ts";

export const EXPORT_LANGS = ["en", "zh-CN"] as const;
export type ExportLang = (typeof EXPORT_LANGS)[number];

export interface ExportCatalog {
  report: Record<"aging" | "aging-items" | "overdue" | "kpis" | "series", string>;
  sheet: { asOf: string; totals: string; groups: string; items: string; kpis: string; series: string };
  bucket: Record<BucketName, string>;
  status: Record<ReceivableStatus, string>;
  groupBy: Record<"none" | "buyer" | "seller" | "holder", string>;
  yes: string;
  no: string;
  total: string;
  count: string;
  amount: string;
  /** The as-of sheet: captions of its rows. */
  about: {
    report: string;
    block: string;
    blockHash: string;
    final: string;
    blockTime: string;
    reportDate: string;
    indexedHead: string;
    filters: string;
    generatedAt: string;
    amounts: string;
    amountsNote: string;
  };
  col: {
    bucket: string;
    count: string;
    amount: string;
    party: Record<"buyer" | "seller" | "holder", string>;
    openCount: string;
    openBalance: string;
    id: string;
    seller: string;
    buyer: string;
    holder: string;
    status: string;
    faceAmount: string;
    outstanding: string;
    issueDate: string;
    dueDate: string;
    daysPastDue: string;
    parentId: string;
    period: string;
    from: string;
    to: string;
    monthBasis: string;
    days: string;
    complete: string;
    openingBlock: string;
    closingBlock: string;
    closingDate: string;
    openingAr: string;
    closingAr: string;
    closingCount: string;
    currentAr: string;
    pastDueAr: string;
    pastDueCount: string;
    atRiskAr: string;
    atRiskCount: string;
    creditSales: string;
    cashApplied: string;
    dsoSimple: string;
    dsoCountback: string;
    countbackExhausted: string;
    bpdso: string;
    add: string;
    cei: string;
    collectionRate: string;
    overdueRatioAmount: string;
    overdueRatioCount: string;
    atRiskRateAmount: string;
    atRiskRateCount: string;
  };
}

const en: ExportCatalog = {
  report: { aging: "AR aging", "aging-items": "Aging bucket receivables", overdue: "Overdue ledger", kpis: "AR KPIs", series: "AR KPIs by month" },
  sheet: { asOf: "As of", totals: "Aging", groups: "By party", items: "Receivables", kpis: "KPIs", series: "By month" },
  bucket: { "not-due": "Not due", "1-30": "1–30 days", "31-60": "31–60 days", "61-90": "61–90 days", "91-120": "91–120 days", "over-120": "Over 120 days" },
  status: {
    None: "None",
    Registered: "Registered",
    Confirmed: "Confirmed",
    Disputed: "Disputed",
    Cancelled: "Cancelled",
    Paid: "Paid",
    Defaulted: "Defaulted",
    WrittenOff: "Written off",
    Split: "Split",
  },
  groupBy: { none: "none", buyer: "buyer", seller: "seller", holder: "holder" },
  yes: "yes",
  no: "no",
  total: "Total",
  count: "count",
  amount: "amount",
  about: {
    report: "Report",
    block: "As of block",
    blockHash: "Block hash",
    final: "Block final",
    blockTime: "Block time (UTC)",
    reportDate: "Report date",
    indexedHead: "Indexed head",
    filters: "Filters",
    generatedAt: "Exported at (UTC)",
    amounts: "Amounts",
    amountsNote: "integer token units; an amount above 9007199254740991 is written as text (digits) to stay exact",
  },
  col: {
    bucket: "Bucket",
    count: "Count",
    amount: "Amount",
    party: { buyer: "Buyer", seller: "Seller", holder: "Holder" },
    openCount: "Open count",
    openBalance: "Open balance",
    id: "Receivable",
    seller: "Seller",
    buyer: "Buyer",
    holder: "Holder",
    status: "Status",
    faceAmount: "Face amount",
    outstanding: "Outstanding",
    issueDate: "Issue date",
    dueDate: "Due date",
    daysPastDue: "Days past due",
    parentId: "Split from",
    period: "Period",
    from: "From",
    to: "To",
    monthBasis: "Month basis",
    days: "Days",
    complete: "Complete",
    openingBlock: "Opening block",
    closingBlock: "Closing block",
    closingDate: "Closing date",
    openingAr: "Opening AR",
    closingAr: "Closing AR",
    closingCount: "Closing count",
    currentAr: "Current AR",
    pastDueAr: "Past-due AR",
    pastDueCount: "Past-due count",
    atRiskAr: "At-risk AR (>90 days)",
    atRiskCount: "At-risk count",
    creditSales: "Credit sales",
    cashApplied: "Cash applied",
    dsoSimple: "DSO (simple, days)",
    dsoCountback: "DSO (countback, days)",
    countbackExhausted: "Countback exhausted",
    bpdso: "BPDSO (days)",
    add: "ADD (days)",
    cei: "CEI (%)",
    collectionRate: "Collection rate (%)",
    overdueRatioAmount: "Overdue ratio by amount (%)",
    overdueRatioCount: "Overdue ratio by count (%)",
    atRiskRateAmount: "At-risk rate by amount (%)",
    atRiskRateCount: "At-risk rate by count (%)",
  },
};

const zhCN: ExportCatalog = {
  report: { aging: "应收账龄", "aging-items": "账龄区间明细", overdue: "逾期账款登记台账", kpis: "应收指标", series: "应收指标月度趋势" },
  sheet: { asOf: "数据时点", totals: "账龄", groups: "按交易方", items: "应收账款", kpis: "指标", series: "按月" },
  bucket: {
    "not-due": "未到期",
    "1-30": "逾期 1–30 天",
    "31-60": "逾期 31–60 天",
    "61-90": "逾期 61–90 天",
    "91-120": "逾期 91–120 天",
    "over-120": "逾期 120 天以上",
  },
  status: {
    None: "无",
    Registered: "已登记",
    Confirmed: "已确权",
    Disputed: "有争议",
    Cancelled: "已撤销",
    Paid: "已结清",
    Defaulted: "已违约",
    WrittenOff: "已核销",
    Split: "已拆分",
  },
  groupBy: { none: "不分组", buyer: "按买方", seller: "按供应商", holder: "按持有方" },
  yes: "是",
  no: "否",
  total: "合计",
  count: "笔数",
  amount: "金额",
  about: {
    report: "报表",
    block: "数据区块",
    blockHash: "区块哈希",
    final: "区块已最终确认",
    blockTime: "区块时间（UTC）",
    reportDate: "报表日期",
    indexedHead: "已索引最新区块",
    filters: "筛选条件",
    generatedAt: "导出时间（UTC）",
    amounts: "金额单位",
    amountsNote: "代币最小单位（整数）；超过 9007199254740991 的金额以文本（数字串）写入，以保证精确",
  },
  col: {
    bucket: "账龄区间",
    count: "笔数",
    amount: "金额",
    party: { buyer: "买方（债务人）", seller: "供应商", holder: "持有方" },
    openCount: "未结笔数",
    openBalance: "未结余额",
    id: "应收账款编号",
    seller: "供应商",
    buyer: "买方（债务人）",
    holder: "持有方",
    status: "状态",
    faceAmount: "票面金额",
    outstanding: "未结余额",
    issueDate: "开票日期",
    dueDate: "到期日",
    daysPastDue: "逾期天数",
    parentId: "拆分自",
    period: "期间",
    from: "起始日",
    to: "截止日",
    monthBasis: "月度口径",
    days: "天数",
    complete: "期间已结束",
    openingBlock: "期初区块",
    closingBlock: "期末区块",
    closingDate: "期末日期",
    openingAr: "期初应收",
    closingAr: "期末应收",
    closingCount: "期末笔数",
    currentAr: "未到期应收",
    pastDueAr: "逾期应收",
    pastDueCount: "逾期笔数",
    atRiskAr: "高风险应收（逾期超过 90 天）",
    atRiskCount: "高风险笔数",
    creditSales: "赊销额",
    cashApplied: "回款核销额",
    dsoSimple: "应收账款周转天数（简单法，天）",
    dsoCountback: "应收账款周转天数（倒推法，天）",
    countbackExhausted: "倒推窗口不足",
    bpdso: "最佳周转天数 BPDSO（天）",
    add: "平均逾期天数 ADD（天）",
    cei: "回款有效性指数 CEI（%）",
    collectionRate: "回款率（%）",
    overdueRatioAmount: "逾期率（按金额，%）",
    overdueRatioCount: "逾期率（按笔数，%）",
    atRiskRateAmount: "高风险率（按金额，%）",
    atRiskRateCount: "高风险率（按笔数，%）",
  },
};

export const EXPORT_CATALOGS: Record<ExportLang, ExportCatalog> = { en, "zh-CN": zhCN };
