// Object-level access labels on the server: what the caller of a request may see and change.
// An object whose labels the caller lacks does not exist for it (404 as for a missing one, absent
// from lists); putting or removing a label the caller does not hold is refused with the label named.
import type { FastifyRequest } from 'fastify';
import type { AuditEntry } from '../access/api-types.ts';
import { labelsIn, mayAccessLabels } from '../access/policy.ts';
import type { ContentLibrary } from '../content/index.ts';
import { ErrorCode, notFound, WaymarkError } from '../errors.ts';
import { changedLabels, isLabelledKind, journeyLabelsById, labelsOf } from '../model/labels.ts';
import { refId, type ObjectRef, type User } from '../runtime/dependency-graph.ts';
import { describeUser, labelsOfRefs } from '../runtime/references.ts';
import type { StoreReads } from '../runtime/unit-of-work/index.ts';
import { sandboxOf } from './context.ts';
import { principalOf } from './principal.ts';

/** Whether the request's caller may see an object with these labels (a body, a definition or the labels themselves). */
export type LabelFilter = (labels: readonly string[] | undefined) => boolean;

/** The caller's view: a predicate over labels, in the request's sandbox. */
export function labelFilter(req: FastifyRequest): LabelFilter {
  const principal = principalOf(req);
  const sandbox = sandboxOf(req);
  const held = labelsIn(principal, sandbox);
  if (held === '*') return () => true;
  return (labels) => mayAccessLabels(principal, sandbox, labels);
}

/** The caller's view of another sandbox's objects (audit entries of every sandbox). */
export function labelFilterIn(req: FastifyRequest, sandbox: string): LabelFilter {
  const principal = principalOf(req);
  if (labelsIn(principal, sandbox) === '*') return () => true;
  return (labels) => mayAccessLabels(principal, sandbox, labels);
}

/** The same predicate over stored bodies and journey definitions. */
export const visibleBody =
  (filter: LabelFilter) =>
  (body: unknown): boolean =>
    filter(labelsOf(body));

/**
 * Refuses a change that adds or removes labels the caller does not hold: 403 naming them (the
 * caller sees the object, so naming its own labels tells nothing new).
 */
export function assertMayLabel(
  req: FastifyRequest,
  before: readonly string[],
  after: readonly string[],
): void {
  const held = labelsIn(principalOf(req), sandboxOf(req));
  if (held === '*') return;
  const lacking = changedLabels(before, after).filter((l) => !held.has(l));
  if (lacking.length === 0) return;
  const list = lacking.map((l) => `"${l}"`).join(', ');
  throw new WaymarkError(
    ErrorCode.Forbidden,
    `you may not put or remove the access label${lacking.length > 1 ? 's' : ''} ${list}: your role does not hold ${lacking.length > 1 ? 'them' : 'it'}`,
    {
      issues: lacking.map((l) => ({
        path: 'labels',
        message: `label "${l}" not held`,
        expected: 'a label your role holds',
        received: l,
      })),
      details: { labels: lacking },
    },
  );
}

/** The labels a request body asks for (before validation: the schema refuses malformed ones later). */
export const requestedLabels = (body: unknown): readonly string[] => labelsOf(body);

/**
 * A refusal to delete an object in use (409 `in_use`) as the caller may read it: users hidden by
 * their labels are counted, not named (the object stays in use all the same).
 */
export async function inUseAsSeen(
  req: FastifyRequest,
  store: StoreReads,
  sandbox: string,
  error: unknown,
): Promise<unknown> {
  if (!(error instanceof WaymarkError) || error.code !== ErrorCode.InUse) return error;
  const usedBy = (error.details.usedBy ?? []) as User[];
  const labels = await labelsOfRefs(
    store,
    sandbox,
    usedBy.flatMap((u) => [u, ...u.via]),
  );
  const visible = labelFilter(req);
  const shown = (r: ObjectRef): boolean => visible(labels.get(refId(r)));
  const seen = usedBy.filter(shown).map((u) => ({ ...u, via: u.via.filter(shown) }));
  const hidden = usedBy.length - seen.length;
  if (hidden === 0) return error;
  const target = `${String(error.details.kind)}:${String(error.details.key)}`;
  const names = [...seen.map(describeUser), `${hidden} you may not see`].join(', ');
  return new WaymarkError(
    ErrorCode.InUse,
    `${error.message.split(' Used by: ')[0]} Used by: ${names}`,
    {
      issues: [
        ...seen.map((u) => ({ path: refId(u), message: `used by ${describeUser(u)}` })),
        { path: target, message: `used by ${hidden} object(s) you may not see (access labels)` },
      ],
      details: { kind: error.details.kind, key: error.details.key, usedBy: seen, hidden },
    },
  );
}

