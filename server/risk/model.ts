// The late-payment model (issue 12, early warning): logistic regression on standardized features, fitted by the
// project's own code (Newton's method / IRLS with a small ridge penalty: deterministic, no external service, no
// ML package), explained by construction — each feature's contribution to the log-odds is its coefficient times
// its standardized value. Also the measures of its quality: AUC (rank / Mann–Whitney) and calibration by decile.
// Pure functions, no I/O.

/** The features, in the model's order (names are the API's and the reasons' keys). */
export const FEATURES = [
  // the buyer's history on the ledger, across all its suppliers
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
  // the receivable itself
  "amountVsTypical",
  "termDays",
  "daysToDue",
] as const;

export type FeatureName = (typeof FEATURES)[number];
export type FeatureVector = Record<FeatureName, number>;

export interface LogisticModel {
  /** Names the coefficients (stored with every score). */
  version: string;
  /** How and on what the coefficients were made (shown with the file). */
  madeBy: string;
  /** Days after the due date within which a payment still counts as on time (the label's grace). */
  graceDays: number;
  features: readonly FeatureName[];
  /** Standardization: z = (x − mean) / std (std 1 when a feature did not vary in training). */
  mean: number[];
  std: number[];
  intercept: number;
  /** One coefficient per feature, on the standardized scale. */
  weights: number[];
  /** Quality measured when it was made (on a later period than it learned from), if any. */
  metrics?: { auc: number; trainRows: number; testRows: number } | undefined;
}

export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export function toArray(f: FeatureVector, names: readonly FeatureName[] = FEATURES): number[] {
  return names.map((n) => f[n]);
}

export interface Explained {
  probability: number;
  /** Log-odds: intercept + Σ contributions. */
  logit: number;
  contributions: { feature: FeatureName; value: number; contribution: number }[];
}

/** Probability and each feature's contribution (coefficient × standardized value) to the log-odds. */
export function explain(model: LogisticModel, f: FeatureVector): Explained {
  let logit = model.intercept;
  const contributions = model.features.map((name, i) => {
    const z = (f[name] - model.mean[i]!) / model.std[i]!;
    const contribution = model.weights[i]! * z;
    logit += contribution;
    return { feature: name, value: f[name], contribution };
  });
  return { probability: sigmoid(logit), logit, contributions };
}

/** The `n` contributions that weigh most (largest absolute value; ties by the model's feature order). */
export function topReasons(e: Explained, n = 3) {
  return [...e.contributions].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).slice(0, n);
}

export interface FitOptions {
  /** Ridge penalty on the weights (not the intercept), on the standardized scale. Keeps separable data finite. */
  l2?: number;
  maxIterations?: number;
  /** Stop when no coefficient moves more than this. */
  tolerance?: number;
}

/**
 * Fits a logistic regression by Newton's method (IRLS): standardizes each column, then iterates
 * β ← β + (XᵀWX + λI)⁻¹ (Xᵀ(y − p) − λβ) from β = 0. Deterministic: same rows, same coefficients.
 */
export function fitLogistic(
  rows: number[][],
  labels: (0 | 1)[],
  names: readonly FeatureName[] = FEATURES,
  opts: FitOptions = {},
): Omit<LogisticModel, "version" | "madeBy" | "graceDays"> & { iterations: number } {
  const n = rows.length;
  const k = names.length;
  if (n === 0) throw new Error("fitLogistic: no rows");
  if (labels.length !== n) throw new Error("fitLogistic: one label per row");
  const l2 = opts.l2 ?? 1;
  const maxIt = opts.maxIterations ?? 50;
  const tol = opts.tolerance ?? 1e-9;
  const mean = new Array<number>(k).fill(0);
  const std = new Array<number>(k).fill(0);
  for (const r of rows) for (let j = 0; j < k; j++) mean[j]! += r[j]! / n;
  for (const r of rows) for (let j = 0; j < k; j++) std[j]! += (r[j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < k; j++) std[j] = Math.sqrt(std[j]!) > 1e-12 ? Math.sqrt(std[j]!) : 1;
  // design matrix with the intercept column first
  const X = rows.map((r) => [1, ...r.map((v, j) => (v - mean[j]!) / std[j]!)]);
  const d = k + 1;
  let beta = new Array<number>(d).fill(0);
  let iterations = 0;
  for (; iterations < maxIt; iterations++) {
    const H = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    const g = new Array<number>(d).fill(0);
    for (let i = 0; i < n; i++) {
      const x = X[i]!;
      let z = 0;
      for (let j = 0; j < d; j++) z += beta[j]! * x[j]!;
      const p = sigmoid(z);
      const w = Math.max(p * (1 - p), 1e-12);
      const r = labels[i]! - p;
      for (let a = 0; a < d; a++) {
        g[a]! += x[a]! * r;
        const wa = w * x[a]!;
        for (let b = a; b < d; b++) H[a]![b]! += wa * x[b]!;
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) H[a]![b] = H[b]![a]!;
    for (let j = 1; j < d; j++) {
      H[j]![j]! += l2;
      g[j]! -= l2 * beta[j]!;
    }
    const step = solve(H, g);
    beta = beta.map((b, j) => b + step[j]!);
    if (Math.max(...step.map(Math.abs)) < tol) {
      iterations++;
      break;
    }
  }
  return { features: names, mean, std, intercept: beta[0]!, weights: beta.slice(1), iterations };
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and symmetric positive definite). */
export function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    const pivot = M[c]![c]!;
    if (Math.abs(pivot) < 1e-15) throw new Error("solve: singular matrix");
    for (let r = c + 1; r < n; r++) {
      const f = M[r]![c]! / pivot;
      if (f === 0) continue;
      for (let j = c; j <= n; j++) M[r]![j]! -= f * M[c]![j]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r]![n]!;
    for (let j = r + 1; j < n; j++) s -= M[r]![j]! * x[j]!;
    x[r] = s / M[r]![r]!;
  }
  return x;
}

/**
 * Area under the ROC curve by the rank (Mann–Whitney U) method: rank all scores (ties get their average rank),
 * AUC = (sum of the positives' ranks − P(P+1)/2) / (P × N). Null without both classes.
 */
export function auc(scores: number[], labels: (0 | 1)[]): number | null {
  const idx = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
    const avg = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[idx[t]![1]] = avg;
    i = j + 1;
  }
  let pos = 0;
  let rankSum = 0;
  labels.forEach((l, i) => {
    if (l === 1) {
      pos++;
      rankSum += ranks[i]!;
    }
  });
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Calibration: rows sorted by predicted probability, cut into `bins` equal groups; mean predicted vs observed late share. */
export function calibration(probabilities: number[], labels: (0 | 1)[], bins = 10) {
  const order = probabilities.map((p, i) => [p, labels[i]!] as const).sort((a, b) => a[0] - b[0]);
  const out: { bin: number; count: number; predicted: number; observed: number }[] = [];
  for (let b = 0; b < bins; b++) {
    const part = order.slice(Math.floor((b * order.length) / bins), Math.floor(((b + 1) * order.length) / bins));
    if (!part.length) continue;
    out.push({
      bin: b + 1,
      count: part.length,
      predicted: part.reduce((s, x) => s + x[0], 0) / part.length,
      observed: part.reduce((s, x) => s + x[1], 0) / part.length,
    });
  }
  return out;
}
