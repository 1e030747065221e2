// The sandboxes that exist, with their type and settings, stored in the reserved `_access` space of
// the object store (kind `sandbox`, key = name). `prod` always exists, stored or not. Sandboxes that
// held data before the registry existed are registered as development at first use, so an upgrade
// loses nothing. Experience-event retention stays where the retention job reads it (the sandbox's
// `eventRetentionDays` setting, src/runtime/audiences/profile-admin.ts): one value, two doors.
import type { SandboxSettings, SandboxView } from '../../access/api-types.ts';
import { SYSTEM_ACTOR, type Actor } from '../../access/policy.ts';
import { ErrorCode, validationFailed, WaymarkError } from '../../errors.ts';
import type { Store } from '../../store/ports.ts';
import { RETENTION_KEY } from '../audiences/profile-admin.ts';
import { readRetention, writeRetention } from '../retention/settings.ts';
import type { Clock } from '../clock.ts';
import {
  assistantDefaultsFromEnv,
  type AssistantOverrides,
  type AssistantSandboxSettings,
} from '../assistant/sandbox-defaults.ts';
import type { SandboxRegistry } from './contracts.ts';

export const ACCESS_SPACE = '_access';
export const SANDBOX_KIND = 'sandbox';
export const PRODUCTION_SANDBOX = 'prod';

/** What a new sandbox may be called: a letter first (names that start with `_` are the server's own). */
export const NEW_SANDBOX_NAME = /^[a-z][a-z0-9-]{0,62}$/;
/** Any name a sandbox may have (older ones may start with a digit): the x-sandbox-name header's form. */
const ANY_SANDBOX_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

interface StoredSandbox {
  readonly name: string;
  readonly title: string;
  readonly type: 'production' | 'development';
  readonly createdAt: string;
  readonly createdBy: Actor;
  /** `campaigns` is absent on sandboxes stored before campaign policies existed. */
  readonly approvals: {
    readonly journeyPublish: boolean;
    /** Absent on sandboxes stored before named approvers existed. */
    readonly journeyApprovers?: SandboxSettings['approvals']['journeyApprovers'];
    readonly campaigns?: SandboxSettings['approvals']['campaigns'];
  };
  /** The Assistant settings changed here; absent keys follow the defaults (the environment). */
  readonly assistant?: AssistantOverrides;
}

const DEFAULT_APPROVALS = { journeyPublish: false, campaigns: [] } as const;

