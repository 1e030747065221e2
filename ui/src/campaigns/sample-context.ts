// A campaign's sample context as the review page edits it: JSON text in, a plain object out, or
// what is wrong with it (where, in the text's lines), so the editor shows it next to the text and
// keeps the text. Pure.

/** A trigger call's bound, as the server's (src/model/campaign.ts MAX_SAMPLE_CONTEXT_CHARS). */
export const MAX_SAMPLE_CONTEXT_CHARS = 200 * 1024;

export type SampleContextParse =
  | { readonly ok: true; readonly value: Record<string, unknown> | undefined }
  | { readonly ok: false; readonly message: string; readonly line?: number };

/** The stored context as the editor shows it: indented JSON, or nothing. */
export function sampleContextText(v: Readonly<Record<string, unknown>> | undefined): string {
  return v === undefined ? '' : JSON.stringify(v, null, 2);
}

/** The line (1-based) of a character offset. */
const lineOf = (text: string, offset: number): number =>
  text.slice(0, Math.max(0, offset)).split('\n').length;

/**
 * The offset where `text` stops being JSON (engines' JSON.parse messages differ, and some name no
 * position): a small recursive-descent scan of the grammar; null when it is JSON.
 */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const word = (w: string) => {
    for (const ch of w) if (text[i++] !== ch) (i--, fail());
  };
  const str = () => {
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i]! < ' ') fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          for (let k = 1; k <= 4; k++)
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) ((i += k), fail());
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (text[i] !== '"') fail();
    i++;
  };
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return str();
    if (c === 't') return word('true');
    if (c === 'f') return word('false');
    if (c === 'n') return word('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return num();
    fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return null;
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, text.length);
    throw at;
  }
}

/**
 * The editor's text as a sample context: empty text is none; otherwise a JSON object (what a
 * trigger call's `context` is) of at most 200 KB.
 */
export function parseSampleContext(text: string): SampleContextParse {
  if (text.trim() === '') return { ok: true, value: undefined };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    const at = jsonErrorOffset(text);
    const line = at === null ? undefined : lineOf(text, at);
    const near =
      at === null
        ? ''
        : text
            .slice(at, at + 12)
            .split('\n')[0]!
            .trim();
    return {
      ok: false,
      message: `Not valid JSON${line !== undefined ? ` (line ${line})` : ''}: ${
        near
          ? `unexpected ${JSON.stringify(near)}`
          : at === text.length
            ? 'it ends too soon'
            : e instanceof Error
              ? e.message
              : String(e)
      }`,
      ...(line !== undefined ? { line } : {}),
    };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return {
      ok: false,
      message: `The sample context is a JSON object, like {"orderId": "1001"}, not ${Array.isArray(v) ? 'a list' : v === null ? 'null' : `a ${typeof v}`}`,
    };
  if (JSON.stringify(v).length > MAX_SAMPLE_CONTEXT_CHARS)
    return {
      ok: false,
      message: `Too large: a trigger call's context is at most ${MAX_SAMPLE_CONTEXT_CHARS / 1024} KB`,
    };
  return { ok: true, value: v as Record<string, unknown> };
}
