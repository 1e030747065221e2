// JSON text scanned without parsing it: how deep it nests, and whether a string holds an escaped
// NUL (\u0000). Parsers and the checks that walk a parsed value recurse, so a body is measured
// before it is parsed (the API's JSON bodies, the NATS ingest's messages).

export const MAX_BODY_NESTING = 64;

/** The deepest nesting of objects and arrays in JSON text (brackets inside strings do not count). */
export function jsonNesting(text: string): number {
  return scanJson(text).depth;
}

/** One pass over JSON text: the deepest nesting, and whether a string holds an escaped NUL (\u0000). */
export function scanJson(text: string): { depth: number; nul: boolean } {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  let nul = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) {
        if (text.charCodeAt(i + 1) === 117 /* u */ && text.startsWith('0000', i + 2)) nul = true;
        i++;
      } else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return { depth: deepest, nul };
}
