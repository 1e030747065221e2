// The OpenAPI document with every schema's local `$defs` moved to `components.schemas`. zod's JSON
// Schema of a recursive type (a message document's blocks, a fragment's content) refers to
// `#/$defs/__schema0` inside the route's own schema; OpenAPI readers (renderers, client generators)
// resolve a reference from the document's root, where that one leads nowhere. Each hoisted
// definition gets a unique name and the references under it are rewritten. Pure: the input is left
// as it is.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type OpenApiDocument = { [key: string]: Json };

const LOCAL = '#/$defs/';

export function portableOpenApi(doc: OpenApiDocument): OpenApiDocument {
  const hoisted: Record<string, Json> = {};
  let next = 0;
  const walk = (node: Json, scope: ReadonlyMap<string, string>): Json => {
    if (Array.isArray(node)) return node.map((n) => walk(n, scope));
    if (node === null || typeof node !== 'object') return node;
    let inner = scope;
    const defs = node['$defs'];
    if (defs && typeof defs === 'object' && !Array.isArray(defs)) {
      const names = new Map(scope);
      for (const name of Object.keys(defs))
        names.set(name, `Def${next++}_${name.replace(/[^\w.-]/g, '_')}`);
      inner = names;
      for (const [name, def] of Object.entries(defs)) hoisted[names.get(name)!] = walk(def, inner);
    }
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$defs' && inner !== scope) continue;
      if (k === '$ref' && typeof v === 'string' && v.startsWith(LOCAL)) {
        const target = inner.get(v.slice(LOCAL.length));
        out[k] = target ? `#/components/schemas/${target}` : v;
      } else out[k] = walk(v, inner);
    }
    return out;
  };
  if (!JSON.stringify(doc.paths ?? {}).includes(`"${LOCAL}`)) return doc;
  const paths = walk(doc.paths ?? {}, new Map());
  const components =
    doc.components && typeof doc.components === 'object' && !Array.isArray(doc.components)
      ? doc.components
      : {};
  const schemas =
    components['schemas'] && typeof components['schemas'] === 'object'
      ? (components['schemas'] as { [key: string]: Json })
      : {};
  return { ...doc, components: { ...components, schemas: { ...schemas, ...hoisted } }, paths };
}
