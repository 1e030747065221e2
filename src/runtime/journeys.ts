// Journey lifecycle: drafts, publication (with every validation rule and message compilation),
// versions, pause/resume/close/stop. Publishing a version closes the previous one.
import { checkTemplateEdit, compileMessage } from '../content/index.ts';
import { compileJourney, transition, type JourneyIssue, type LifecycleCommand } from '../journey/index.ts';
import { journeyDefinitionSchema, isMessageNode, JourneyStatus, type JourneyDefinition, type JourneyVersion } from '../model/journey.ts';
import { messageContentSchema } from '../model/message-content.ts';
import { ErrorCode, notFound, validationFailed, WaymarkError, type ErrorIssue } from '../errors.ts';
import type { Engine } from './engine.ts';
import { zodIssues } from './zod-issues.ts';

export interface JourneySummary {
  readonly id: string;
  readonly name: string;
  readonly latest: JourneyVersion;
  readonly live: JourneyVersion | null;
  readonly versions: ReadonlyArray<{ version: number; status: string; updatedAt: string }>;
}

const toIssues = (issues: readonly JourneyIssue[]): ErrorIssue[] => issues.map((i) => ({ path: i.path, message: i.message }));

export class JourneyService {
  constructor(private readonly engine: Engine) {}

  private get store() { return this.engine.store; }
  private nowIso(): string { return new Date(this.engine.clock.now()).toISOString(); }

  parse(input: unknown, where = 'journey'): JourneyDefinition {
    const r = journeyDefinitionSchema.safeParse(input);
    if (!r.success) throw validationFailed(`the ${where} definition is invalid`, zodIssues(r.error));
    return r.data;
  }

  async list(sandbox: string): Promise<JourneySummary[]> {
    const all = await this.store.listJourneys(sandbox);
    const ids = [...new Set(all.map((v) => v.journeyId))];
    return ids.map((id) => summarize(id, all.filter((v) => v.journeyId === id)));
  }

  async get(sandbox: string, id: string): Promise<JourneySummary> {
    const versions = await this.store.getJourneyVersions(sandbox, id);
    if (versions.length === 0) throw notFound('journey', id);
    return summarize(id, versions);
  }

  async version(sandbox: string, id: string, version: number): Promise<JourneyVersion> {
    const v = (await this.store.getJourneyVersions(sandbox, id)).find((x) => x.version === version);
    if (!v) throw notFound('journey version', `${id} v${version}`);
    return v;
  }

  /** Validation issues of a definition against the sandbox's objects, without saving anything. */
  async validate(sandbox: string, def: JourneyDefinition): Promise<JourneyIssue[]> {
    const catalog = await this.engine.catalogs.get(sandbox);
    const r = compileJourney('validation', 0, def, catalog.journeyCatalog);
    const issues: JourneyIssue[] = r.ok ? [] : [...r.issues];
    for (const [index, node] of def.nodes.entries()) {
      if (!isMessageNode(node)) continue;
      const parsed = messageContentSchema.safeParse({ channel: node.kind, ...node.content });
      if (!parsed.success) {
        for (const z of zodIssues(parsed.error)) issues.push({ node: node.id, path: `nodes[${index}].content.${z.path}`, code: 'content', message: `${node.kind} activity "${node.label ?? node.id}" (id ${node.id}): ${z.message}` });
        continue;
      }
      // References are checked against the schemas of the journey's events and actions.
      const scope = {
        events: Object.fromEntries(def.nodes.filter((n) => n.kind === 'event').map((n) => [n.event, catalog.journeyCatalog.events[n.event]?.schema ?? {}])),
        actions: Object.fromEntries(def.nodes.filter((n) => n.kind === 'action').map((n) => [n.action, catalog.journeyCatalog.actions[n.action]?.responseSchema ?? {}])),
      };
      const compiled = await compileMessage(parsed.data, catalog.content, { scope });
      if (!compiled.ok) for (const d of compiled.diagnostics) issues.push({ node: node.id, path: `nodes[${index}].content`, code: 'content', message: `${node.kind} activity "${node.label ?? node.id}" (id ${node.id}): ${d.message}` });
    }
    return issues;
  }

  async create(sandbox: string, id: string, input: unknown): Promise<{ journey: JourneyVersion; issues: JourneyIssue[] }> {
    const def = this.parse(input);
    if ((await this.store.getJourneyVersions(sandbox, id)).length > 0) throw new WaymarkError(ErrorCode.Conflict, `the journey "${id}" already exists`);
    const at = this.nowIso();
    const v = { journeyId: id, version: 1, status: JourneyStatus.Draft, definition: def, createdAt: at, updatedAt: at };
    await this.store.putJourneyVersion(sandbox, v);
    this.engine.catalogs.invalidate(sandbox);
    return { journey: v, issues: await this.validate(sandbox, def) };
  }

