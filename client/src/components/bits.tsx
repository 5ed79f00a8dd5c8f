// Small presentational pieces shared by the pages.
import type { ReactNode } from "react";
import { useSession } from "../session.tsx";
import { idHex, shortHex } from "../format.ts";
import { useTranslation } from "../i18n/index.ts";

const STATUS_TONE: Record<string, string> = {
  Registered: "info",
  Confirmed: "accent",
  Disputed: "warn",
  Cancelled: "muted",
  Paid: "ok",
  Defaulted: "danger",
  WrittenOff: "danger",
  Split: "muted",
};

export function StatusBadge(props: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${STATUS_TONE[props.status] ?? "muted"}`} data-status={props.status}>
      {t(`status.${props.status}`, { defaultValue: props.status })}
    </span>
  );
}

/** A party: company name when known, with the address underneath. */
export function Party(props: { address: string | null | undefined; inline?: boolean }) {
  const { companyOf, account } = useSession();
  const { t } = useTranslation();
  if (!props.address) return <span className="muted">—</span>;
  const company = companyOf(props.address);
  const isYou = account?.address.toLowerCase() === props.address.toLowerCase();
  if (props.inline)
    return (
      <span className="party-inline" title={props.address}>
        {company?.name ?? shortHex(props.address)}
        {isYou && <span className="you-tag">{t("party.you")}</span>}
      </span>
    );
  return (
    <span className="party" title={props.address}>
      <span className="party-name">
        {company?.name ?? shortHex(props.address)}
        {isYou && <span className="you-tag">{t("party.you")}</span>}
      </span>
      {company && <span className="party-address mono">{shortHex(props.address)}</span>}
    </span>
  );
}

export function Hash(props: { value: string; lead?: number; tail?: number }) {
  return (
    <code className="mono hash" title={props.value}>
      {shortHex(props.value, props.lead ?? 10, props.tail ?? 6)}
    </code>
  );
}

export function Notice(props: { tone: "error" | "info" | "ok" | "warn"; children: ReactNode; live?: boolean }) {
  return (
    <div className={`notice notice-${props.tone}`} role={props.tone === "error" ? "alert" : "status"} aria-live={props.live === false ? undefined : "polite"}>
      {props.children}
    </div>
  );
}

export function Spinner(props: { label?: string }) {
  return (
    <span className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      {props.label && <span>{props.label}</span>}
    </span>
  );
}

/** A receivable's id as a short link to its page. */
export function ReceivableLink(props: { id: string }) {
  const hex = idHex(props.id) ?? props.id;
  return (
    <a className="id-link mono" href={`#/receivables/${hex}`} title={hex}>
      {shortHex(hex, 8, 6)}
    </a>
  );
}
