import type { JourneyDefinition, JourneyNode } from '../model/journey.ts';
import type { JourneyCatalog } from './catalog.ts';
import { durationToMillis, journeyLifetimeMs } from './duration.ts';
import { validateJourney, type CompiledExpressions, type JourneyIssue } from './validate.ts';

/** A journey version ready to run: validated once, expressions compiled, lookups precomputed. */
export interface CompiledJourney {
  readonly journeyId: string;
  readonly version: number;
  readonly definition: JourneyDefinition;
  readonly nodes: ReadonlyMap<string, JourneyNode>;
  /** The event that starts an event journey; '' for audience entries (see definition.entry). */
  readonly entryEvent: string;
  readonly namespace: string;
  readonly expressions: CompiledExpressions;
  /** Milliseconds of each duration wait and each event timeout, by node id. */
  readonly durations: ReadonlyMap<string, number>;
  readonly timeouts: ReadonlyMap<string, number>;
  readonly actionTimeoutMs: number;
  /** The global timeout: an instance is removed this long after it entered. */
  readonly lifetimeMs: number;
  /** Test mode: only test profiles enter, and every wait and timeout lasts `testMode.waitSeconds`. */
  readonly test: boolean;
  /** Dry run: real profiles and clock, but no message, action, profile update or jump is carried out (counted instead). */
  readonly dryRun: boolean;
}

export type CompileJourneyResult =
  | { readonly ok: true; readonly journey: CompiledJourney }
  | { readonly ok: false; readonly issues: readonly JourneyIssue[] };

export function compileJourney(
  journeyId: string,
  version: number,
  definition: JourneyDefinition,
  catalog: JourneyCatalog,
  options: {
    readonly test?: boolean;
    readonly dryRun?: boolean;
    /** The journey's id as stored, for jump cycles (validation before publishing). */
    readonly self?: string;
  } = {},
): CompileJourneyResult {
  const { issues, expressions } = validateJourney(definition, catalog, options.self);
  if (issues.length > 0) return { ok: false, issues };
  const nodes = new Map(definition.nodes.map((n) => [n.id, n] as const));
  const start = nodes.get(definition.start);
  const entry = definition.entry;
  if (entry.type === 'event' && start?.kind !== 'event')
    throw new Error('validated journey without an event start');
  const durations = new Map<string, number>();
  const timeouts = new Map<string, number>();
  const test = options.test === true;
  const testWait = definition.testMode.waitSeconds * 1000;
  for (const n of definition.nodes) {
    if (n.kind === 'wait' && n.duration !== undefined)
      durations.set(n.id, test ? testWait : durationToMillis(n.duration)!);
    if (n.kind === 'wait' && (n.until !== undefined || n.at !== undefined) && test)
      durations.set(n.id, testWait);
    if ((n.kind === 'event' || n.kind === 'reaction') && n.timeout)
      timeouts.set(n.id, test ? testWait : durationToMillis(n.timeout.duration)!);
  }
  return {
    ok: true,
    journey: {
      journeyId,
      version,
      definition,
      nodes,
      entryEvent: entry.type === 'event' && start?.kind === 'event' ? start.event : '',
      namespace: journeyNamespace(definition, catalog),
      expressions,
      durations,
      timeouts,
      actionTimeoutMs: definition.actionTimeoutSeconds * 1000,
      lifetimeMs: journeyLifetimeMs(definition.timeout),
      test,
      dryRun: options.dryRun === true,
    },
  };
}

/** The journey's identity namespace: its own setting, else its entry event's, or for audience entries the entry's (or the audience's, or its events'). */
export function journeyNamespace(definition: JourneyDefinition, catalog: JourneyCatalog): string {
  if (definition.namespace !== undefined) return definition.namespace;
  const entry = definition.entry;
  const firstEvent = definition.nodes.find(
    (n) => n.kind === 'event' && catalog.events[n.event] !== undefined,
  );
  const eventNs =
    firstEvent?.kind === 'event' ? catalog.events[firstEvent.event]?.namespace : undefined;
  if (entry.type === 'event') {
    const start = definition.nodes.find((n) => n.id === definition.start);
    return start?.kind === 'event' ? (catalog.events[start.event]?.namespace ?? '') : '';
  }
  return entry.namespace ?? catalog.audienceNamespaces?.[entry.audience] ?? eventNs ?? '';
}
