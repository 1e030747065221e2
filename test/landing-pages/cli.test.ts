// `waymark landing-pages`: list, publish, unpublish, report and a signed link, against a real server
// on loopback.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerLandingPageCommands } from '../../src/cli/commands/landing-pages.ts';
import { cliRunner } from '../support/cli.ts';
import { apiWorld } from '../support/server.ts';

test('waymark landing-pages: list, unpublish, publish, report, link', async () => {
  const w = await apiWorld();
  try {
    const base = await w.listen();
    const run = cliRunner(base, (program, out) => registerLandingPageCommands(program, out));
    assert.match(
      await run('landing-pages', 'list'),
      /^email-preferences +published +1 sub-pages +Email preferences\nspring-sale +published +1 sub-pages +Spring sale\n$/,
    );
    assert.equal(
      await run('landing-pages', 'unpublish', 'spring-sale'),
      'spring-sale unpublished\n',
    );
    assert.equal((await fetch(`${base}/lp/prod/spring-sale`)).status, 404);
    assert.equal(await run('landing-pages', 'publish', 'spring-sale'), 'spring-sale published\n');
    assert.equal((await fetch(`${base}/lp/prod/spring-sale`)).status, 200);
    assert.match(
      await run('landing-pages', 'report', 'spring-sale'),
      /^spring-sale: views 1 {2}submissions 0 {2}refused 0 {2}conversions 0 {2}\(0\.0% of views\)\n {2}\(primary\) +views +1 .*\n {2}thank-you +views +0 /,
    );
    const sarah = (await w.request('GET', '/v1/profiles/Email/sarah.miller@luma.example')).body.id;
    const link = await run('landing-pages', 'link', 'email-preferences', '--profile', sarah);
    assert.match(
      link,
      /^http:\/\/waymark\.test\/lp\/prod\/email-preferences\?p=lp1\.[\w-]+\.[\w-]+\n$/,
    );
    const page = await fetch(
      `${base}${new URL(link.trim()).pathname}${new URL(link.trim()).search}`,
    );
    assert.match(await page.text(), /Hello Sarah/);
  } finally {
    await w.close();
  }
});
