// The one list of the client's routes (issue 10, client item 3): each route's path, title, who sees it in the
// navigation and its page. Titles and labels are catalog keys (`title.*`, `nav.*`): the shell shows them in the
// chosen language. The shell (app.tsx) builds the navigation, the routing and the document title from
// it; a new page is one entry here. Pages load lazily, each in its own chunk, so the first route's JavaScript
// stays small (scripts/client-size.ts prints it after the build).
import { lazy, type ReactNode } from "react";

/** What decides who sees a route in the navigation: the account's roles and what the deployment offers. */
export interface RouteContext {
  roles: readonly string[];
  isOperator: boolean;
  /** The financing modules deployed (factoring market, pledge loans, credit insurance). */
  market: boolean;
  loans: boolean;
  insurance: boolean;
  /** An API server answers (else the client reads the chain directly). */
  api: boolean;
  /** The signed-in person inside its member (the session's person): its own key (administrator) or staff with desk roles. */
  person?: { administrator: boolean; deskRoles: readonly string[] } | null;
}

export interface AppRoute {
  /** A stable name, e.g. for `aria-current` and tests. */
  page: string;
  /** The path in the hash (`#/receivables`); `:id` matches a receivable id (0x and 64 hex digits). */
  path: string;
  /** Other paths that show this route (`/` is the receivables list). */
  aliases?: readonly string[];
  /** The document title's first part: a catalog key (`title.*`), translated by the shell. */
  title: string;
  /** Shown in the main navigation with this label (a catalog key, `nav.*`) to whom `visible` allows; `section` highlights another entry. */
  nav?: { label: string; visible(ctx: RouteContext): boolean; labelFor?(ctx: RouteContext): string };
  /** The navigation entry highlighted on this route, when it has none of its own. */
  section?: string;
  render(params: Readonly<Record<string, string>>): ReactNode;
}

const ReceivablesPage = lazy(() => import("./pages/receivables-page.tsx").then((m) => ({ default: m.ReceivablesPage })));
const ReceivablePage = lazy(() => import("./pages/receivable-page.tsx").then((m) => ({ default: m.ReceivablePage })));
const RegisterPage = lazy(() => import("./pages/register-page.tsx").then((m) => ({ default: m.RegisterPage })));
const MarketPage = lazy(() => import("./pages/market-page.tsx").then((m) => ({ default: m.MarketPage })));
const LoansPage = lazy(() => import("./pages/loans-page.tsx").then((m) => ({ default: m.LoansPage })));
const InsurancePage = lazy(() => import("./pages/insurance-page.tsx").then((m) => ({ default: m.InsurancePage })));
const CreditPage = lazy(() => import("./pages/credit-page.tsx").then((m) => ({ default: m.CreditPage })));
const PortfolioPage = lazy(() => import("./pages/portfolio-page.tsx").then((m) => ({ default: m.PortfolioPage })));
const AuditPage = lazy(() => import("./pages/audit-page.tsx").then((m) => ({ default: m.AuditPage })));
const MembersPage = lazy(() => import("./pages/members-page.tsx").then((m) => ({ default: m.MembersPage })));
const ReportsPage = lazy(() => import("./pages/reports-page.tsx").then((m) => ({ default: m.ReportsPage })));
const MailboxPage = lazy(() => import("./pages/mailbox-page.tsx").then((m) => ({ default: m.MailboxPage })));
const WorklistPage = lazy(() => import("./collections/worklist-page.tsx").then((m) => ({ default: m.WorklistPage })));
const CasePage = lazy(() => import("./collections/case-page.tsx").then((m) => ({ default: m.CasePage })));
const PoliciesPage = lazy(() => import("./collections/policies-page.tsx").then((m) => ({ default: m.PoliciesPage })));
const CollectionKpisPage = lazy(() => import("./collections/kpis-page.tsx").then((m) => ({ default: m.KpisPage })));
const RiskPage = lazy(() => import("./risk/risk-page.tsx").then((m) => ({ default: m.RiskPage })));
const BankPaymentsPage = lazy(() => import("./pages/bank-payments-page.tsx").then((m) => ({ default: m.BankPaymentsPage })));

const has = (ctx: RouteContext, ...roles: string[]) => roles.some((r) => ctx.roles.includes(r));
/** The person's own key, or staff with one of these desk roles (common/desk-roles.ts). */
const desk = (ctx: RouteContext, ...deskRoles: string[]) =>
  !!ctx.person && (ctx.person.administrator || deskRoles.some((r) => ctx.person!.deskRoles.includes(r)));