/**
 * The content library as the caller sees it: fragments and content templates its labels do not
 * reach are missing, so content that includes one (directly or through a visible one) is refused
 * exactly as content naming a fragment or template that does not exist.
 */
export function visibleLibrary(library: ContentLibrary, visible: LabelFilter): ContentLibrary {
  return {
    fragment: (id) => {
      const f = library.fragment(id);
      return f !== undefined && visible(labelsOf(f)) ? f : undefined;
    },
    contentTemplate: (id) => {
      const t = library.contentTemplate(id);
      return t !== undefined && visible(labelsOf(t)) ? t : undefined;
    },
    languageSettings: (id) => library.languageSettings(id),
    asset: (id) => library.asset(id),
    ...(library.renditionUrl === undefined
      ? {}
      : { renditionUrl: library.renditionUrl.bind(library) }),
  };
}

/** 404 as for a journey that does not exist when the caller's labels do not reach one of its versions. */
export async function assertJourneyVisible(
  req: FastifyRequest,
  store: StoreReads,
  sandbox: string,
  journeyId: string,
): Promise<void> {
  const labels = (await labelsOfRefs(store, sandbox, [{ kind: 'journey', key: journeyId }])).get(
    `journey:${journeyId}`,
  );
  if (!labelFilter(req)(labels)) throw notFound('journey', journeyId);
}

/** The ids of the sandbox's journeys the caller's labels do not reach (a label on any version hides it; empty for most callers). */
export async function hiddenJourneys(
  req: FastifyRequest,
  store: StoreReads,
  sandbox: string,
): Promise<ReadonlySet<string>> {
  if (labelsIn(principalOf(req), sandbox) === '*') return new Set();
  const visible = labelFilter(req);
  return new Set(
    [...journeyLabelsById(await store.listJourneys(sandbox))]
      .filter(([, ls]) => !visible(ls))
      .map(([id]) => id),
  );
}

/** The names of the sandbox's audiences the caller's labels do not reach (empty for most callers). */
export async function hiddenAudiences(
  req: FastifyRequest,
  store: StoreReads,
  sandbox: string,
): Promise<ReadonlySet<string>> {
  if (labelsIn(principalOf(req), sandbox) === '*') return new Set();
  const visible = labelFilter(req);
  const all = await store.listObjects(sandbox, 'audience');
  return new Set(all.filter((o) => !visible(labelsOf(o.body))).map((o) => o.key));
}

/**
 * Audit entries as the caller may read them: an entry about a labelled object or journey its labels
 * do not reach (the object's labels now, in the entry's sandbox) is left out, and so is an approval's
 * entry when its journey is hidden. Entries about deleted objects stay (no labels left to hide by).
 */
export async function visibleAuditEntries(
  req: FastifyRequest,
  store: StoreReads,
  approvalJourney: (sandbox: string, id: string) => Promise<string | undefined>,
  entries: readonly AuditEntry[],
): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  const labels = new Map<string, readonly string[]>();
  for (const e of entries) {
    // Outside any sandbox, about nothing, or for a caller holding every label there: no lookup needed.
    if (e.sandbox === null || e.object === null || labelsIn(principalOf(req), e.sandbox) === '*') {
      out.push(e);
      continue;
    }
    let ref: ObjectRef | undefined;
    if (e.object.kind === 'journey' || isLabelledKind(e.object.kind))
      ref = { kind: e.object.kind, key: e.object.key };
    else if (e.object.kind === 'approval') {
      const journeyId = await approvalJourney(e.sandbox, e.object.key);
      if (journeyId !== undefined) ref = { kind: 'journey', key: journeyId };
    }
    if (ref === undefined) {
      out.push(e);
      continue;
    }
    const id = `${e.sandbox}/${refId(ref)}`;
    if (!labels.has(id))
      labels.set(id, (await labelsOfRefs(store, e.sandbox, [ref])).get(refId(ref)) ?? []);
    if (labelFilterIn(req, e.sandbox)(labels.get(id))) out.push(e);
  }
  return out;
}
