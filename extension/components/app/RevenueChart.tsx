import { CHART, revenueBars, type MonthRevenue } from "../../lib/app/revenue-chart";
import { t } from "../../lib/i18n";

/**
 * Revenue HT month by month as an inline SVG bar chart: an image with a title and, for screen
 * readers, every month's amount as text in its description; each bar says its own on hover.
 */
export function RevenueChart(props: { months: readonly MonthRevenue[] }) {
  const { bars, zero } = revenueBars(props.months);
  const width = props.months.length * CHART.slot;
  return (
    <svg class="revenue-chart" viewBox={`0 0 ${width} ${CHART.height}`} role="img" aria-labelledby="revenue-chart-title revenue-chart-desc" data-testid="revenue-chart">
      <title id="revenue-chart-title">{t("appHomeChartTitle")}</title>
      <desc id="revenue-chart-desc">{bars.map((b) => b.text).join(" ; ")}</desc>
      <line x1="0" x2={width} y1={zero} y2={zero} class="zero" />
      {bars.map((b) => (
        <g key={b.month} data-month={b.month}>
          <rect x={b.x} y={b.y} width={b.width} height={b.height} class={b.negative ? "bar negative" : "bar"}>
            <title>{b.text}</title>
          </rect>
          <text x={b.x + b.width / 2} y={CHART.top + CHART.plot + 14} text-anchor="middle" aria-hidden="true">
            {b.short}
          </text>
        </g>
      ))}
    </svg>
  );
}
