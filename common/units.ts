// Units of time. The chain counts unix seconds; the browser counts milliseconds. Constants carry their unit
// in their name (`_S` seconds, `_MS` milliseconds).

export const SECOND_MS = 1_000;
export const MINUTE_S = 60;
export const HOUR_S = 3_600;
/** A calendar day (UTC) in seconds: the ledger's `1 days`. */
export const DAY_S = 86_400;
export const DAY_MS = DAY_S * SECOND_MS;
/** The day count of the ledger's interest and of every annualised figure (actual/365). */
export const DAYS_PER_YEAR = 365;
export const YEAR_S = DAYS_PER_YEAR * DAY_S;

/** Whole days in `seconds`, rounded up (a part of a day counts as a day; towards +∞ for negative spans). */
export function daysCeil(seconds: number): number {
  return Math.ceil(seconds / DAY_S);
}

/** Unix seconds → milliseconds. */
export const secondsToMs = (seconds: number): number => seconds * SECOND_MS;
/** Milliseconds → unix seconds, rounded down. */
export const msToSeconds = (ms: number): number => Math.floor(ms / SECOND_MS);
