// Content-template governance: checkTemplateEdit compares a message before and after an edit against
// the template's locks, so that the API refuses what the editor would. Pure.
import type { ContentTemplate, LockType } from '../model/content-template.ts';
import type { Component, MessageContent, Structure } from '../model/message-content.ts';

export interface LockViolation {
  /** Structure or component id, or the message field ("subject"). */
  readonly target: string;
  readonly rule: 'read_only' | 'locked' | 'style_locked' | 'no_delete' | 'no_addition';
  readonly message: string;
}

const contentKeys = new Set([
  'content',
  'label',
  'src',
  'assetId',
  'alt',
  'href',
  'fields',
  'variants',
  'blocks',
  'fragmentId',
]);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

interface Indexed {
  readonly structures: Map<string, Structure>;
  readonly components: Map<string, { c: Component; structure: string }>;
}

function index(content: MessageContent): Indexed {
  const structures = new Map<string, Structure>();
  const components = new Map<string, { c: Component; structure: string }>();
  if (content.channel === 'email') {
    for (const s of content.document?.body ?? []) {
      structures.set(s.id, s);
      for (const col of s.columns)
        for (const c of col.blocks) components.set(c.id, { c, structure: s.id });
    }
  }
  return { structures, components };
}

const messageFields = [
  'subject',
  'preheader',
  'html',
  'text',
  'title',
  'body',
  'image',
  'deepLink',
  'data',
  'ios',
  'android',
] as const;

export function checkTemplateEdit(
  template: ContentTemplate,
  before: MessageContent,
  after: MessageContent,
): LockViolation[] {
  const g = template.governance;
  if (g === undefined) return [];
  const out: LockViolation[] = [];
  if (g.mode === 'read-only') {
    if (!same(before, after))
      out.push({
        target: template.id,
        rule: 'read_only',
        message: `content template "${template.name}" is read-only`,
      });
    return out;
  }
  const b = before as unknown as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  for (const f of messageFields) {
    if (g.fields[f] === 'locked' && !same(b[f], a[f]))
      out.push({ target: f, rule: 'locked', message: `${f} is locked` });
  }
  const bi = index(before);
  const ai = index(after);
  const lockOf = (componentId: string, structureId: string): LockType | undefined =>
    g.locks[componentId] ?? g.locks[structureId];

  // Structures: deletion, and what is added to locked ones.
  for (const [id, s] of bi.structures) {
    const lock = g.locks[id];
    const now = ai.structures.get(id);
    if (now === undefined) {
      if (lock === 'locked' && !g.allowDelete.includes(id))
        out.push({
          target: id,
          rule: 'no_delete',
          message: `structure "${id}" is locked and cannot be deleted`,
        });
      continue;
    }
    if (lock === 'locked' || lock === 'editable-content-only') {
      const styleBefore = {
        ...s,
        columns: s.columns.map((c) => ({ id: c.id, width: c.width })),
        variants: undefined,
      };
      const styleAfter = {
        ...now,
        columns: now.columns.map((c) => ({ id: c.id, width: c.width })),
        variants: undefined,
      };
      if (!same(styleBefore, styleAfter))
        out.push({
          target: id,
          rule: lock === 'locked' ? 'locked' : 'style_locked',
          message: `the layout of structure "${id}" is locked`,
        });
    }
    if (lock === 'locked') {
      const beforeIds = new Set(s.columns.flatMap((c) => c.blocks.map((x) => x.id)));
      for (const c of now.columns.flatMap((col) => col.blocks)) {
        if (!beforeIds.has(c.id))
          out.push({
            target: c.id,
            rule: 'no_addition',
            message: `nothing can be added to locked structure "${id}"`,
          });
      }
    }
  }
  for (const id of ai.structures.keys()) {
    if (!bi.structures.has(id) && g.addition !== 'structure-and-content')
      out.push({
        target: id,
        rule: 'no_addition',
        message: `structures cannot be added to content template "${template.name}"`,
      });
  }
  // Components: their own lock, or their structure's.
  for (const [id, { c, structure }] of bi.components) {
    const lock = lockOf(id, structure);
    const now = ai.components.get(id);
    if (now === undefined) {
      if (lock === 'locked' && !g.allowDelete.includes(id))
        out.push({
          target: id,
          rule: 'no_delete',
          message: `component "${id}" is locked and cannot be deleted`,
        });
      continue;
    }
    if (lock === 'locked' && !same(c, now.c))
      out.push({ target: id, rule: 'locked', message: `component "${id}" is locked` });
    if (lock === 'editable-content-only') {
      const style = (x: Component): Record<string, unknown> =>
        Object.fromEntries(Object.entries(x).filter(([k]) => !contentKeys.has(k)));
      if (!same(style(c), style(now.c)))
        out.push({
          target: id,
          rule: 'style_locked',
          message: `only the content of component "${id}" can be edited, not its style`,
        });
    }
  }
  for (const [id, { structure }] of ai.components) {
    if (!bi.components.has(id) && g.addition === 'none')
      out.push({
        target: id,
        rule: 'no_addition',
        message: `components cannot be added to content template "${template.name}"`,
      });
    else if (
      !bi.components.has(id) &&
      bi.structures.has(structure) &&
      g.locks[structure] === 'locked' &&
      !out.some((v) => v.target === id)
    ) {
      out.push({
        target: id,
        rule: 'no_addition',
        message: `nothing can be added to locked structure "${structure}"`,
      });
    }
  }
  return out;
}

/** "Apply content template": a copy of the template's content for a new message. */
export function applyContentTemplate(template: ContentTemplate): MessageContent {
  return { ...(structuredClone(template.content) as MessageContent), template: template.id };
}
