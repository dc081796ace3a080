/** A Fluent 2 tab list: one panel shown at a time, arrow keys move between tabs (WAI-ARIA tabs pattern). */
import type { ComponentChildren } from "preact";

export interface Tab<K extends string> {
  key: K;
  label: string;
  panel: ComponentChildren;
}

export function Tabs<K extends string>(props: { label: string; tabs: Tab<K>[]; selected: K; onSelect: (key: K) => void }) {
  const { tabs, selected } = props;
  function onKeyDown(event: KeyboardEvent) {
    const index = tabs.findIndex((x) => x.key === selected);
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    const next = event.key === "Home" ? tabs[0] : event.key === "End" ? tabs[tabs.length - 1] : step ? tabs[(index + step + tabs.length) % tabs.length] : null;
    if (!next) return;
    event.preventDefault();
    props.onSelect(next.key);
    (event.currentTarget as HTMLElement).querySelector<HTMLElement>(`#tab-${next.key}`)?.focus();
  }
  return (
    <>
      <div class="tablist" role="tablist" aria-label={props.label} onKeyDown={onKeyDown}>
        {tabs.map((x) => (
          <button
            type="button"
            role="tab"
            id={`tab-${x.key}`}
            key={x.key}
            aria-selected={x.key === selected}
            aria-controls={`panel-${x.key}`}
            tabIndex={x.key === selected ? 0 : -1}
            onClick={() => props.onSelect(x.key)}
          >
            {x.label}
          </button>
        ))}
      </div>
      {/* every panel stays mounted: a half-filled form or a preview survives a look at another tab */}
      {tabs.map((x) => (
        <div role="tabpanel" id={`panel-${x.key}`} key={x.key} aria-labelledby={`tab-${x.key}`} hidden={x.key !== selected}>
          {x.panel}
        </div>
      ))}
    </>
  );
}
