// Create, read, update, delete for every stored kind (event types, actions, fragments, ...).
import { notFound, validationFailed, versionConflict } from '../errors.ts';
import type { StoredObject } from '../store/ports.ts';
import type { RuntimeParts } from './runtime-parts.ts';
import type { SecretBox } from './secret-box.ts';
import { compileAudience } from '../audience/index.ts';
import type { Audience } from '../model/audience.ts';
import type { Offer } from '../model/offer.ts';
import type { DecisionPolicy } from '../model/decision-policy.ts';
import { validateOfferExpressions, validatePolicyExpressions } from '../offers/index.ts';
import { objectKindByName, type ObjectKind } from './object-kinds.ts';
import { zodIssues } from './zod-issues.ts';
import { assertNotInUse, setArchived, type ArchiveMark } from './references.ts';
import type { ObjectRef } from './dependency-graph.ts';

type ObjectCheck = (sandbox: string, value: Record<string, unknown>) => Promise<void>;

export class ObjectService {
  /** Checks a kind's saves must pass besides its schema (a webhook's host), by kind. */
  private readonly checks = new Map<string, ObjectCheck>();
  /** Told after an object of a kind is saved or deleted (caches outside the catalog). */
  private readonly listeners: Array<(sandbox: string, kind: string) => void> = [];

  addCheck(kind: string, check: ObjectCheck): void {
    this.checks.set(kind, check);
  }

  onChange(listener: (sandbox: string, kind: string) => void): void {
    this.listeners.push(listener);
  }

  private changed(sandbox: string, kind: string): void {
    for (const l of this.listeners) l(sandbox, kind);
  }

  constructor(
    private readonly rt: RuntimeParts,
    readonly secrets: SecretBox,
  ) {}

  kind(name: string): ObjectKind {
    const k = objectKindByName.get(name);
    if (!k) throw notFound('object kind', name);
    return k;
  }

  parse(
    kindName: string,
    body: unknown,
  ): { kind: ObjectKind; value: Record<string, unknown>; key: string } {
    const kind = this.kind(kindName);
    const r = kind.schema.safeParse(body);
    if (!r.success) throw validationFailed(`the ${kind.title} is invalid`, zodIssues(r.error));
    const value = r.data as Record<string, unknown>;
    if (kindName === 'eventType') {
      const problem = this.rt.catalogs.checkSchema(value.schema);
      if (problem)
        throw validationFailed(`the ${kind.title} is invalid`, [
          { path: 'schema', message: `not a usable JSON Schema: ${problem}` },
        ]);
    }
    const expressionIssues =
      kindName === 'offer'
        ? validateOfferExpressions(value as unknown as Offer)
        : kindName === 'decisionPolicy'
          ? validatePolicyExpressions(value as unknown as DecisionPolicy)
          : [];
    if (expressionIssues.length > 0)
      throw validationFailed(`the ${kind.title} is invalid`, [...expressionIssues]);
    return { kind, value, key: kind.keyOf(value) };
  }

  /** An audience must compile against the sandbox: known event types and audiences, no cycle. */
  private async checkAudience(sandbox: string, audience: Audience): Promise<void> {
    const catalog = await this.rt.catalogs.get(sandbox);
    const others = (await this.rt.store.listObjects<Audience>(sandbox, 'audience')).filter(
      (o) => o.body.name !== audience.name,
    );
    const known = [...others.map((o) => o.body.name), audience.name];
    const dependencies: Record<string, string[]> = {};
    for (const o of others) {
      const r = compileAudience(o.body, {
        audiences: known,
        eventTypes: [...catalog.eventTypes.keys()],
      });
      if (r.ok) dependencies[o.body.name] = [...r.audience.dependsOn.audiences];
    }
    const r = compileAudience(audience, {
      audiences: known,
      eventTypes: [...catalog.eventTypes.keys()],
      dependencies,
    });
    if (!r.ok) throw validationFailed(`the audience "${audience.name}" is invalid`, r.issues);
  }

  async list(sandbox: string, kindName: string): Promise<StoredObject[]> {
    return this.rt.store.listObjects(sandbox, this.kind(kindName).kind);
  }

