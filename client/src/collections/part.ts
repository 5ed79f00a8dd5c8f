// Registers the collections and early-warning catalog part (`collections.*`, both languages). Imported for its
// effect by the collections pages, the risk page and the seller dashboard's alerts card: whichever loads first
// registers it, once.
import { addCatalogPart } from "../i18n/parts.ts";
import { collectionsEn } from "../i18n/collections/en.ts";
import { collectionsZhCN } from "../i18n/collections/zh-CN.ts";

addCatalogPart("collections", { en: collectionsEn, "zh-CN": collectionsZhCN });
