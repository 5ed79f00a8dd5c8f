// What the route modules get from the composition root (server/main.ts).
import type { Request } from "express";
import type { Viewer } from "../receivables/visibility.ts";
import type { AuthService } from "../auth/service.ts";
import type { ReceivableService } from "../receivables/service.ts";
import type { ReceivableQueries } from "../receivables/store.ts";
import type { createMemberQueries, createCompanyStore } from "../members/store.ts";
import type { createDocumentStore } from "../receivables/documents-store.ts";
import type { FinancingService } from "../financing/service.ts";
import type { CreditService } from "../credit/service.ts";
import type { InvoiceDetailService } from "../receivables/invoice-details.ts";
import type { InvoiceDetailStore } from "../receivables/invoice-details-store.ts";
import type { ReportService } from "../reports/service.ts";
import type { StaffStore } from "../members/store.ts";
import type { CollectionService } from "../collections/service.ts";
import type { HandoverService } from "../collections/handover.ts";
import type { Notifications } from "../notifications/service.ts";
import type { RiskService } from "../risk/service.ts";

export interface AppContext {
  auth: AuthService;
  receivables: ReceivableService;
  receivableQueries: ReceivableQueries;
  members: ReturnType<typeof createMemberQueries>;
  companies: ReturnType<typeof createCompanyStore>;
  documents: ReturnType<typeof createDocumentStore>;
  /** People inside a member: staff keys with desk roles. */
  staff: StaffStore;
  finalityDepth: number;
  financing: FinancingService;
  credit: CreditService;
  /** Chain time (unix seconds) of the indexed head: what the chain decides (admission expiry) is judged by it. */
  chainNow(): Promise<number>;
  invoiceDetails: InvoiceDetailService;
  invoiceDetailStore: InvoiceDetailStore;
  /** AR reports: aging, DSO, CEI and collection KPIs as of a block or date (issue 11). */
  reports: ReportService;
  /** The most rows one report export holds (default EXPORT_MAX_ROWS, 100,000). */
  reportExportMaxRows?: number;
  /** Rows an export asks of the report service per call (default EXPORT_PAGE_ROWS, 10,000). */
  reportExportPageRows?: number;
  /** Collections: dunning policies, cases, worklists, promises, KPIs (issue 12). */
  collections: CollectionService;
  /** Hand-overs of collection cases to an agency or to legal, with their evidence packs (issue 12). */
  handovers: HandoverService;
  /** The outbox (enqueue from anywhere) and the channels' rows; the embedded mailbox in the writer process. */
  notifications: Notifications;
  /** Early warning: late-payment risk scores, thresholds and alerts (issue 12). */
  risk: RiskService;
  resolveViewer(req: Request): Promise<Viewer | null>;
}

export const SESSION_COOKIE = "session";

export function sessionToken(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith("Bearer ")) return auth.slice(7).trim() || undefined;
  const cookie = req.headers.cookie;
  if (!cookie) return undefined;
  for (const part of cookie.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === SESSION_COOKIE) return decodeURIComponent(v.join("="));
  }
  return undefined;
}
