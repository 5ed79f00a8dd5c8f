// English catalog. Every key here exists in zh-CN.ts with the same shape (checked by the type of zh-CN.ts and by
// test/client/catalogs.test.ts). Keys are grouped by where the text appears.
export const en = {
  app: {
    name: "Receivables Ledger",
    skipToContent: "Skip to content",
    notFound: "There is no page at {{path}}.",
    language: "Language",
  },
  nav: {
    receivables: "Receivables",
    register: "Register invoice",
    market: "Marketplace",
    loans: "Loans",
    insurance: "Insurance",
    credit: "Credit",
    portfolio: "Portfolio",
    audit: "Audit",
    members: "Members",
    bankPayments: "Bank payments",
  },
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
  role: {
    Seller: "Seller",
    Buyer: "Buyer",
    Financier: "Financier",
    Auditor: "Auditor",
    Insurer: "Insurer",
    Operator: "Operator",
  },
  due: {
    today: "due today",
    inDays_one: "in {{count}} day",
    inDays_other: "in {{count}} days",
    overdue_one: "{{count}} day overdue",
    overdue_other: "{{count}} days overdue",
  },
  common: {
    loading: "Loading…",
    cancel: "Cancel",
    confirm: "Confirm",
    close: "Close",
    yes: "Yes",
    no: "No",
  },
};

/** The catalog's shape: every zh-CN catalog must have exactly these keys (values are any text). */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type Catalog = Shape<typeof en>;
