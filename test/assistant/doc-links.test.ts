// Every passage of the Assistant's index cites a page and anchor the built docs site has (VitePress
// makes the anchors: the index must make the same), and the index holds every kind of source.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DOCS_DIST } from '../../src/package-files.ts';
import { docPassages } from '../../src/runtime/assistant/doc-sources.ts';
import { buildDocIndex } from '../../src/runtime/assistant/doc-index.ts';

test('the index holds the docs, the READMEs, both function tables and the schemas’ fields', () => {
  const passages = docPassages();
  const ids = passages.map((p) => p.id);
  for (const prefix of ['docs/', 'README.md', 'src/expr/README.md', 'expr:', 'helper:', 'schema:'])
    assert.ok(
      ids.some((id) => id.startsWith(prefix)),
      `passages from ${prefix}`,
    );
  const index = buildDocIndex(passages);
  assert.equal(index.search('camelCase', 1)[0]?.id, 'helper:camelCase');
});

test(
  'every /docs citation names a page and an anchor of the built site',
  { skip: !existsSync(join(DOCS_DIST, 'index.html')) && 'the site is not built (npm run docs)' },
  () => {
    const pages = new Map<string, string>();
    const broken: string[] = [];
    for (const p of docPassages()) {
      if (!p.href.startsWith('/docs/')) continue;
      const [path, anchor] = p.href.slice('/docs/'.length).split('#') as [
        string,
        string | undefined,
      ];
      const file = join(DOCS_DIST, path === '' || path.endsWith('/') ? `${path}index.html` : path);
      if (!pages.has(file)) pages.set(file, existsSync(file) ? readFileSync(file, 'utf8') : '');
      const html = pages.get(file)!;
      if (html === '') broken.push(`${p.href}: no page`);
      else if (anchor !== undefined && !html.includes(`id="${anchor}"`))
        broken.push(`${p.href}: no anchor`);
    }
    assert.deepEqual(broken, []);
  },
);
