// A duration as amount + unit, stored as ISO-8601 (PT1M, P3D).
const UNITS = [
  { u: 'S', label: 'second', date: false },
  { u: 'M', label: 'minute', date: false },
  { u: 'H', label: 'hour', date: false },
  { u: 'D', label: 'day', date: true },
] as const;

export function parseDuration(v: string | number | undefined): { amount: number; unit: string } {
  if (typeof v === 'number') return { amount: v, unit: 'S' };
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(v ?? '');
  if (!m) return { amount: 1, unit: 'M' };
  if (m[1]) return { amount: Number(m[1]), unit: 'D' };
  if (m[2]) return { amount: Number(m[2]), unit: 'H' };
  if (m[3]) return { amount: Number(m[3]), unit: 'M' };
  return { amount: Number(m[4] ?? 0), unit: 'S' };
}

export function formatDuration(amount: number, unit: string): string {
  return unit === 'D' ? `P${amount}D` : `PT${amount}${unit}`;
}

export function DurationInput(p: {
  label: string;
  value: string | number | undefined;
  onChange(v: string): void;
}) {
  const d = parseDuration(p.value);
  return (
    <div className="duration" role="group" aria-label={p.label}>
      <span>{p.label}</span>
      <input
        type="number"
        min={1}
        aria-label={`${p.label} amount`}
        value={d.amount}
        onChange={(e) =>
          p.onChange(formatDuration(Math.max(1, Math.round(Number(e.target.value) || 1)), d.unit))
        }
      />
      <select
        aria-label={`${p.label} unit`}
        value={d.unit}
        onChange={(e) => p.onChange(formatDuration(d.amount, e.target.value))}
      >
        {UNITS.map((u) => (
          <option key={u.u} value={u.u}>
            {/* Read with the amount: "1 hour", "3 days". */}
            {d.amount === 1 ? u.label : `${u.label}s`}
          </option>
        ))}
      </select>
    </div>
  );
}
