// ISO-8601 durations as people say them: "PT1M" → "1 minute", "PT2H30M" → "2 hours 30 minutes".
// Pure: the canvas and the panels show durations through this, never the raw ISO text.
const PARTS: ReadonlyArray<readonly [number, string]> = [
  [1, 'year'],
  [2, 'month'],
  [3, 'week'],
  [4, 'day'],
  [5, 'hour'],
  [6, 'minute'],
  [7, 'second'],
];
const ISO =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** A duration (ISO text, or seconds as a number) in words; text that is not a duration comes back as it is. */
export function durationText(v: string | number | undefined | null): string {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v === 'number') return v === 0 ? '0 seconds' : secondsText(v);
  const m = ISO.exec(v);
  if (!m || v === 'P' || v.endsWith('T')) return v;
  const words = PARTS.flatMap(([i, unit]) => {
    const raw = m[i];
    if (raw === undefined) return [];
    const n = Number(raw);
    return n === 0 ? [] : [`${raw} ${unit}${n === 1 ? '' : 's'}`];
  });
  return words.length ? words.join(' ') : '0 seconds';
}

function secondsText(total: number): string {
  const units: Array<[number, string]> = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  let rest = total;
  const words: string[] = [];
  for (const [size, unit] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      words.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
      rest -= n * size;
    }
  }
  return words.join(' ') || `${total} seconds`;
}
