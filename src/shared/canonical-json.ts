// JSON text that is the same for equal values whatever the order of their keys: object keys are
// written sorted (by UTF-16 code units, as Array.prototype.sort does), arrays keep their order,
// strings and numbers as JSON.stringify writes them. Used to tell whether an event sent again under
// the same id is the same event: its fingerprint is the hash of this text's UTF-8 bytes. It runs
// once per ingested event, so the text is written as UTF-8 straight into one reused buffer: built
// as a string, it was a tenth of all the bytes the engine allocated per event (BENCHMARKS.md).

const utf8 = new TextDecoder();
let buf = new Uint8Array(4096);
let at = 0;

/** The canonical JSON text of a JSON value (undefined members are left out, as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  return utf8.decode(canonicalJsonUtf8(value));
}

/**
 * The canonical JSON text of a JSON value as UTF-8 bytes. The bytes are a view of a buffer the next
 * call overwrites: hash or copy them before calling again.
 */
export function canonicalJsonUtf8(value: unknown): Uint8Array {
  at = 0;
  write(value);
  return buf.subarray(0, at);
}

function room(bytes: number): void {
  if (at + bytes <= buf.length) return;
  let size = buf.length * 2;
  while (size < at + bytes) size *= 2;
  const grown = new Uint8Array(size);
  grown.set(buf.subarray(0, at));
  buf = grown;
}

/** Text that has only ASCII characters JSON does not escape (numbers, literals, punctuation). */
function ascii(text: string): void {
  room(text.length);
  for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
}

function write(value: unknown): void {
  switch (typeof value) {
    case 'string':
      return string(value);
    case 'number':
      return ascii(Number.isFinite(value) ? String(value) : 'null');
    case 'boolean':
      return ascii(value ? 'true' : 'false');
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'object':
      if (value === null) return ascii('null');
      if (Array.isArray(value)) return array(value);
      return object(value as Record<string, unknown>);
    default:
      // undefined, functions and symbols: null where JSON.stringify gives nothing.
      return ascii('null');
  }
}

function array(items: readonly unknown[]): void {
  room(1);
  buf[at++] = 0x5b; // [
  for (let i = 0; i < items.length; i++) {
    if (i > 0) {
      room(1);
      buf[at++] = 0x2c; // ,
    }
    write(items[i]);
  }
  room(1);
  buf[at++] = 0x5d; // ]
}

function object(record: Record<string, unknown>): void {
  const keys = sortKeys(Object.keys(record));
  room(1);
  buf[at++] = 0x7b; // {
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = record[k];
    if (v === undefined) continue;
    room(1);
    if (!first) buf[at++] = 0x2c; // ,
    first = false;
    string(k);
    room(1);
    buf[at++] = 0x3a; // :
    write(v);
  }
  room(1);
  buf[at++] = 0x7d; // }
}

/**
 * Sorts an object's keys in place by insertion: objects have a handful of keys, often in order
 * already, and Array.prototype.sort allocates a work array on every call.
 */
function sortKeys(keys: string[]): string[] {
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    if (keys[j]! < k) continue;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

const HEX = '0123456789abcdef';
const SHORT_ESCAPES: Readonly<Record<number, number>> = {
  0x08: 0x62, // \b
  0x09: 0x74, // \t
  0x0a: 0x6e, // \n
  0x0c: 0x66, // \f
  0x0d: 0x72, // \r
  0x22: 0x22, // \"
  0x5c: 0x5c, // \\
};

/** A string as JSON.stringify writes it (well-formed: a lone surrogate as \udxxx), in UTF-8. */
function string(s: string): void {
  // At most 6 bytes per UTF-16 unit (\u00xx, or a lone surrogate escaped), and the quotes.
  room(s.length * 6 + 2);
  buf[at++] = 0x22;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x80 && c !== 0x22 && c !== 0x5c) {
      buf[at++] = c;
    } else if (c < 0x20 || c === 0x22 || c === 0x5c) {
      buf[at++] = 0x5c;
      const short = SHORT_ESCAPES[c];
      if (short !== undefined) buf[at++] = short;
      else unicodeEscape(c);
    } else if (c < 0x800) {
      buf[at++] = 0xc0 | (c >> 6);
      buf[at++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        buf[at++] = 0xf0 | (cp >> 18);
        buf[at++] = 0x80 | ((cp >> 12) & 0x3f);
        buf[at++] = 0x80 | ((cp >> 6) & 0x3f);
        buf[at++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        buf[at++] = 0x5c;
        unicodeEscape(c);
      }
    } else {
      buf[at++] = 0xe0 | (c >> 12);
      buf[at++] = 0x80 | ((c >> 6) & 0x3f);
      buf[at++] = 0x80 | (c & 0x3f);
    }
  }
  buf[at++] = 0x22;
}

/** `u` and four lowercase hex digits, after the backslash. */
function unicodeEscape(c: number): void {
  buf[at++] = 0x75;
  buf[at++] = HEX.charCodeAt((c >> 12) & 0xf);
  buf[at++] = HEX.charCodeAt((c >> 8) & 0xf);
  buf[at++] = HEX.charCodeAt((c >> 4) & 0xf);
  buf[at++] = HEX.charCodeAt(c & 0xf);
}
