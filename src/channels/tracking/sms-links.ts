// The links of an SMS body, for the link shortener (src/runtime/short-links.ts): every absolute
// http(s) URL, without the punctuation that ends the sentence around it. Pure.

export interface FoundLink {
  readonly start: number;
  readonly end: number;
  readonly url: string;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/gi;
const TRAILING = /[.,;:!?'"]+$/;

/**
 * The URLs of a text message, in order. A trailing `.`, `,`, `!`… is the sentence's, and a
 * closing bracket is the URL's only when it opened one inside it.
 *
 * @example
 * findSmsLinks('Shop now: https://luma.example/sale. Bye') // [{ start: 10, end: 35, url: 'https://luma.example/sale' }]
 */
export function findSmsLinks(text: string): FoundLink[] {
  const out: FoundLink[] = [];
  for (const m of text.matchAll(URL_IN_TEXT)) {
    let url = m[0];
    for (;;) {
      const before = url;
      url = url.replace(TRAILING, '');
      for (const [open, close] of [
        ['(', ')'],
        ['[', ']'],
        ['{', '}'],
      ] as const)
        if (url.endsWith(close) && url.split(open).length < url.split(close).length)
          url = url.slice(0, -1);
      if (url === before) break;
    }
    if (!/^https?:\/\/[^/?#\s]+/i.test(url)) continue;
    out.push({ start: m.index, end: m.index + url.length, url });
  }
  return out;
}
