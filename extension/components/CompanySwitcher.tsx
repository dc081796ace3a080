import { useId } from "preact/hooks";
import type { CompanyChoice } from "../lib/protocol";
import { t } from "../lib/i18n";

/** The company the owner works on: a plain name when there is one, a menu when there are several. */
export function CompanySwitcher(props: { companies: CompanyChoice[]; companyId: string | null; onSelect: (companyId: string) => void; disabled?: boolean }) {
  const id = useId();
  const current = props.companies.find((c) => c.id === props.companyId);
  if (props.companies.length <= 1) return <span class="company-name">{current?.name ?? ""}</span>;
  return (
    <>
      <label for={id} class="visually-hidden">
        {t("company")}
      </label>
      <select id={id} class="company-select" value={props.companyId ?? ""} disabled={props.disabled} onChange={(e) => props.onSelect(e.currentTarget.value)}>
        {props.companies.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </>
  );
}
