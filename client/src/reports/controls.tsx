// The report page's pickers: as of (the head, the end of a day, or a block), the period of the KPIs (a month, a
// quarter, or a custom from–to; 30-day or calendar months) and the party the reports are narrowed to. Edited as
// a draft and applied together, so a half-typed date or block is never sent.
import { useState, type FormEvent } from "react";
import { useSession } from "../session.tsx";
import { shortHex } from "../format.ts";
import { useTranslation } from "../i18n/index.ts";
import type { AsOfChoice, PartySide, PeriodChoice, ReportFilter } from "./api.ts";

export interface Selection {
  filter: ReportFilter;
  period: PeriodChoice;
}

export function ReportControls(props: { value: Selection; onApply(next: Selection): void }) {
  const { t } = useTranslation();
  const { memberships, companyOf } = useSession();
  const v = props.value;
  const [asOfKind, setAsOfKind] = useState<AsOfChoice["kind"]>(v.filter.asOf.kind);
  const [asOfDate, setAsOfDate] = useState(v.filter.asOf.kind === "date" ? v.filter.asOf.date : "");
  const [asOfBlock, setAsOfBlock] = useState(v.filter.asOf.kind === "block" ? v.filter.asOf.block : "");
  const [side, setSide] = useState<PartySide | "">(v.filter.party?.side ?? "");
  const [party, setParty] = useState(v.filter.party?.address ?? "");
  const [periodKind, setPeriodKind] = useState<PeriodChoice["kind"]>(v.period.kind);
  const [month, setMonth] = useState(v.period.kind === "custom" ? "" : v.period.month);
  const [from, setFrom] = useState(v.period.kind === "custom" ? v.period.from : "");
  const [to, setTo] = useState(v.period.kind === "custom" ? v.period.to : "");
  const [basis, setBasis] = useState<"30" | "calendar">(v.period.monthBasis);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const asOf: AsOfChoice =
      asOfKind === "date" && asOfDate
        ? { kind: "date", date: asOfDate }
        : asOfKind === "block" && asOfBlock.trim()
          ? { kind: "block", block: asOfBlock.trim() }
          : { kind: "head" };
    const period: PeriodChoice = periodKind === "custom" ? { kind: "custom", from, to, monthBasis: basis } : { kind: periodKind, month, monthBasis: basis };
    props.onApply({ filter: { asOf, party: side && party.trim() ? { side, address: party.trim() } : null }, period });
  };

  const members = [...memberships.entries()].filter(([, m]) => m.roles.length > 0);
  return (
    <form className="card report-controls" onSubmit={onSubmit} aria-label={t("reports.controls.label")}>
      <div className="form-grid">
        <fieldset className="control-group">
          <legend>{t("reports.controls.asOf")}</legend>
          <select name="asOfKind" value={asOfKind} onChange={(e) => setAsOfKind(e.target.value as AsOfChoice["kind"])} aria-label={t("reports.controls.asOf")}>
            <option value="head">{t("reports.controls.asOfHead")}</option>
            <option value="date">{t("reports.controls.asOfDate")}</option>
            <option value="block">{t("reports.controls.asOfBlock")}</option>
          </select>
          {asOfKind === "date" && (
            <input
              type="date"
              name="asOfDate"
              value={asOfDate}
              required
              onChange={(e) => setAsOfDate(e.target.value)}
              aria-label={t("reports.controls.asOfDate")}
            />
          )}
          {asOfKind === "block" && (
            <input
              name="asOfBlock"
              inputMode="numeric"
              pattern="\d+"
              required
              value={asOfBlock}
              onChange={(e) => setAsOfBlock(e.target.value)}
              placeholder={t("reports.controls.blockPlaceholder")}
              aria-label={t("reports.controls.asOfBlock")}
            />
          )}
        </fieldset>
        <fieldset className="control-group">
          <legend>{t("reports.controls.period")}</legend>
          <select
            name="periodKind"
            value={periodKind}
            onChange={(e) => setPeriodKind(e.target.value as PeriodChoice["kind"])}
            aria-label={t("reports.controls.period")}
          >
            <option value="month">{t("reports.controls.month")}</option>
            <option value="quarter">{t("reports.controls.quarter")}</option>
            <option value="custom">{t("reports.controls.custom")}</option>
          </select>
          {periodKind !== "custom" ? (
            <input
              type="month"
              name="month"
              value={month}
              onChange={(e) => setMonth(e.target.value)}
              aria-label={t("reports.controls.monthOf")}
              title={t("reports.controls.monthHint")}
            />
          ) : (
            <span className="date-range">
              <input type="date" name="from" required value={from} onChange={(e) => setFrom(e.target.value)} aria-label={t("reports.controls.from")} />
              <input type="date" name="to" required value={to} onChange={(e) => setTo(e.target.value)} aria-label={t("reports.controls.to")} />
            </span>
          )}
          <select name="monthBasis" value={basis} onChange={(e) => setBasis(e.target.value as "30" | "calendar")} aria-label={t("reports.controls.monthBasis")}>
            <option value="calendar">{t("reports.controls.basisCalendar")}</option>
            <option value="30">{t("reports.controls.basis30")}</option>
          </select>
        </fieldset>
        <fieldset className="control-group">
          <legend>{t("reports.controls.party")}</legend>
          <select name="partySide" value={side} onChange={(e) => setSide(e.target.value as PartySide | "")} aria-label={t("reports.controls.partySide")}>
            <option value="">{t("reports.controls.partyAll")}</option>
            <option value="seller">{t("reports.controls.partySeller")}</option>
            <option value="buyer">{t("reports.controls.partyBuyer")}</option>
            <option value="holder">{t("reports.controls.partyHolder")}</option>
          </select>
          {side && (
            <>
              <input
                name="party"
                list="report-parties"
                required
                pattern="0x[0-9a-fA-F]{40}"
                value={party}
                onChange={(e) => setParty(e.target.value)}
                placeholder={t("reports.controls.partyPlaceholder")}
                aria-label={t("reports.controls.partyAddress")}
                className="mono"
              />
              <datalist id="report-parties">
                {members.map(([address]) => (
                  <option key={address} value={address}>
                    {companyOf(address)?.name ?? shortHex(address)}
                  </option>
                ))}
              </datalist>
            </>
          )}
        </fieldset>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary">
          {t("reports.controls.apply")}
        </button>
      </div>
    </form>
  );
}