  async get(sandbox: string, kindName: string, key: string): Promise<StoredObject> {
    const kind = this.kind(kindName);
    const o = await this.rt.store.getObject(sandbox, kind.kind, key);
    if (!o) throw notFound(kind.title, key);
    return o;
  }

  /**
   * Creates or replaces. With `expectedRevision` (the client's If-Match), only over that revision:
   * a newer one stored meanwhile (or none at all) is a version_conflict naming the current revision.
   */
  async put(
    sandbox: string,
    kindName: string,
    body: unknown,
    expectedKey?: string,
    expectedRevision?: number,
  ): Promise<{ object: StoredObject; key: string; status: 'created' | 'updated' | 'unchanged' }> {
    const { kind, value, key } = this.parse(kindName, body);
    if (kind.kind === 'audience') await this.checkAudience(sandbox, value as unknown as Audience);
    await this.checks.get(kind.kind)?.(sandbox, value);
    if (expectedKey !== undefined && expectedKey !== key) {
      throw validationFailed(`the ${kind.title} key in the body does not match the URL`, [
        { path: 'name', message: 'must match the URL', expected: expectedKey, received: key },
      ]);
    }
    const existing = await this.rt.store.getObject<Record<string, unknown>>(
      sandbox,
      kind.kind,
      key,
    );
    if (expectedRevision !== undefined && existing?.revision !== expectedRevision)
      throw versionConflict(kind.title, key, expectedRevision, existing?.revision ?? null);
    const sealed = this.secrets.seal(kind.kind, value, existing?.body ?? null);
    if (existing && this.secrets.same(kind.kind, existing.body, sealed))
      return { object: existing, key, status: 'unchanged' };
    const now = new Date(this.rt.clock.now()).toISOString();
    if (expectedRevision !== undefined) {
      // One conditional statement: a save landing between the read above and this write is not overwritten.
      if (
        !(await this.rt.store.replaceObjectIfRevision(
          sandbox,
          kind.kind,
          key,
          expectedRevision,
          sealed,
          now,
        ))
      ) {
        throw versionConflict(
          kind.title,
          key,
          expectedRevision,
          (await this.rt.store.getObject(sandbox, kind.kind, key))?.revision ?? null,
        );
      }
      if (kind.affectsJourneys) this.rt.catalogs.invalidate(sandbox);
      this.changed(sandbox, kind.kind);
      return {
        object: (await this.rt.store.getObject(sandbox, kind.kind, key))!,
        key,
        status: 'updated',
      };
    }
    const object = await this.rt.store.putObject(sandbox, kind.kind, key, sealed, now);
    if (kind.affectsJourneys) this.rt.catalogs.invalidate(sandbox);
    this.changed(sandbox, kind.kind);
    return { object, key, status: existing ? 'updated' : 'created' };
  }

  /** Refused (409 `in_use`, with who uses it) while a journey version or another object uses it; archive it instead. */
  /** Marks an object archived (still resolved by what uses it) or clears the mark; the mark, or null. */
  setArchived(sandbox: string, target: ObjectRef, archived: boolean): Promise<ArchiveMark | null> {
    return setArchived(
      this.rt.store,
      sandbox,
      target,
      archived,
      new Date(this.rt.clock.now()).toISOString(),
    );
  }

  async delete(sandbox: string, kindName: string, key: string): Promise<void> {
    const kind = this.kind(kindName);
    if (!(await this.rt.store.getObject(sandbox, kind.kind, key))) throw notFound(kind.title, key);
    await assertNotInUse(this.rt.store, sandbox, { kind: kind.kind, key }, kind.title);
    if (!(await this.rt.store.deleteObject(sandbox, kind.kind, key)))
      throw notFound(kind.title, key);
    await setArchived(
      this.rt.store,
      sandbox,
      { kind: kind.kind, key },
      false,
      new Date(this.rt.clock.now()).toISOString(),
    );
    if (kind.affectsJourneys) this.rt.catalogs.invalidate(sandbox);
    this.changed(sandbox, kind.kind);
  }
}