  /** Replaces the definition of the latest version, which must be a draft. */
  async update(sandbox: string, id: string, input: unknown): Promise<{ journey: JourneyVersion; issues: JourneyIssue[] }> {
    const def = this.parse(input);
    const latest = (await this.get(sandbox, id)).latest;
    if (latest.status !== JourneyStatus.Draft) throw new WaymarkError(ErrorCode.Conflict, `version ${latest.version} of "${id}" is ${latest.status}; create a new version to change it`);
    await this.checkTemplateLocks(sandbox, latest.definition, def);
    const v = { ...latest, definition: def, updatedAt: this.nowIso() };
    await this.store.putJourneyVersion(sandbox, v);
    this.engine.catalogs.invalidate(sandbox);
    return { journey: v, issues: await this.validate(sandbox, def) };
  }

  /** Messages made from a content template keep its locked parts: an edit that touches them is refused. */
  private async checkTemplateLocks(sandbox: string, before: JourneyDefinition, after: JourneyDefinition): Promise<void> {
    const catalog = await this.engine.catalogs.get(sandbox);
    const issues: ErrorIssue[] = [];
    after.nodes.forEach((node, index) => {
      if (!isMessageNode(node)) return;
      const old = before.nodes.find((n) => n.id === node.id);
      const templateId = typeof node.content.template === 'string' ? node.content.template : null;
      if (!old || !isMessageNode(old) || !templateId || old.content.template !== templateId) return;
      const template = catalog.content.contentTemplate(templateId);
      const a = messageContentSchema.safeParse({ channel: old.kind, ...old.content });
      const b = messageContentSchema.safeParse({ channel: node.kind, ...node.content });
      if (!template || !a.success || !b.success) return;
      for (const v of checkTemplateEdit(template, a.data, b.data)) issues.push({ path: `nodes[${index}].content`, message: `${node.kind} activity "${node.label ?? node.id}" (id ${node.id}): ${v.message}` });
    });
    if (issues.length > 0) throw new WaymarkError(ErrorCode.Conflict, 'the edit changes parts that its content template locks', { issues });
  }

  /** Creates or updates from a package: a draft is replaced; otherwise a new draft version follows. */
  async upsert(sandbox: string, id: string, input: unknown): Promise<JourneyVersion> {
    const versions = await this.store.getJourneyVersions(sandbox, id);
    if (versions.length === 0) return (await this.create(sandbox, id, input)).journey;
    const latest = versions[versions.length - 1]!;
    if (latest.status === JourneyStatus.Draft) return (await this.update(sandbox, id, input)).journey;
    const def = this.parse(input);
    if (JSON.stringify(def) === JSON.stringify(latest.definition)) return latest;
    await this.newVersion(sandbox, id);
    return (await this.update(sandbox, id, def)).journey;
  }

  async newVersion(sandbox: string, id: string): Promise<JourneyVersion> {
    const latest = (await this.get(sandbox, id)).latest;
    if (latest.status === JourneyStatus.Draft) throw new WaymarkError(ErrorCode.Conflict, `version ${latest.version} of "${id}" is still a draft`);
    const at = this.nowIso();
    const v = { journeyId: id, version: latest.version + 1, status: JourneyStatus.Draft, definition: latest.definition, createdAt: at, updatedAt: at };
    await this.store.putJourneyVersion(sandbox, v);
    this.engine.catalogs.invalidate(sandbox);
    return v;
  }

  async deleteDraft(sandbox: string, id: string): Promise<void> {
    const latest = (await this.get(sandbox, id)).latest;
    if (latest.status !== JourneyStatus.Draft) throw new WaymarkError(ErrorCode.Conflict, `only drafts can be deleted; version ${latest.version} is ${latest.status}`);
    await this.store.deleteJourneyVersion(sandbox, id, latest.version);
    this.engine.catalogs.invalidate(sandbox);
  }

