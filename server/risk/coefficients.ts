// Default coefficients of the late-payment model, so a fresh install scores without training. PLACEHOLDER until
// `npm run bench:risk -- --write` overwrites this file with coefficients fitted on the bench's synthetic history.
import type { LogisticModel } from "./model.ts";
import { FEATURES } from "./model.ts";

export const DEFAULT_MODEL: LogisticModel = {
  version: "placeholder",
  madeBy: "hand-set placeholder",
  graceDays: 5,
  features: FEATURES,
  mean: FEATURES.map(() => 0),
  std: FEATURES.map(() => 1),
  intercept: 0,
  weights: [-3, 0.1, 0.1, 1, 1, 1, 1, 0, 0.5, 0.5, 0.5, 0.2, 0, -0.02],
};