/** Collections: a creditor (seller or holder) member's administrator, collectors and collections managers. */
const collections = (c: RouteContext) => c.api && has(c, "Seller", "Financier") && desk(c, "collector", "collectionsManager");
/** Early warning: creditors' people who work collections or credit, auditors and the operator. */
const risk = (c: RouteContext) =>
  c.api &&
  (c.isOperator ||
    has(c, "Auditor") ||
    (has(c, "Seller", "Financier", "Insurer") && desk(c, "collector", "collectionsManager", "creditAnalyst", "creditApprover")));

/** In navigation order. */
export const ROUTES: readonly AppRoute[] = [
  {
    page: "receivables",
    path: "/receivables",
    aliases: ["/"],
    title: "title.receivables",
    nav: { label: "nav.receivables", visible: () => true },
    render: () => <ReceivablesPage />,
  },
  { page: "receivable", path: "/receivables/:id", title: "title.receivable", section: "receivables", render: (p) => <ReceivablePage id={p.id!} /> },
  {
    page: "register",
    path: "/register",
    title: "title.register",
    nav: { label: "nav.register", visible: (c) => has(c, "Seller") },
    render: () => <RegisterPage />,
  },
  {
    page: "market",
    path: "/market",
    title: "title.market",
    nav: { label: "nav.market", visible: (c) => c.market && has(c, "Financier", "Auditor") },
    render: () => <MarketPage />,
  },
  {
    page: "loans",
    path: "/loans",
    title: "title.loans",
    nav: { label: "nav.loans", visible: (c) => c.loans && has(c, "Financier") },
    render: () => <LoansPage />,
  },
  {
    page: "insurance",
    path: "/insurance",
    title: "title.insurance",
    nav: { label: "nav.insurance", visible: (c) => c.insurance && has(c, "Insurer") },
    render: () => <InsurancePage />,
  },
  {
    page: "credit",
    path: "/credit",
    title: "title.credit",
    nav: { label: "nav.credit", visible: (c) => c.api && (has(c, "Financier", "Insurer", "Auditor") || c.isOperator) },
    render: () => <CreditPage />,
  },
  {
    page: "portfolio",
    path: "/portfolio",
    title: "title.portfolio",
    nav: { label: "nav.portfolio", visible: (c) => has(c, "Financier", "Seller") },
    render: () => <PortfolioPage />,
  },
  {
    page: "reports",
    path: "/reports",
    title: "title.reports",
    // The AR reports need the API server and a session: every signed-in member and the operator.
    nav: { label: "nav.reports", visible: (c) => c.api && (c.roles.length > 0 || c.isOperator) },
    render: () => <ReportsPage />,
  },
  {
    page: "collections",
    path: "/collections",
    title: "title.collections",
    nav: { label: "nav.collections", visible: collections },
    render: () => <WorklistPage />,
  },
  {
    page: "collection-case",
    path: "/collections/cases/:case",
    title: "title.collectionCase",
    section: "collections",
    render: (p) => <CasePage id={p.case!} />,
  },
  { page: "collection-policies", path: "/collections/policies", title: "title.collectionPolicies", section: "collections", render: () => <PoliciesPage /> },
  { page: "collection-kpis", path: "/collections/kpis", title: "title.collectionKpis", section: "collections", render: () => <CollectionKpisPage /> },
  {
    page: "risk",
    path: "/risk",
    title: "title.risk",
    nav: { label: "nav.risk", visible: risk },
    render: () => <RiskPage />,
  },
  {
    page: "audit",
    path: "/audit",
    title: "title.audit",
    nav: { label: "nav.audit", visible: (c) => has(c, "Auditor") || c.isOperator },
    render: () => <AuditPage />,
  },
  {
    page: "members",
    path: "/members",
    title: "title.members",
    nav: {
      label: "nav.members",
      // Auditors and the operator see every member; any other member sees its own staff there.
      visible: (c) => has(c, "Auditor") || c.isOperator || (c.api && c.roles.length > 0),
      labelFor: (c) => (has(c, "Auditor") || c.isOperator ? "nav.members" : "nav.staff"),
    },
    render: () => <MembersPage />,
  },
  // Reached from the top bar's bell (no navigation entry): the e-mail the embedded receiver caught.
  { page: "mailbox", path: "/mailbox", title: "title.mailbox", render: () => <MailboxPage /> },
  {
    page: "bank-payments",
    path: "/bank-payments",
    title: "title.bankPayments",
    nav: { label: "nav.bankPayments", visible: (c) => c.isOperator },
    render: () => <BankPaymentsPage />,
  },
];

export const NOT_FOUND_TITLE = "title.notFound";

/** The navigation entries this account sees, in order. */
export function navFor(ctx: RouteContext): (AppRoute & { nav: NonNullable<AppRoute["nav"]> })[] {
  return ROUTES.filter((r): r is AppRoute & { nav: NonNullable<AppRoute["nav"]> } => !!r.nav && r.nav.visible(ctx));
}
