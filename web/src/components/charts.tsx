/** Small charts in plain SVG: no chart library, nothing to load. */

export function Bar({ ratio, label, tone = 'accent' }: { ratio: number; label: string; tone?: string }) {
  const w = Math.max(0, Math.min(1, ratio)) * 100;
  return (
    <svg
      class="bar"
      viewBox="0 0 100 10"
      width="100"
      height="10"
      role="img"
      aria-label={label}
      preserveAspectRatio="none"
    >
      <rect x="0" y="0" width="100" height="10" class="track" />
      <rect x="0" y="0" width={w} height="10" class={tone} />
    </svg>
  );
}

/** Horizontal bars of the most frequent values of a column. */
export function TopValues({
  values,
  total,
  column,
}: {
  values: Array<{ value: string; count: number }>;
  total: number;
  column: string;
}) {
  const max = Math.max(1, ...values.map((v) => v.count));
  const row = 22;
  const height = values.length * row;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 420 ${height}`}
        width="100%"
        height={height}
        role="img"
        aria-label={`Most frequent values of ${column}`}
      >
        {values.map((v, i) => (
          <g key={i} transform={`translate(0 ${i * row})`}>
            <text x="0" y="15" class="chart-label">
              {v.value.length > 22 ? `${v.value.slice(0, 21)}…` : v.value}
            </text>
            <rect x="170" y="4" width={(v.count / max) * 180} height="14" class="accent" />
            <text x={176 + (v.count / max) * 180} y="15" class="chart-label">
              {v.count.toLocaleString()}
              {total ? ` (${((v.count / total) * 100).toFixed(0)} %)` : ''}
            </text>
          </g>
        ))}
      </svg>
      <figcaption class="muted small">Top values of {column}</figcaption>
    </figure>
  );
}
