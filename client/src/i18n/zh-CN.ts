// 简体中文目录：与 en.ts 键完全相同（类型检查 + test/client/catalogs.test.ts）。用语按国内供应链金融习惯：
// 应收账款、确权、保理、质押、账龄、核销、授信、回款。
import type { Catalog } from "./en.ts";

export const zhCN: Catalog = {
  app: {
    name: "应收账款链上登记平台",
    skipToContent: "跳到正文",
    notFound: "页面 {{path}} 不存在。",
    language: "语言",
  },
  nav: {
    receivables: "应收账款",
    register: "登记发票",
    market: "保理市场",
    loans: "质押融资",
    insurance: "信用保险",
    credit: "授信管理",
    portfolio: "资产组合",
    audit: "审计核验",
    members: "成员管理",
    bankPayments: "银行回款",
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
  role: {
    Seller: "供应商",
    Buyer: "核心企业（买方）",
    Financier: "资金方",
    Auditor: "审计方",
    Insurer: "保险机构",
    Operator: "联盟运营方",
  },
  due: {
    today: "今日到期",
    inDays_one: "{{count}} 天后到期",
    inDays_other: "{{count}} 天后到期",
    overdue_one: "逾期 {{count}} 天",
    overdue_other: "逾期 {{count}} 天",
  },
  common: {
    loading: "加载中…",
    cancel: "取消",
    confirm: "确认",
    close: "关闭",
    yes: "是",
    no: "否",
  },
};
