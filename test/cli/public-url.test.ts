import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choosePublicUrl } from '../../src/cli/public-url.ts';

test('links in messages point where people reach the server, never at 0.0.0.0', () => {
  // Given explicitly (flag before environment), a trailing slash dropped.
  assert.deepEqual(
    choosePublicUrl({
      publicUrl: 'https://mail.luma.example/',
      env: 'https://x',
      host: '0.0.0.0',
      port: 4600,
    }),
    { url: 'https://mail.luma.example' },
  );
  assert.deepEqual(
    choosePublicUrl({ env: 'https://wm.luma.example', host: '0.0.0.0', port: 4600 }),
    {
      url: 'https://wm.luma.example',
    },
  );
  // A named host: its own address, IPv6 in brackets.
  assert.deepEqual(choosePublicUrl({ host: '127.0.0.1', port: 3000 }), {
    url: 'http://127.0.0.1:3000',
  });
  assert.deepEqual(choosePublicUrl({ host: '::1', port: 3000 }), { url: 'http://[::1]:3000' });
  // Every interface: the machine's name, with a warning that says what to pass.
  for (const host of ['0.0.0.0', '::']) {
    const c = choosePublicUrl({ host, port: 4600, machine: 'engine-1' });
    assert.equal(c.url, 'http://engine-1:4600');
    assert.match(c.warning ?? '', /--public-url/);
    assert.match(c.warning ?? '', /WAYMARK_PUBLIC_URL/);
  }
});
