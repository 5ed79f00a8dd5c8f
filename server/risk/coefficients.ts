// Default coefficients of the late-payment model, so a fresh install scores without training. Written by
// `npm run bench:risk -- --write` (scripts/bench/risk.ts): npm run bench:risk -- --write: fitted by server/risk/model.ts (Newton/IRLS, ridge 1) on 17136 synthetic receivables of scripts/bench/risk.ts (seed 12; features as of days 150, 200, 250, 300, 350, outcomes by day 400; grace 5 days).
// AUC 0.8642 on the later period (6995 receivables). Retrain from the ledger's own history with
// `node scripts/risk-train.ts`.
import type { LogisticModel } from "./model.ts";

export const DEFAULT_MODEL: LogisticModel = {
  version: "bench-risk-seed12",
  madeBy:
    "npm run bench:risk -- --write: fitted by server/risk/model.ts (Newton/IRLS, ridge 1) on 17136 synthetic receivables of scripts/bench/risk.ts (seed 12; features as of days 150, 200, 250, 300, 350, outcomes by day 400; grace 5 days)",
  graceDays: 5,
  features: [
    "onTimeShare",
    "recentOnTimeShare",
    "meanDaysBeyondTerms",
    "trendDays",
    "partialPaymentShare",
    "disputeShare",
    "creditNoteShare",
    "defaultShare",
    "history",
    "brokenPromises",
    "dunningLevel",
    "limitUse",
    "amountVsTypical",
    "termDays",
    "daysToDue",
  ],
  mean: [0.57215883, 0.57942015, 9.3814742, -2.9305962, 0.45435823, 0, 0.075132205, 0.084313676, 3.4253399, 0, 0, 0, -0.24927727, 63.963585, 30.586134],
  std: [0.26265351, 0.25578435, 8.6960327, 6.6877215, 0.14845123, 1, 0.082893981, 0.0512608, 0.55030775, 1, 1, 1, 0.6847694, 22.213254, 22.222491],
  intercept: -0.023154583,
  weights: [
    -0.33774031, -0.68115978, 0.047083183, 0.073081934, 0.13918208, 0, 0.38362322, 0.090067641, 0.037400959, 0, 0, 0, 0.19207784, 0.2923552, -0.26276482,
  ],
  metrics: {
    auc: 0.8642,
    trainRows: 17136,
    testRows: 6995,
  },
};
