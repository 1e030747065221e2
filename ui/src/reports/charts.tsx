// Small SVG charts (no chart library): grouped bars and a time series.
const ticks = (max: number) => (max >= 2 ? [0, 0.5, 1] : [0, 1]);
const tickLabel = (max: number, f: number) => String(Math.round(max * f));
const short = (c: string, n: number) => (c.length > n ? `${c.slice(0, n - 1)}…` : c);

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly values: readonly number[];
}

export function BarChart(p: {
  title: string;
  categories: readonly string[];
  series: readonly Series[];
}) {
  const max = Math.max(1, ...p.series.flatMap((s) => s.values));
  const W = 640,
    H = 240,
    left = 40,
    bottom = 80;
  const groupW = (W - left) / Math.max(1, p.categories.length);
  const barW = Math.max(4, (groupW - 12) / p.series.length);
  return (
    <figure className="chart" aria-label={p.title}>
      <figcaption>{p.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={p.title}>
        {ticks(max).map((f) => (
          <g key={f}>
            <line
              x1={left}
              x2={W}
              y1={(H - bottom) * (1 - f) + 5}
              y2={(H - bottom) * (1 - f) + 5}
              className="gridline"
            />
            <text x={left - 6} y={(H - bottom) * (1 - f) + 9} textAnchor="end">
              {tickLabel(max, f)}
            </text>
          </g>
        ))}
        {p.categories.map((c, i) => (
          <g key={c} transform={`translate(${left + i * groupW + 6},0)`}>
            {p.series.map((s, k) => {
              const h = ((s.values[i] ?? 0) / max) * (H - bottom);
              return (
                <rect
                  key={s.name}
                  x={k * barW}
                  y={H - bottom - h + 5}
                  width={barW - 2}
                  height={h}
                  fill={s.color}
                >
                  <title>{`${c} · ${s.name}: ${s.values[i] ?? 0}`}</title>
                </rect>
              );
            })}
            <text
              transform={`translate(${groupW / 2 - 6},${H - bottom + 14}) rotate(30)`}
              textAnchor="start"
              className="cat"
            >
              <title>{c}</title>
              {short(c, 18)}
            </text>
          </g>
        ))}
      </svg>
      <Legend series={p.series} />
    </figure>
  );
}

export function LineChart(p: {
  title: string;
  labels: readonly string[];
  series: readonly Series[];
}) {
  const max = Math.max(1, ...p.series.flatMap((s) => s.values));
  const W = 640,
    H = 200,
    left = 40,
    bottom = 30;
  const n = Math.max(1, p.labels.length - 1);
  const x = (i: number) => left + (i / n) * (W - left - 10);
  const y = (v: number) => (H - bottom) * (1 - v / max) + 5;
  return (
    <figure className="chart" aria-label={p.title}>
      <figcaption>{p.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={p.title}>
        {ticks(max).map((f) => (
          <g key={f}>
            <line x1={left} x2={W} y1={y(max * f)} y2={y(max * f)} className="gridline" />
            <text x={left - 6} y={y(max * f) + 4} textAnchor="end">
              {tickLabel(max, f)}
            </text>
          </g>
        ))}
        {p.labels.length === 1 &&
          p.series.map((s) => (
            <circle key={s.name} cx={x(0)} cy={y(s.values[0] ?? 0)} r={4} fill={s.color} />
          ))}
        {p.series.map((s) => (
          <polyline
            key={s.name}
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
          />
        ))}
        {p.labels.map((l, i) =>
          i % Math.ceil(p.labels.length / 8) === 0 ? (
            <text key={i} x={x(i)} y={H - 8} textAnchor="middle">
              {l}
            </text>
          ) : null,
        )}
      </svg>
      <Legend series={p.series} />
    </figure>
  );
}

function Legend(p: { series: readonly Series[] }) {
  return (
    <div className="legend">
      {p.series.map((s) => (
        <span key={s.name}>
          <i style={{ background: s.color }} /> {s.name}
        </span>
      ))}
    </div>
  );
}