export function createSandboxRegistry(deps: {
  store: Store;
  clock: Clock;
  /** The Assistant settings of a sandbox that has not changed them; the environment's when absent. */
  assistantDefaults?: (sandbox: string) => AssistantSandboxSettings;
}): SandboxRegistry {
  const { store, clock } = deps;
  const assistantDefaults = deps.assistantDefaults ?? assistantDefaultsFromEnv();
  const nowIso = (): string => new Date(clock.now()).toISOString();
  // Names known to exist in this process; a miss reads the store again (another process may have
  // created it), so only positives are kept. Create and delete here keep it right.
  const known = new Set<string>([PRODUCTION_SANDBOX]);
  let migrated: Promise<void> | null = null;

  /** Registers, once, every sandbox that holds data but has no entry (as development; prod as production). */
  function migrate(): Promise<void> {
    migrated ??= (async () => {
      const registered = new Set(
        (await store.listObjects<StoredSandbox>(ACCESS_SPACE, SANDBOX_KIND)).map((o) => o.key),
      );
      for (const name of await store.sandboxesWithData()) {
        if (registered.has(name) || !ANY_SANDBOX_NAME.test(name)) continue;
        await store.putObject<StoredSandbox>(
          ACCESS_SPACE,
          SANDBOX_KIND,
          name,
          {
            name,
            title: name === PRODUCTION_SANDBOX ? 'Production' : name,
            type: name === PRODUCTION_SANDBOX ? 'production' : 'development',
            createdAt: nowIso(),
            createdBy: SYSTEM_ACTOR,
            approvals: DEFAULT_APPROVALS,
          },
          nowIso(),
        );
      }
    })().catch(() => {
      // Tried again at the next use rather than leaving sandboxes unregistered for good; meanwhile
      // the registered sandboxes (and prod) still answer.
      migrated = null;
    });
    return migrated;
  }

  const implicitProd = (): StoredSandbox => ({
    name: PRODUCTION_SANDBOX,
    title: 'Production',
    type: 'production',
    createdAt: new Date(0).toISOString(),
    createdBy: SYSTEM_ACTOR,
    approvals: DEFAULT_APPROVALS,
  });

  async function stored(name: string): Promise<StoredSandbox | null> {
    const o = await store.getObject<StoredSandbox>(ACCESS_SPACE, SANDBOX_KIND, name);
    if (o) return o.body;
    return name === PRODUCTION_SANDBOX ? implicitProd() : null;
  }

  async function retentionOf(name: string): Promise<number | null> {
    const v = await store.getSetting(name, RETENTION_KEY);
    return typeof v === 'number' ? v : null;
  }

  async function otherRetentionOf(name: string): Promise<SandboxSettings['retention']> {
    const r = await readRetention(store, name);
    return { messages: r.messages, deadLetters: r.deadLetters, audit: r.audit };
  }

  async function view(s: StoredSandbox): Promise<SandboxView> {
    return {
      name: s.name,
      title: s.title,
      type: s.type,
      createdAt: s.createdAt,
      createdBy: s.createdBy,
      settings: {
        retentionDays: await retentionOf(s.name),
        retention: await otherRetentionOf(s.name),
        approvals: {
          journeyPublish: s.approvals.journeyPublish,
          journeyApprovers: s.approvals.journeyApprovers ?? { users: [], roles: [] },
          campaigns: s.approvals.campaigns ?? [],
        },
        assistant: { ...assistantDefaults(s.name), ...s.assistant },
      },
    };
  }

  async function mustGet(name: string): Promise<StoredSandbox> {
    await migrate();
    const s = await stored(name);
    if (!s)
      throw new WaymarkError(ErrorCode.NotFound, `sandbox "${name}" does not exist`, {
        details: { what: 'sandbox', key: name },
      });
    return s;
  }

  function checkConfirm(name: string, confirm: string, what: 'reset' | 'delete'): void {
    if (confirm !== name) {
      throw validationFailed(`type the sandbox's name to confirm the ${what}`, [
        {
          path: 'confirm',
          message: `must be the sandbox's name, "${name}"`,
          expected: name,
          received: confirm,
        },
      ]);
    }
  }

  return {
    async list() {
      await migrate();
      const all = (await store.listObjects<StoredSandbox>(ACCESS_SPACE, SANDBOX_KIND)).map(
        (o) => o.body,
      );
      if (!all.some((s) => s.name === PRODUCTION_SANDBOX)) all.push(implicitProd());
      for (const s of all) known.add(s.name);
      all.sort((a, b) =>
        a.name === PRODUCTION_SANDBOX
          ? -1
          : b.name === PRODUCTION_SANDBOX
            ? 1
            : a.name.localeCompare(b.name),
      );
      return Promise.all(all.map(view));
    },

    async get(name) {
      return view(await mustGet(name));
    },

    async exists(name) {
      if (known.has(name)) return true;
      if (!ANY_SANDBOX_NAME.test(name)) return false;
      await migrate();
      const found = (await stored(name)) !== null;
      if (found) known.add(name);
      return found;
    },

    async create(input, by) {
      if (!NEW_SANDBOX_NAME.test(input.name)) {
        throw validationFailed('the sandbox name is invalid', [
          {
            path: 'name',
            message: 'a lowercase letter first, then lowercase letters, digits and - (at most 63)',
            expected: '[a-z][a-z0-9-]{0,62}',
            received: input.name,
          },
        ]);
      }
      await migrate();
      if (await stored(input.name))
        throw new WaymarkError(ErrorCode.Conflict, `sandbox "${input.name}" already exists`, {
          details: { what: 'sandbox', key: input.name },
        });
      const s: StoredSandbox = {
        name: input.name,
        title: input.title?.trim() || input.name,
        type: input.type,
        createdAt: nowIso(),
        createdBy: by,
        approvals: DEFAULT_APPROVALS,
      };
      await store.putObject<StoredSandbox>(ACCESS_SPACE, SANDBOX_KIND, s.name, s, s.createdAt);
      known.add(s.name);
      return view(s);
    },

    async reset(name, confirm, _by) {
      await mustGet(name);
      checkConfirm(name, confirm, 'reset');
      // The retention settings live in the sandbox's own settings table, which the erase empties.
      const retention = await retentionOf(name);
      const others = await otherRetentionOf(name);
      await store.eraseSandbox(name);
      if (retention !== null) await store.putSetting(name, RETENTION_KEY, retention);
      await writeRetention(store, name, others);
    },

    async delete(name, confirm, _by) {
      const s = await mustGet(name);
      if (s.type === 'production')
        throw new WaymarkError(
          ErrorCode.Conflict,
          `sandbox "${name}" is a production sandbox: it cannot be deleted`,
          { details: { what: 'sandbox', key: name } },
        );
      checkConfirm(name, confirm, 'delete');
      await store.eraseSandbox(name);
      await store.deleteObject(ACCESS_SPACE, SANDBOX_KIND, name);
      known.delete(name);
    },

    async settings(name) {
      return (await view(await mustGet(name))).settings;
    },

    async putSettings(name, settings: SandboxSettings, _by) {
      const s = await mustGet(name);
      // Only what changes is kept as the sandbox's own: a setting saved as shown keeps following
      // the default; once changed here, it stays the sandbox's.
      const shown = { ...assistantDefaults(name), ...s.assistant };
      const assistant: AssistantOverrides = Object.fromEntries(
        (['model', 'personalData'] as const)
          .filter((k) => s.assistant?.[k] !== undefined || settings.assistant[k] !== shown[k])
          .map((k) => [k, settings.assistant[k]]),
      );
      const next: StoredSandbox = {
        ...s,
        ...(Object.keys(assistant).length > 0 ? { assistant } : {}),
        approvals: {
          journeyPublish: settings.approvals.journeyPublish,
          journeyApprovers: settings.approvals.journeyApprovers,
          campaigns: settings.approvals.campaigns,
        },
      };
      await store.putObject<StoredSandbox>(ACCESS_SPACE, SANDBOX_KIND, name, next, nowIso());
      if (settings.retentionDays !== (await retentionOf(name)))
        await store.putSetting(name, RETENTION_KEY, settings.retentionDays);
      await writeRetention(store, name, settings.retention);
      known.add(name);
      return view(next);
    },

    async assistantOverrides(name) {
      return (await stored(name))?.assistant ?? {};
    },
  };
}
