// Pieces the collections pages share: the tabs between them, the access gate, a case's score parts, its next
// action, a collector's name and the link to a receivable.
import type { ReactNode } from "react";
import "./part.ts";
import { useTranslation } from "../i18n/index.ts";
import { displayDate, shortHex } from "../format.ts";
import { Notice, Party } from "../components/bits.tsx";
import { useCollectionsPerson, type CaseSummary, type NextAction } from "./api.ts";

export type CollectionsTab = "worklist" | "policies" | "kpis";

/** The page head, the tabs, and the page itself only for a person who works collections. */
export function CollectionsShell(props: {
  tab: CollectionsTab | null;
  titleId: string;
  title: string;
  lede?: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const me = useCollectionsPerson();
  const tabs: [CollectionsTab, string, string][] = [
    ["worklist", "#/collections", me?.manages ? t("collections.tabs.team") : t("collections.tabs.worklist")],
    ["policies", "#/collections/policies", t("collections.tabs.policies")],
    ["kpis", "#/collections/kpis", t("collections.tabs.kpis")],
  ];
  return (
    <section aria-labelledby={props.titleId} className="collections-page">
      <div className="page-head">
        <div>
          <h1 id={props.titleId}>{props.title}</h1>
          {props.lede && <p className="lede">{props.lede}</p>}
        </div>
        {props.actions}
      </div>
      {me?.works && (
        <nav className="sub-tabs" aria-label={t("collections.tabs.label")}>
          {tabs.map(([id, href, label]) => (
            <a key={id} href={href} aria-current={props.tab === id ? "page" : undefined} className={props.tab === id ? "active" : ""}>
              {label}
            </a>
          ))}
        </nav>
      )}
      {!me ? (
        <Notice tone="info">{t("collections.needsServer")}</Notice>
      ) : !me.works ? (
        <Notice tone="info">{t("collections.notAllowed")}</Notice>
      ) : (
        props.children
      )}
    </section>
  );
}

/** The score and its four parts, each with its own data attribute (the worklist test reads them). */
export function ScoreParts(props: { score: CaseSummary["score"] }) {
  const { t } = useTranslation();
  const s = props.score;
  const parts: [string, string, number][] = [
    ["amount", t("collections.score.amount"), s.amount],
    ["daysPastDue", t("collections.score.daysPastDue"), s.daysPastDue],
    ["risk", t("collections.score.risk"), s.risk],
    ["brokenPromises", t("collections.score.brokenPromises"), s.brokenPromises],
  ];
  return (
    <span
      className="score"
      data-score={s.total}
      title={t("collections.score.explain", { total: s.total, amount: s.amount, days: s.daysPastDue, risk: s.risk, promises: s.brokenPromises })}
    >
      <strong className="score-total">{s.total}</strong>
      <span className="score-parts">
        {parts.map(([id, label, v]) => (
          <span key={id} className="score-part" data-part={id} data-value={v}>
            {label} {v}
          </span>
        ))}
      </span>
    </span>
  );
}

export function NextActionText(props: { next: NextAction | null; suppressed?: string | null }) {
  const { t } = useTranslation();
  const n = props.next;
  if (!n)
    return (
      <span className="muted" data-next="none">
        {props.suppressed ? t(`collections.suppressed.${props.suppressed}`, { defaultValue: props.suppressed }) : t("collections.next.none")}
      </span>
    );
  return (
    <span className="next-action" data-next={n.action}>
      {t(`collections.next.${n.action}`, { level: n.level ?? "" })}
      <span className="muted"> · {displayDate(n.date)}</span>
    </span>
  );
}

/** A collector: the administrator by its company, a staff member by its name. */
export function CollectorName(props: { address: string | null; member: string; people: { address: string; name: string | null }[] }) {
  const { t } = useTranslation();
  if (!props.address) return <span className="muted">{t("collections.worklist.unassigned")}</span>;
  const a = props.address.toLowerCase();
  if (a === props.member.toLowerCase()) return <Party address={a} inline />;
  const p = props.people.find((x) => x.address === a);
  return p?.name ? <span title={a}>{p.name}</span> : <Party address={a} inline />;
}

/** A collector's label in a select: its name, or the administrator's company. */
export function collectorLabel(p: { address: string; name: string | null }, member: string, companyName: string | undefined, administrator: string): string {
  if (p.address === member.toLowerCase()) return `${companyName ?? shortHex(p.address)} (${administrator})`;
  return p.name ?? shortHex(p.address);
}
