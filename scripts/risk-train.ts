// Retrains the late-payment model from the ledger's own history (an indexed database and its chain node):
//   node scripts/risk-train.ts --database <url> --rpc <url> --at <block>[,<block>…] [--labels <block>] [--grace 5] [--out file.ts]
// Features are read as of each `--at` block (the receivables open then), labels as of `--labels` (default the indexed
// head): paid, or still unpaid, more than grace days after the due date. Prints the coefficients and the AUC on the
// training rows; with --out writes a coefficients module like server/risk/coefficients.ts (to replace it, review it
// and commit it: the server loads DEFAULT_MODEL from there).
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { openDatabase } from "../server/database/client.ts";
import { createChainClient } from "../server/chain/client.ts";
import { createBlockReader } from "../server/reports/blocks.ts";
import { createRiskStore } from "../server/risk/store.ts";
import { createRiskService } from "../server/risk/service.ts";
import { createCreditQueries } from "../server/credit/store.ts";
import { DEFAULT_MODEL } from "../server/risk/coefficients.ts";
import { fitLogistic, auc, sigmoid, FEATURES, type LogisticModel } from "../server/risk/model.ts";

const { values } = parseArgs({
  options: {
    database: { type: "string" },
    rpc: { type: "string" },
    at: { type: "string" },
    labels: { type: "string" },
    grace: { type: "string" },
    out: { type: "string" },
  },
});
if (!values.database || !values.rpc || !values.at) {
  console.error("usage: node scripts/risk-train.ts --database <url> --rpc <url> --at <block>[,<block>…] [--labels <block>] [--grace 5] [--out file.ts]");
  process.exit(2);
}
const db = await openDatabase(values.database);
const blocks = createBlockReader(createChainClient(values.rpc));
const graceDays = values.grace ? Number(values.grace) : 5;
try {
  const cp = await db.prisma.indexerCheckpoint.findUnique({ where: { id: 1 } });
  const risk = createRiskService({
    store: createRiskStore(db),
    model: DEFAULT_MODEL,
    graceDays,
    head: async () => cp?.blockNumber ?? null,
    blockTime: async (n) => (await blocks(n))!.timestamp,
    limits: async () => new Map((await createCreditQueries(db).limits()).map((l) => [l.buyer, l.limitAmount])),
  });
  const rows: number[][] = [];
  const labels: (0 | 1)[] = [];
  for (const at of values.at.split(",").map(Number)) {
    const s = await risk.trainingSet(at, values.labels ? Number(values.labels) : undefined);
    rows.push(...s.rows);
    labels.push(...s.labels);
  }
  if (rows.length < 20 || !labels.includes(0) || !labels.includes(1)) throw new Error(`too little decided history to train on (${rows.length} receivables)`);
  const fit = fitLogistic(rows, labels);
  const model: LogisticModel = {
    version: `ledger-${values.at.replace(/,/g, "-")}`,
    madeBy: `node scripts/risk-train.ts: fitted on ${rows.length} receivables of the ledger open at blocks ${values.at}, labels by block ${values.labels ?? cp?.blockNumber}, grace ${graceDays} days`,
    graceDays,
    features: fit.features,
    mean: fit.mean,
    std: fit.std,
    intercept: fit.intercept,
    weights: fit.weights,
  };
  const p = rows.map((r) => sigmoid(model.intercept + r.reduce((s, v, i) => s + model.weights[i]! * ((v - model.mean[i]!) / model.std[i]!), 0)));
  console.log(
    `${rows.length} receivables, late share ${(labels.filter((l) => l === 1).length / labels.length).toFixed(3)}, AUC on them ${auc(p, labels)?.toFixed(4)}`,
  );
  console.log(FEATURES.map((f, i) => `${f} ${model.weights[i]!.toFixed(4)}`).join("\n"));
  if (values.out) {
    writeFileSync(
      values.out,
      `// Coefficients retrained from the ledger: ${model.madeBy}.\nimport type { LogisticModel } from "./model.ts";\n\nexport const DEFAULT_MODEL: LogisticModel = ${JSON.stringify(model, null, 2)};\n`,
    );
    console.log(`wrote ${values.out}`);
  }
} finally {
  await db.close();
}
