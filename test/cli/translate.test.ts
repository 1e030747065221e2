// `waymark translate` and `waymark translation-projects` against a real server: the cart-abandoned
// template translated with the development translator and followed to the end; bad input named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerTranslateCommands } from '../../src/cli/commands/translate.ts';
import { cliRunner } from '../support/cli.ts';
import { apiWorld } from '../support/server.ts';

test('translate a template from the command line, wait for it, list and show projects', async () => {
  const w = await apiWorld();
  try {
    w.app.translations.configure([{ kind: 'development' }]);
    const run = cliRunner(await w.listen(), (program, out) =>
      registerTranslateCommands(program, out),
    );
    assert.match(await run('translation-projects'), /no translation projects/);

    const waited = await run(
      'translate',
      '--template',
      'luma-cart-abandoned-email',
      '--to',
      'es_ES,fr_FR',
      '--provider',
      'development',
      '--wait',
    );
    assert.match(waited, /^tp-\S+ {2}completed\n/);
    assert.match(
      waited,
      /Luma - Cart Abandoned Email \(content template luma-cart-abandoned-email\), en_US -> es_ES, fr_FR by development \(not a real translation\)/,
    );
    assert.match(
      waited,
      /es_ES +completed +"\{\{profile\.person\.name\.firstName\}\}, tu carrito te espera"/,
    );
    assert.match(
      waited,
      /fr_FR +completed +"\{\{profile\.person\.name\.firstName\}\}, votre panier vous attend"/,
    );
    const id = /^(tp-\S+)/.exec(waited)?.[1] ?? '';

    const started = await run(
      'translate',
      '--template',
      'luma-cart-abandoned-email',
      '--to',
      'fr_FR',
      '--review',
    );
    assert.match(
      started,
      /translation project tp-\S+ started: Luma - Cart Abandoned Email, en_US -> fr_FR/,
    );
    await w.app.translations.settle();

    const list = await run('translation-projects');
    const lines = list.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /ready_for_review .* fr_FR:ready_for_review$/, 'newest first');
    assert.match(lines[1]!, new RegExp(`^${id} +completed .* es_ES:completed fr_FR:completed$`));
    assert.match(await run('translation-projects', id), /es_ES +completed/);
    assert.equal(
      JSON.parse(await run('translation-projects', id, '--json')).result.locales.es_ES.subject,
      '{{profile.person.name.firstName}}, tu carrito te espera',
    );

    await assert.rejects(
      run('translate', '--template', 'luma-cart-abandoned-email', '--to', 'de_DE'),
      /400 the target locales are invalid\n {2}targets\.0: not a locale of Luma_Language_Settings/,
    );
    await assert.rejects(
      run('translate', '--template', 'nope'),
      /source\.key: no content template with this id/,
    );
  } finally {
    await w.close();
  }
});
