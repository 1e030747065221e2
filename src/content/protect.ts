// Keeps template tags out of the way of HTML processing (MJML, HTML-to-text): each {{...}} or {%...%}
// becomes an inert token and comes back afterwards, byte for byte.

export class Pieces {
  private readonly list: string[] = [];
  /** Set when some content already holds text shaped like a token (it would be replaced on restore). */
  collision = false;
  /** A token for `source` that HTML tools leave alone. */
  token(source: string): string {
    if (/WMPH\d+X/.test(source)) this.collision = true;
    this.list.push(source);
    return `WMPH${this.list.length - 1}X`;
  }
  /** Replaces every template tag in `s` with a token. */
  protect(s: string): string {
    if (/WMPH\d+X/.test(s)) this.collision = true;
    return s.replace(/\{\{\{[\s\S]*?\}\}\}|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, (m) => this.token(m));
  }
  restore(s: string): string {
    // Pieces may themselves hold tokens (a text block protected inside a wrapper): restore until none.
    let out = s;
    for (let i = 0; i < 4 && /WMPH\d+X/.test(out); i++)
      out = out.replace(/WMPH(\d+)X/g, (_m, n: string) => this.list[Number(n)] ?? '');
    return out;
  }
}
