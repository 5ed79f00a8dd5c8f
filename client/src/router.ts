// A hash router: the server serves index.html at `/` only, so routes live in the fragment (#/receivables/0x…).
// The routes themselves are the registry in routes.tsx; this matches a path against their patterns.
import { useEffect, useState } from "react";

/** A registry entry as far as matching goes (see routes.tsx). */
export interface RoutePattern {
  path: string;
  aliases?: readonly string[];
}

export type Matched<R extends RoutePattern> =
  | { route: R; params: Record<string, string>; path: string }
  | { route: null; params: Record<string, never>; path: string };

/** `:id` in a pattern matches a receivable id (0x and 64 hex digits), passed on lower-cased. */
const PARAM_PATTERNS: Record<string, string> = { id: "0x[0-9a-fA-F]{64}" };

function compile(pattern: string): { re: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split("/")
    .map((seg) => {
      if (!seg.startsWith(":")) return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(seg.slice(1));
      return `(${PARAM_PATTERNS[seg.slice(1)] ?? "[^/]+"})`;
    })
    .join("/");
  return { re: new RegExp(`^${source}$`), names };
}

export function matchRoute<R extends RoutePattern>(routes: readonly R[], hash: string): Matched<R> {
  const path = hash.replace(/^#/, "") || "/";
  for (const route of routes) {
    for (const pattern of [route.path, ...(route.aliases ?? [])]) {
      const { re, names } = compile(pattern);
      const m = re.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      names.forEach((n, i) => (params[n] = m[i + 1]!.toLowerCase()));
      return { route, params, path };
    }
  }
  return { route: null, params: {}, path };
}

export function useRoute<R extends RoutePattern>(routes: readonly R[]): Matched<R> {
  const [route, setRoute] = useState(() => matchRoute(routes, window.location.hash));
  useEffect(() => {
    const onChange = () => {
      setRoute(matchRoute(routes, window.location.hash));
      window.scrollTo(0, 0);
      // Move focus to the new page so keyboard and screen-reader users start at its content.
      requestAnimationFrame(() => document.getElementById("main")?.focus({ preventScroll: true }));
    };
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, [routes]);
  return route;
}

export function navigate(path: string): void {
  window.location.hash = path;
}
