// The directory's contract, run on each store: people, passwords, invitations and resets, roles,
// API keys (lookup by hash, revocation, expiry, rotation) and the principals they stand for.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '../../src/access/policy.ts';
import { ManualClock } from '../../src/runtime/clock.ts';
import { createDirectory } from '../../src/runtime/access/directory.ts';
import type { Directory } from '../../src/runtime/access/contracts.ts';
import { ACCESS_SPACE } from '../../src/runtime/access/directory/records.ts';
import { sha256Hex } from '../../src/runtime/access/directory/secrets.ts';
import type { Store } from '../../src/store/ports.ts';
import { WaymarkError } from '../../src/errors.ts';

const T0 = Date.parse('2026-12-01T09:00:00Z');
const OPERATOR: Actor = { kind: 'operator', id: 'admin', name: 'admin' };
const PASSWORD = 'correct horse battery';

const refusedWith =
  (code: string) =>
  (e: unknown): boolean =>
    e instanceof WaymarkError && e.code === code;

export function runDirectoryContract(name: string, open: () => Promise<Store>): void {
  describe(`directory contract: ${name}`, () => {
    const withDirectory =
      (fn: (d: Directory, clock: ManualClock, store: Store) => Promise<void>) => async () => {
        const store = await open();
        const clock = new ManualClock(T0);
        try {
          await fn(createDirectory({ store, clock }), clock, store);
        } finally {
          await store.close();
        }
      };

    test(
      'a user with a password signs in by email in any case; a wrong password or an unknown email gets the same null',
      withDirectory(async (d, _clock, store) => {
        const u = await d.createUser(
          {
            email: 'Ana@Luma.example',
            name: 'Ana',
            password: PASSWORD,
            roles: [{ role: 'viewer', sandboxes: ['prod'] }],
          },
          OPERATOR,
        );
        assert.equal(u.status, 'active');
        const stored = await store.getObject<{ passwordHash: string }>(ACCESS_SPACE, 'user', u.id);
        assert.match(stored!.body.passwordHash, /^\$argon2id\$/, 'argon2id');
        const ok = await d.verifyPassword('ana@luma.EXAMPLE', PASSWORD);
        assert.deepEqual(ok, { userId: u.id, epoch: 0 });
        assert.ok((await d.getUser(u.id)).lastSignInAt);
        assert.equal(await d.verifyPassword('ana@luma.example', 'wrong password!!'), null);
        assert.equal(await d.verifyPassword('nobody@luma.example', PASSWORD), null);
        await assert.rejects(
          d.createUser({ email: 'ANA@luma.example', password: PASSWORD, roles: [] }, OPERATOR),
          refusedWith('conflict'),
          'emails are unique regardless of case',
        );
      }),
    );

    test(
      'passwords: at least 12 characters, never the email',
      withDirectory(async (d) => {
        await assert.rejects(
          d.createUser({ email: 'a@luma.example', password: 'short', roles: [] }, OPERATOR),
          refusedWith('validation_failed'),
        );
        await assert.rejects(
          d.createUser(
            { email: 'long.name@luma.example', password: 'Long.Name@luma.example', roles: [] },
            OPERATOR,
          ),
          refusedWith('validation_failed'),
        );
      }),
    );

    test(
      'principal of a user: its roles per sandbox; disabled or signed out everywhere is refused at once',
      withDirectory(async (d) => {
        const u = await d
          .createUser(
            {
              email: 'tom@luma.example',
              password: PASSWORD,
              roles: [
                { role: 'journey-manager', sandboxes: ['prod'] },
                { role: 'no-such-role', sandboxes: ['*'] },
              ],
            },
            OPERATOR,
          )
          .catch(() => null);
        assert.equal(u, null, 'an unknown role is refused when granting');
        const tom = await d.createUser(
          {
            email: 'tom@luma.example',
            password: PASSWORD,
            roles: [{ role: 'journey-manager', sandboxes: ['prod'] }],
          },
          OPERATOR,
        );
        const p = await d.principalForUser(tom.id, 0);
        assert.ok('grants' in p);
        assert.deepEqual(p.actor, { kind: 'user', id: tom.id, name: 'tom@luma.example' });
        assert.deepEqual(
          p.grants.map((g) => [g.role.name, g.sandboxes]),
          [['journey-manager', ['prod']]],
        );
        await d.signOutEverywhere(tom.id);
        assert.deepEqual(await d.principalForUser(tom.id, 0), { refused: 'signed-out' });
        assert.ok('grants' in (await d.principalForUser(tom.id, 1)));
        await d.updateUser(tom.id, { status: 'disabled' }, OPERATOR);
        assert.deepEqual(await d.principalForUser(tom.id, 1), { refused: 'disabled' });
        assert.equal(
          await d.verifyPassword('tom@luma.example', PASSWORD),
          null,
          'a disabled user cannot sign in',
        );
        await d.deleteUser(tom.id, OPERATOR);
        assert.deepEqual(await d.principalForUser(tom.id, 2), { refused: 'unknown' });
      }),
    );

    test(
      'invitation: the token is stored as a hash, works once, and expires after 7 days',
      withDirectory(async (d, clock, store) => {
        const { user, token } = await d.inviteUser(
          { email: 'new@luma.example', roles: [{ role: 'viewer', sandboxes: ['prod'] }] },
          OPERATOR,
        );
        assert.equal(user.status, 'invited');
        assert.ok(
          await store.getObject(ACCESS_SPACE, 'invitation', sha256Hex(token)),
          'kept under its hash',
        );
        assert.equal(
          JSON.stringify(await store.listObjects(ACCESS_SPACE, 'invitation')).includes(token),
          false,
          'never in clear',
        );
        assert.equal(
          await d.verifyPassword('new@luma.example', PASSWORD),
          null,
          'no sign-in before accepting',
        );
        await assert.rejects(
          d.acceptInvitation(token, 'short'),
          refusedWith('validation_failed'),
          'a refused password leaves the link usable',
        );
        // Inviting again sends a fresh link; the older one stops working.
        const again = await d.inviteUser(
          { email: 'new@luma.example', roles: [{ role: 'viewer', sandboxes: ['prod'] }] },
          OPERATOR,
        );
        await assert.rejects(d.acceptInvitation(token, PASSWORD), refusedWith('bad_request'));
        const accepted = await d.acceptInvitation(again.token, PASSWORD);
        assert.equal(accepted.status, 'active');
        assert.ok(await d.verifyPassword('new@luma.example', PASSWORD));
        await assert.rejects(
          d.acceptInvitation(again.token, PASSWORD),
          refusedWith('bad_request'),
          'one use',
        );

        const late = await d.inviteUser({ email: 'late@luma.example', roles: [] }, OPERATOR);
        clock.advance(7 * 24 * 3600_000 + 1);
        await assert.rejects(
          d.acceptInvitation(late.token, PASSWORD),
          refusedWith('bad_request'),
          'expired',
        );
      }),
    );

    test(
      'password reset: none for an unknown email; the token works once within the hour and ends the sessions',
      withDirectory(async (d, clock) => {
        assert.equal(await d.requestPasswordReset('ghost@luma.example'), null);
        const u = await d.createUser(
          { email: 'sarah@luma.example', password: PASSWORD, roles: [] },
          OPERATOR,
        );
        const first = await d.requestPasswordReset('SARAH@luma.example');
        assert.ok(first);
        const second = await d.requestPasswordReset('sarah@luma.example');
        await assert.rejects(
          d.completePasswordReset(first.token, 'a new password!'),
          refusedWith('bad_request'),
          'a newer link replaces the older one',
        );
        await d.completePasswordReset(second!.token, 'a new password!');
        assert.equal(await d.verifyPassword('sarah@luma.example', PASSWORD), null);
        assert.deepEqual(await d.verifyPassword('sarah@luma.example', 'a new password!'), {
          userId: u.id,
          epoch: 1,
        });
        await assert.rejects(
          d.completePasswordReset(second!.token, 'another password'),
          refusedWith('bad_request'),
        );
        const third = await d.requestPasswordReset('sarah@luma.example');
        clock.advance(3600_000 + 1);
        await assert.rejects(
          d.completePasswordReset(third!.token, 'another password'),
          refusedWith('bad_request'),
          'an hour at most',
        );
      }),
    );

    test(
      'roles: built-in ones are read-only; custom ones are validated; a held role cannot be deleted',
      withDirectory(async (d) => {
        assert.deepEqual(
          (await d.listRoles()).slice(0, 6).map((r) => r.name),
          [
            'admin',
            'journey-manager',
            'content-manager',
            'audience-manager',
            'viewer',
            'data-ingest',
          ],
        );
        await assert.rejects(
          d.putRole(
            { name: 'viewer', title: 'x', description: '', permissions: [], labels: [] },
            OPERATOR,
          ),
          refusedWith('conflict'),
        );
        await assert.rejects(d.deleteRole('admin', OPERATOR), refusedWith('conflict'));
        await assert.rejects(
          d.putRole(
            {
              name: 'bad',
              title: 'Bad',
              description: '',
              permissions: ['journeys.fly' as never],
              labels: [],
            },
            OPERATOR,
          ),
          refusedWith('validation_failed'),
        );
        await assert.rejects(
          d.putRole(
            { name: 'Bad Name', title: 'Bad', description: '', permissions: [], labels: [] },
            OPERATOR,
          ),
          refusedWith('validation_failed'),
        );
        const r = await d.putRole(
          {
            name: 'finance-editor',
            title: 'Finance editor',
            description: 'Edits finance content',
            permissions: ['content.view', 'content.manage'],
            labels: ['finance'],
          },
          OPERATOR,
        );
        assert.equal(r.builtIn, false);
        assert.deepEqual((await d.getRole('finance-editor')).labels, ['finance']);
        const u = await d.createUser(
          {
            email: 'fin@luma.example',
            password: PASSWORD,
            roles: [{ role: 'finance-editor', sandboxes: ['prod'] }],
          },
          OPERATOR,
        );
        const k = await d.createKey(
          { name: 'finance sync', role: 'finance-editor', sandboxes: ['prod'] },
          OPERATOR,
        );
        await assert.rejects(
          d.deleteRole('finance-editor', OPERATOR),
          (e: unknown) =>
            e instanceof WaymarkError &&
            e.code === 'in_use' &&
            /fin@luma\.example/.test(e.message) &&
            /finance sync/.test(e.message),
        );
        await d.updateUser(u.id, { roles: [] }, OPERATOR);
        await d.revokeKey(k.id, OPERATOR);
        await d.deleteRole('finance-editor', OPERATOR);
        await assert.rejects(d.getRole('finance-editor'), refusedWith('not_found'));
      }),
    );

    test(
      'API keys: answered once, stored under their hash, found by the presented key; revoked and expired keys are refused at once',
      withDirectory(async (d, clock, store) => {
        const created = await d.createKey(
          { name: 'reports', role: 'viewer', sandboxes: ['prod'] },
          OPERATOR,
        );
        assert.match(created.key, /^wmk_[A-Za-z0-9_-]{32,}$/);
        assert.equal(created.prefix, created.key.slice(0, 10));
        assert.ok(
          await store.getObject(ACCESS_SPACE, 'apiKey', sha256Hex(created.key)),
          'object key is the SHA-256 of the key',
        );
        assert.equal(
          JSON.stringify(await d.listKeys()).includes(created.key),
          false,
          'lists never show the key',
        );
        const p = await d.principalForKey(created.key);
        assert.ok('principal' in p);
        assert.equal(p.keyId, created.id);
        assert.deepEqual(p.principal.actor, { kind: 'key', id: created.id, name: 'reports' });
        assert.deepEqual(
          p.principal.grants.map((g) => [g.role.name, g.sandboxes]),
          [['viewer', ['prod']]],
        );
        assert.equal((await d.listKeys())[0]!.lastUsedAt, new Date(T0).toISOString());
        assert.deepEqual(await d.principalForKey('wmk_not-a-key-at-all-000000000000000'), {
          refused: 'unknown',
        });
        await d.revokeKey(created.id, OPERATOR);
        assert.deepEqual(await d.principalForKey(created.key), { refused: 'revoked' });
        assert.deepEqual(await d.principalForKeyId(created.id), { refused: 'revoked' });

        const short = await d.createKey(
          {
            name: 'temp',
            role: 'data-ingest',
            sandboxes: ['*'],
            expiresAt: new Date(T0 + 60_000).toISOString(),
          },
          OPERATOR,
        );
        assert.ok('principal' in (await d.principalForKey(short.key)));
        clock.advance(60_000);
        assert.deepEqual(await d.principalForKey(short.key), { refused: 'expired' });
        await assert.rejects(
          d.createKey(
            {
              name: 'past',
              role: 'viewer',
              sandboxes: ['prod'],
              expiresAt: new Date(T0).toISOString(),
            },
            OPERATOR,
          ),
          refusedWith('validation_failed'),
        );
        await assert.rejects(
          d.createKey({ name: 'nobody', role: 'no-such-role', sandboxes: ['prod'] }, OPERATOR),
          refusedWith('validation_failed'),
        );
      }),
    );

    test(
      'lastUsedAt is written at most once a minute per key',
      withDirectory(async (d, clock) => {
        const k = await d.createKey(
          { name: 'busy', role: 'data-ingest', sandboxes: ['prod'] },
          OPERATOR,
        );
        await d.principalForKey(k.key);
        clock.advance(30_000);
        await d.principalForKey(k.key);
        assert.equal((await d.listKeys())[0]!.lastUsedAt, new Date(T0).toISOString());
        clock.advance(30_000);
        await d.principalForKey(k.key);
        assert.equal((await d.listKeys())[0]!.lastUsedAt, new Date(T0 + 60_000).toISOString());
      }),
    );

    test(
      'rotation: the successor has the same name, role and sandboxes; both work during the overlap, the old one not after',
      withDirectory(async (d, clock) => {
        const old = await d.createKey(
          { name: 'pipeline', role: 'data-ingest', sandboxes: ['prod', 'dev'] },
          OPERATOR,
        );
        const next = await d.rotateKey(old.id, 3600, OPERATOR);
        assert.notEqual(next.key, old.key);
        assert.deepEqual(
          [next.name, next.role, next.sandboxes],
          ['pipeline', 'data-ingest', ['prod', 'dev']],
        );
        const oldView = (await d.listKeys()).find((k) => k.id === old.id)!;
        assert.equal(oldView.rotatedTo, next.id);
        assert.equal(oldView.expiresAt, new Date(T0 + 3600_000).toISOString());
        assert.ok('principal' in (await d.principalForKey(old.key)));
        assert.ok('principal' in (await d.principalForKey(next.key)));
        await assert.rejects(
          d.rotateKey(old.id, undefined, OPERATOR),
          refusedWith('conflict'),
          'rotated once',
        );
        clock.advance(3600_000);
        assert.deepEqual(await d.principalForKey(old.key), { refused: 'expired' });
        assert.ok('principal' in (await d.principalForKey(next.key)));
        const later = await d.rotateKey(next.id, undefined, OPERATOR);
        assert.equal(
          (await d.listKeys()).find((k) => k.id === next.id)!.expiresAt,
          new Date(clock.now() + 24 * 3600_000).toISOString(),
          'a day by default',
        );
        assert.ok('principal' in (await d.principalForKey(later.key)));
      }),
    );

    test(
      'single sign-on: the user of an identity is created, then found again, roles following its groups',
      withDirectory(async (d) => {
        const first = await d.upsertSsoUser({
          issuer: 'https://idp.example',
          subject: 'abc',
          email: 'lee@luma.example',
          name: 'Lee',
          roles: [{ role: 'viewer', sandboxes: ['prod'] }],
        });
        assert.equal(first.sso, true);
        const again = await d.upsertSsoUser({
          issuer: 'https://idp.example',
          subject: 'abc',
          email: 'lee@luma.example',
          roles: [{ role: 'content-manager', sandboxes: ['*'] }],
        });
        assert.equal(again.id, first.id);
        assert.equal(again.epoch, 0, 'the epoch the session opens in');
        await d.signOutEverywhere(first.id);
        assert.equal(
          (
            await d.upsertSsoUser({
              issuer: 'https://idp.example',
              subject: 'abc',
              email: 'lee@luma.example',
              roles: [{ role: 'content-manager', sandboxes: ['*'] }],
            })
          ).epoch,
          1,
        );
        assert.deepEqual(again.roles, [{ role: 'content-manager', sandboxes: ['*'] }]);
        assert.equal(
          await d.requestPasswordReset('lee@luma.example'),
          null,
          'no password to reset',
        );
      }),
    );
  });
}
