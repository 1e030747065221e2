// The development translator: NOT a real translation. It lets a laptop (serve --demo) run translation
// projects end to end with no account: a small phrase and word table for common email words in
// Spanish and French, and a "[es_ES] " mark on every sentence it has no word for, so that nobody
// mistakes its output for a translation. Tags, attributes and protected template tags
// (<span class="notranslate">) pass through untouched, as with the real providers.
import type { TranslationProvider, TranslationRequest } from '../../content/translation.ts';

export const DEVELOPMENT_TRANSLATOR_NAME = 'development (not a real translation)';

type Table = ReadonlyArray<readonly [string, string]>;

// Phrases first (longest first when applied), then single words.
const tables: Readonly<Record<string, { phrases: Table; words: Table }>> = {
  es: {
    phrases: [
      ['your cart is waiting', 'tu carrito te espera'],
      ['your cart is still waiting for you', 'tu carrito todavía te espera'],
      ['did you forget something?', '¿olvidaste algo?'],
      ['return to my cart', 'volver a mi carrito'],
      ['complete your order', 'completa tu pedido'],
      ['thank you', 'gracias'],
      ['your order', 'tu pedido'],
      ['sell out', 'se agoten'],
      ['before your', 'antes de que tus'],
    ],
    words: [
      ['hello', 'hola'],
      ['cart', 'carrito'],
      ['order', 'pedido'],
      ['your', 'tu'],
      ['my', 'mi'],
      ['items', 'artículos'],
      ['item', 'artículo'],
      ['price', 'precio'],
      ['quantity', 'cantidad'],
      ['qty', 'cant.'],
      ['unsubscribe', 'darse de baja'],
      ['shop', 'comprar'],
      ['now', 'ahora'],
      ['free', 'gratis'],
      ['shipping', 'envío'],
      ['offer', 'oferta'],
      ['new', 'nuevo'],
      ['today', 'hoy'],
      ['still', 'todavía'],
      ['waiting', 'esperando'],
      ['for', 'para'],
      ['you', 'ti'],
      ['and', 'y'],
      ['the', 'el'],
      ['is', 'es'],
      ['with', 'con'],
      ['complete', 'completa'],
      ['forget', 'olvidar'],
      ['something', 'algo'],
      ['return', 'volver'],
      ['to', 'a'],
      ['of', 'de'],
      ['code', 'código'],
      ['promo', 'promoción'],
      ['thanks', 'gracias'],
    ],
  },
  fr: {
    phrases: [
      ['your cart is waiting', 'votre panier vous attend'],
      ['your cart is still waiting for you', 'votre panier vous attend toujours'],
      ['did you forget something?', 'vous avez oublié quelque chose ?'],
      ['return to my cart', 'retourner à mon panier'],
      ['complete your order', 'finalisez votre commande'],
      ['thank you', 'merci'],
      ['your order', 'votre commande'],
      ['sell out', 'soient épuisés'],
      ['before your', 'avant que vos'],
    ],
    words: [
      ['hello', 'bonjour'],
      ['cart', 'panier'],
      ['order', 'commande'],
      ['your', 'votre'],
      ['my', 'mon'],
      ['items', 'articles'],
      ['item', 'article'],
      ['price', 'prix'],
      ['quantity', 'quantité'],
      ['qty', 'qté'],
      ['unsubscribe', 'se désabonner'],
      ['shop', 'acheter'],
      ['now', 'maintenant'],
      ['free', 'gratuit'],
      ['shipping', 'livraison'],
      ['offer', 'offre'],
      ['new', 'nouveau'],
      ['today', "aujourd'hui"],
      ['still', 'toujours'],
      ['waiting', 'en attente'],
      ['for', 'pour'],
      ['you', 'vous'],
      ['and', 'et'],
      ['the', 'le'],
      ['is', 'est'],
      ['with', 'avec'],
      ['complete', 'finalisez'],
      ['forget', 'oublier'],
      ['something', 'quelque chose'],
      ['return', 'retourner'],
      ['to', 'à'],
      ['of', 'de'],
      ['code', 'code'],
      ['promo', 'promo'],
      ['thanks', 'merci'],
    ],
  },
};

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const keepCase = (source: string, target: string): string =>
  /^[A-Z]/.test(source) ? target.charAt(0).toUpperCase() + target.slice(1) : target;

/** Replaces the table's phrases and words in one text segment; how many were replaced. */
function translateSegment(text: string, lang: string): { text: string; hits: number } {
  const t = tables[lang];
  if (t === undefined) return { text, hits: 0 };
  let hits = 0;
  let out = text;
  const entries = [...t.phrases].sort((a, b) => b[0].length - a[0].length);
  // Phrases become placeholders so that words inside a translated phrase are not translated again.
  const held: string[] = [];
  for (const [from, to] of entries) {
    out = out.replace(new RegExp(`(?<![\\p{L}])${escapeRe(from)}(?![\\p{L}])`, 'giu'), (m) => {
      hits++;
      held.push(keepCase(m, to));
      return `\u0000${held.length - 1}\u0000`;
    });
  }
  out = out.replace(/\p{L}[\p{L}']*/gu, (m) => {
    const hit = t.words.find(([from]) => from === m.toLowerCase());
    if (hit === undefined) return m;
    hits++;
    return keepCase(m, hit[1]);
  });
  return { text: out.replace(/\u0000(\d+)\u0000/g, (_, i: string) => held[Number(i)] ?? ''), hits };
}

/** One text (HTML or plain): tags and protected spans kept, each sentence translated or marked. */
export function developmentTranslate(text: string, to: string): string {
  const lang = (to.split(/[_-]/)[0] ?? '').toLowerCase();
  const mark = `[${to}] `;
  const parts = text.split(/(<span class="notranslate"[^>]*>[\s\S]*?<\/span>|<[^>]+>)/);
  let marked = false;
  return parts
    .map((p) => {
      if (p.startsWith('<')) return p;
      if (!/\p{L}/u.test(p)) return p;
      const r = translateSegment(p, lang);
      if (r.hits > 0) return r.text;
      // A sentence with no word from the table: marked, once per text, where its letters start.
      if (marked) return p;
      marked = true;
      const at = p.search(/\S/);
      return `${p.slice(0, at)}${mark}${p.slice(at)}`;
    })
    .join('');
}

/** The translation port served from the tables above; never calls out. */
export function developmentTranslator(): TranslationProvider {
  return {
    name: DEVELOPMENT_TRANSLATOR_NAME,
    async translate(req: TranslationRequest): Promise<string[]> {
      return req.texts.map((t) => developmentTranslate(t, req.to));
    },
  };
}
