// Registers the financing pages' catalog part (`financing.*`, both languages). Imported for its effect by
// market-page.tsx, loans-page.tsx and insurance-page.tsx, whose chunks also hold the factoring, loan and policy
// cards of a receivable's page: whichever loads first registers it, once.
import { addCatalogPart } from "../parts.ts";
import { financingEn } from "./en.ts";
import { financingZhCN } from "./zh-CN.ts";

addCatalogPart("financing", { en: financingEn, "zh-CN": financingZhCN });
