// The projections the indexer runs, in the order it calls them (each domain registers its own handler; a new
// projection is a new entry here, not an edit of the indexer's store).
import type { ProjectionHandler } from "./indexer/handlers.ts";
import { receivablesProjection } from "./receivables/indexing.ts";
import { membersProjection } from "./members/indexing.ts";
import { financingProjection } from "./financing/indexing.ts";
import { riskProjection } from "./risk/indexing.ts";

export const PROJECTIONS: readonly ProjectionHandler[] = [receivablesProjection, membersProjection, financingProjection, riskProjection];
