// The early-warning API (server/risk/routes.ts, issue 12) as the client reads it: a receivable's late-payment risk
// with its three main reasons (the server words each in en and zh-CN), the viewer's open receivables by risk, the
// creditor's alert thresholds and the alerts they raised.
import { request } from "../api.ts";

export interface RiskReason {
  feature: string;
  value: number;
  /** Its share of the log-odds: > 0 raises the risk. */
  contribution: number;
  text: { en: string; "zh-CN": string };
}
export interface RiskScore {
  receivableId: string;
  buyer: string;
  seller: string;
  holder: string;
  probability: number;
  reasons: RiskReason[];
  model: string;
  scoredBlock: number;
  outstanding: string;
  /** Unix seconds. */
  dueDate: number;
}
export interface RiskScores {
  total: number;
  graceDays: number;
  items: RiskScore[];
  block: { number: number };
}
export interface Threshold {
  creditor: string;
  probability: number;
  trendDays: number;
  updatedAt: string;
}
export interface RiskAlert {
  id: number;
  kind: "threshold" | "trend";
  receivableId: string | null;
  buyer: string;
  probability: number | null;
  threshold: number;
  before: number | null;
  after: number;
  block: number;
  createdAt: string;
}

export const riskApi = {
  scoresPath: (limit: number, offset: number) => `/api/risk/scores?limit=${limit}&offset=${offset}`,
  thresholdsPath: "/api/risk/thresholds",
  alertsPath: (limit: number) => `/api/risk/alerts?limit=${limit}`,
  setThreshold: (body: { probability: number; trendDays: number }) => request<Threshold>("PUT", "/api/risk/thresholds", body),
};

/** "37.5%". */
export const pct = (p: number) => `${(Math.round(p * 1000) / 10).toFixed(1)}%`;
