// Where a field sits in JSON text: an issue's path ("definition.rules[0].path", "/schema/type",
// "(root)") turned into a character range, so the JSON tab can mark the line the problem is on.
// A path whose last steps are missing (a required field not typed yet) lands on the nearest object
// that exists, which is where the field has to be added.

export type PathStep = string | number;

/** "a.b[0].c", "a/b/0/c" or "(root)" as steps. */
export function parsePath(path: string): PathStep[] {
  const p = path.trim();
  if (p === '' || p === '(root)' || p === '/') return [];
  if (p.startsWith('/'))
    return p
      .slice(1)
      .split('/')
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
  const out: PathStep[] = [];
  for (const m of p.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

export interface Range {
  readonly from: number;
  readonly to: number;
}

interface Found {
  readonly range: Range;
  readonly keyRange?: Range;
  /** The value itself, not something found inside it. */ readonly own?: boolean;
}

/** A small JSON reader that records where each value (and its property name) starts and ends. */
class Reader {
  i = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }
  string(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.s.length && this.s[this.i] !== '"')
      this.i += this.s[this.i] === '\\' ? 2 : 1;
    this.i++;
    try {
      return JSON.parse(this.s.slice(start, this.i)) as string;
    } catch {
      return this.s.slice(start + 1, this.i - 1);
    }
  }
  /** Reads one value; when `want` has steps left, returns where the deepest step found is. */
  value(want: readonly PathStep[]): Found | null {
    this.ws();
    const from = this.i;
    const c = this.s[this.i];
    let inner: Found | null = null;
    if (c === '{') {
      this.i++;
      for (;;) {
        this.ws();
        if (this.s[this.i] === '}') {
          this.i++;
          break;
        }
        if (this.s[this.i] !== '"') throw new Error('property name expected');
        const kFrom = this.i;
        const k = this.string();
        const keyRange = { from: kFrom, to: this.i };
        this.ws();
        if (this.s[this.i] !== ':') throw new Error(': expected');
        this.i++;
        const hit = want.length > 0 && want[0] === k;
        const found = this.value(hit ? want.slice(1) : []);
        if (hit && found) inner = found.own ? { range: found.range, keyRange } : found;
        this.ws();
        if (this.s[this.i] === ',') {
          this.i++;
          continue;
        }
        if (this.s[this.i] === '}') {
          this.i++;
          break;
        }
        throw new Error(', or } expected');
      }
    } else if (c === '[') {
      this.i++;
      let n = 0;
      for (;;) {
        this.ws();
        if (this.s[this.i] === ']') {
          this.i++;
          break;
        }
        const hit = want.length > 0 && want[0] === n;
        const found = this.value(hit ? want.slice(1) : []);
        if (hit && found) inner = found.own ? { range: found.range } : found;
        n++;
        this.ws();
        if (this.s[this.i] === ',') {
          this.i++;
          continue;
        }
        if (this.s[this.i] === ']') {
          this.i++;
          break;
        }
        throw new Error(', or ] expected');
      }
    } else if (c === '"') {
      this.string();
    } else {
      const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(this.s.slice(this.i));
      if (!m) throw new Error('value expected');
      this.i += m[0].length;
    }
    if (inner) return inner;
    return { range: { from, to: this.i }, own: true };
  }
}

/**
 * The range to mark for `path` in `text`: the property name and value when the field is there, else
 * the nearest enclosing value's first line. Null when the text is not JSON.
 */
export function locate(text: string, path: string): Range | null {
  const steps = parsePath(path);
  let found: Found | null;
  try {
    found = new Reader(text).value(steps);
  } catch {
    return null;
  }
  if (!found) return null;
  const from = found.keyRange?.from ?? found.range.from;
  const end = found.range.to;
  // A whole object or array: mark its first line only, the rest of the screen stays readable.
  const firstLineEnd = text.indexOf('\n', from);
  const to =
    (text[found.range.from] === '{' || text[found.range.from] === '[') &&
    firstLineEnd > from &&
    firstLineEnd < end
      ? firstLineEnd
      : end;
  return { from, to: Math.max(to, from + 1) };
}

/** Where a JSON.parse error points, from its message ("at position 12", "line 3 column 5"). */
export function parseErrorAt(text: string, message: string): number {
  const pos = /position (\d+)/.exec(message);
  if (pos) return Math.min(Number(pos[1]), text.length);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    const lines = text.split('\n');
    let at = 0;
    for (let l = 0; l < Number(lc[1]) - 1 && l < lines.length; l++) at += lines[l]!.length + 1;
    return Math.min(at + Number(lc[2]) - 1, text.length);
  }
  return text.length;
}
