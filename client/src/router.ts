// A hash router: the server serves index.html at `/` only, so routes live in the fragment (#/receivables/0x…).
import { useEffect, useState } from "react";

export type Route =
  | { page: "receivables" }
  | { page: "receivable"; id: string }
  | { page: "register" }
  | { page: "portfolio" }
  | { page: "audit" }
  | { page: "members" }
  | { page: "bank-payments" }
  | { page: "market" }
  | { page: "insurance" }
  | { page: "loans" }
  | { page: "credit" }
  | { page: "not-found"; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "") || "/";
  if (path === "/" || path === "/receivables") return { page: "receivables" };
  if (path === "/register") return { page: "register" };
  if (path === "/portfolio") return { page: "portfolio" };
  if (path === "/audit") return { page: "audit" };
  if (path === "/members") return { page: "members" };
  if (path === "/bank-payments") return { page: "bank-payments" };
  if (path === "/market") return { page: "market" };
  if (path === "/insurance") return { page: "insurance" };
  if (path === "/loans") return { page: "loans" };
  if (path === "/credit") return { page: "credit" };
  const m = /^\/receivables\/(0x[0-9a-fA-F]{64})$/.exec(path);
  if (m) return { page: "receivable", id: m[1]!.toLowerCase() };
  return { page: "not-found", path };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => {
      setRoute(parseRoute(window.location.hash));
      window.scrollTo(0, 0);
      // Move focus to the new page so keyboard and screen-reader users start at its content.
      requestAnimationFrame(() => document.getElementById("main")?.focus({ preventScroll: true }));
    };
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

export function navigate(path: string): void {
  window.location.hash = path;
}