  async publish(sandbox: string, id: string): Promise<JourneyVersion> {
    const summary = await this.get(sandbox, id);
    const draft = summary.latest;
    const t = transition(draft.status, 'publish');
    if (!t.ok) throw new WaymarkError(ErrorCode.Conflict, t.message);
    const issues = await this.validate(sandbox, draft.definition);
    const previous = (await this.store.getJourneyVersions(sandbox, id)).filter((v) => v.version < draft.version).pop() ?? null;
    if (previous) {
      if (JSON.stringify(previous.definition.entry) !== JSON.stringify(draft.definition.entry)) issues.push({ node: null, path: 'entry', code: 'entry_changed', message: 'the entry type cannot change between versions' });
      if (JSON.stringify(previous.definition.reentrance) !== JSON.stringify(draft.definition.reentrance)) issues.push({ node: null, path: 'reentrance', code: 'reentrance_changed', message: 'the re-entrance rule cannot change between versions' });
    }
    if (issues.length > 0) throw validationFailed(`journey "${id}" v${draft.version} cannot be published: ${issues.length} problem(s)`, toIssues(issues));
    const at = this.nowIso();
    for (const v of await this.store.getJourneyVersions(sandbox, id)) {
      if (v.version !== draft.version && (v.status === JourneyStatus.Live || v.status === JourneyStatus.Paused)) {
        await this.store.putJourneyVersion(sandbox, { ...v, status: JourneyStatus.Closed, closedAt: at, updatedAt: at });
      }
    }
    // Test runs leave nothing behind when the journey goes live.
    if (draft.status === JourneyStatus.Test) await this.engine.serial.run(() => this.store.purgeVersionRuntime(sandbox, id, draft.version));
    const live = { ...draft, status: JourneyStatus.Live, publishedAt: at, updatedAt: at };
    await this.store.putJourneyVersion(sandbox, live);
    this.engine.catalogs.invalidate(sandbox);
    return live;
  }

  /**
   * Test mode on a draft: only test profiles enter and waits and timeouts are shortened. Turning it
   * off clears the test instances and the report; the journey cannot be edited meanwhile.
   */
  async testMode(sandbox: string, id: string, enabled: boolean): Promise<JourneyVersion> {
    const latest = (await this.get(sandbox, id)).latest;
    const t = transition(latest.status, enabled ? 'test' : 'untest');
    if (!t.ok) throw new WaymarkError(ErrorCode.Conflict, t.message);
    if (enabled) {
      const issues = await this.validate(sandbox, latest.definition);
      if (issues.length > 0) throw validationFailed(`journey "${id}" cannot enter test mode: ${issues.length} problem(s)`, toIssues(issues));
    }
    const next = { ...latest, status: t.to, updatedAt: this.nowIso() };
    await this.store.putJourneyVersion(sandbox, next);
    this.engine.catalogs.invalidate(sandbox);
    if (!enabled) await this.engine.serial.run(() => this.store.purgeVersionRuntime(sandbox, id, latest.version));
    return next;
  }

  /** pause, resume, close or stop the journey's current live (or paused, or closed) version. */
  async command(sandbox: string, id: string, command: Exclude<LifecycleCommand, 'publish' | 'test' | 'untest'>, version?: number): Promise<JourneyVersion> {
    const versions = await this.store.getJourneyVersions(sandbox, id);
    if (versions.length === 0) throw notFound('journey', id);
    const target = version !== undefined ? versions.find((v) => v.version === version)
      : [...versions].reverse().find((v) => v.status !== JourneyStatus.Draft && v.status !== JourneyStatus.Test && v.status !== JourneyStatus.Stopped && (command !== 'resume' || v.status === JourneyStatus.Paused));
    if (!target) throw new WaymarkError(ErrorCode.Conflict, `journey "${id}" has no version that can ${command}`);
    const t = transition(target.status, command);
    if (!t.ok) throw new WaymarkError(ErrorCode.Conflict, t.message);
    const at = this.nowIso();
    const next = { ...target, status: t.to, updatedAt: at, ...(t.to === JourneyStatus.Closed || t.to === JourneyStatus.Stopped ? { closedAt: at } : {}) };
    await this.store.putJourneyVersion(sandbox, next);
    this.engine.catalogs.invalidate(sandbox);
    if (command === 'stop') await this.engine.stopVersion(sandbox, id, target.version);
    return next;
  }
}

function summarize(id: string, versions: JourneyVersion[]): JourneySummary {
  const latest = versions[versions.length - 1]!;
  const live = [...versions].reverse().find((v) => v.status === JourneyStatus.Live || v.status === JourneyStatus.Paused) ?? null;
  return { id, name: latest.definition.name, latest, live, versions: versions.map((v) => ({ version: v.version, status: v.status, updatedAt: v.updatedAt })) };
}
