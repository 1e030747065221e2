import { compileExpression, type CompiledExpression, type SchemaScope } from '../expr/index.ts';
import {
  channelOfKind,
  outgoingPaths,
  type JourneyDefinition,
  type JourneyNode,
} from '../model/journey.ts';
import type { JourneyCatalog } from './catalog.ts';
import { durationToMillis, journeyLifetimeMs, lifetimeLabel, MAX_WAIT_MS } from './duration.ts';
import { isValidZone } from '../expr/time.ts';
import {
  checkJump,
  checkProfileCap,
  checkReaction,
  checkUpdateProfile,
} from './validate-activities.ts';

export interface JourneyIssue {
  /** The activity at fault, or null for the journey as a whole. */
  readonly node: string | null;
  /** Where in the definition, as a JSON path. */
  readonly path: string;
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export const MAX_ACTIVITIES = 50;

export interface CompiledExpressions {
  readonly conditions: ReadonlyMap<string, readonly (CompiledExpression | null)[]>;
  readonly parameters: ReadonlyMap<string, Readonly<Record<string, CompiledExpression>>>;
  readonly waitUntil: ReadonlyMap<string, CompiledExpression>;
  /** Update profile: the value expression of each activity. */
  readonly profileValues: ReadonlyMap<string, CompiledExpression>;
}

const describe = (n: JourneyNode): string => `${n.kind} activity "${n.label ?? n.id}" (id ${n.id})`;

/**
 * Checks every rule a journey must satisfy before it can be published, and compiles its expressions.
 * Each issue names the activity and the place in the definition.
 */
export function validateJourney(
  def: JourneyDefinition,
  catalog: JourneyCatalog,
  /** The journey's own id, for jump cycles; absent for a journey not stored yet. */
  self?: string,
): { issues: JourneyIssue[]; expressions: CompiledExpressions } {
  const issues: JourneyIssue[] = [];
  const lifetime = journeyLifetimeMs(def.timeout);
  const nodes = new Map<string, { node: JourneyNode; index: number }>();
  const add = (
    node: JourneyNode | null,
    path: string,
    code: string,
    message: string,
    extra: Partial<JourneyIssue> = {},
  ): void => {
    issues.push({
      node: node?.id ?? null,
      path,
      code,
      message: node ? `${describe(node)}: ${message}` : message,
      ...extra,
    });
  };

  def.nodes.forEach((node, index) => {
    if (nodes.has(node.id))
      add(
        node,
        `nodes[${index}].id`,
        'duplicate_id',
        `the id "${node.id}" is used by more than one activity`,
      );
    else nodes.set(node.id, { node, index });
  });
  const activities = def.nodes.filter((n) => n.kind !== 'end').length;
  if (activities > MAX_ACTIVITIES)
    add(
      null,
      'nodes',
      'too_many_activities',
      `a journey has at most ${MAX_ACTIVITIES} activities; this one has ${activities}`,
    );

  const start = nodes.get(def.start)?.node;
  const entry = def.entry;
  if (!start)
    add(null, 'start', 'unknown_start', `the first activity "${def.start}" does not exist`);
  else if (entry.type !== 'event') {
    /* audience entries: any first activity */
  } else if (start.kind !== 'event')
    add(
      start,
      'start',
      'start_not_event',
      'the first activity of an event journey must be an event',
    );
  else if (start.timeout)
    add(
      start,
      `nodes[${nodes.get(start.id)?.index}].timeout`,
      'start_timeout',
      'the initial event of a journey cannot have a timeout',
    );
  const entryNamespace =
    entry.type === 'event' ? undefined : checkAudienceEntry(entry, catalog, add);

  // Paths: targets exist, parallel targets are events or waits, at most one timeout among parallel events.
  for (const { node, index } of nodes.values()) {
    for (const p of outgoingPaths(node)) {
      const where = `nodes[${index}].${p.name.split(' ')[0]}`;
      const targets = p.next.map((id) => nodes.get(id)?.node);
      p.next.forEach((id, i) => {
        if (!targets[i])
          add(
            node,
            where,
            'dangling_path',
            `its ${p.name} path leads to "${id}", which does not exist`,
          );
        if (id === def.start)
          add(
            node,
            where,
            'path_to_start',
            `its ${p.name} path leads back to the first event "${id}"`,
          );
      });
      if (p.next.length > 1) {
        const bad = targets.filter(
          (t) => t && t.kind !== 'event' && t.kind !== 'wait' && t.kind !== 'reaction',
        );
        for (const t of bad)
          add(
            node,
            where,
            'parallel_not_event',
            `only events and waits may stand in parallel (a reaction counts as an event), but its ${p.name} path also leads to ${describe(t!)}`,
          );
        const withTimeout = targets.filter(
          (t) => (t?.kind === 'event' || t?.kind === 'reaction') && t.timeout,
        );
        if (withTimeout.length > 1)
          add(
            node,
            where,
            'parallel_timeouts',
            `events in parallel share one timeout, but ${withTimeout.length} of those after its ${p.name} path define one`,
          );
      }
    }
  }

  // Reachability and loops that never rest.
  if (start) {
    const seen = new Set<string>([start.id]);
    const queue = [start.id];
    while (queue.length) {
      const n = nodes.get(queue.shift()!)?.node;
      if (!n) continue;
      for (const p of outgoingPaths(n))
        for (const id of p.next)
          if (nodes.has(id) && !seen.has(id)) {
            seen.add(id);
            queue.push(id);
          }
    }
    for (const { node, index } of nodes.values()) {
      if (!seen.has(node.id))
        add(node, `nodes[${index}]`, 'unreachable', 'no path leads to it from the first event');
    }
    const restless = findRestlessCycle(def, nodes);
    if (restless)
      add(
        nodes.get(restless)!.node,
        `nodes[${nodes.get(restless)!.index}]`,
        'cycle_without_wait',
        'it is part of a loop with no event or wait, which would never rest',
      );
  }

  // Per-activity rules.
  const eventNames = new Set<string>();
  const actionNames = new Set<string>();
  for (const { node } of nodes.values()) {
    if (node.kind === 'event') eventNames.add(node.event);
    if (node.kind === 'action') actionNames.add(node.action);
  }
  const businessEvent = checkBusinessEntry(def, catalog, add);
  if (businessEvent !== undefined) eventNames.add(businessEvent);
  const scope: SchemaScope = {
    events: Object.fromEntries(
      [...eventNames].filter((e) => catalog.events[e]).map((e) => [e, catalog.events[e]!.schema]),
    ),
    actions: Object.fromEntries(
      [...actionNames]
        .filter((a) => catalog.actions[a])
        .map((a) => [a, catalog.actions[a]!.responseSchema ?? {}]),
    ),
    ...(catalog.profileSchema ? { profile: catalog.profileSchema } : {}),
    ...(catalog.audiences ? { audiences: catalog.audiences } : {}),
  };
  const conditions = new Map<string, (CompiledExpression | null)[]>();
  const parameters = new Map<string, Record<string, CompiledExpression>>();
  const waitUntil = new Map<string, CompiledExpression>();
  const profileValues = new Map<string, CompiledExpression>();
  const expr = (
    node: JourneyNode,
    path: string,
    source: string,
    expect: 'boolean' | 'dateTimeOnly' | 'any',
  ): CompiledExpression | null => {
    const r = compileExpression(source, scope, { expect });
    if (r.ok) return r.expression;
    for (const d of r.diagnostics)
      add(node, path, 'expression', `${d.message} (line ${d.line}, column ${d.column})`, {
        line: d.line,
        column: d.column,
      });
    return null;
  };
  const namespaces = new Set<string>(entryNamespace === undefined ? [] : [entryNamespace]);

  for (const { node, index } of nodes.values()) {
    const at = `nodes[${index}]`;
    switch (node.kind) {
      case 'event': {
        const type = catalog.events[node.event];
        if (!type)
          add(
            node,
            `${at}.event`,
            'unknown_event',
            `the event type "${node.event}" does not exist`,
          );
        else if (type.business)
          add(
            node,
            `${at}.event`,
            node.id === def.start ? 'business_event_unitary' : 'business_event_in_journey',
            node.id === def.start
              ? `"${node.event}" is a business event: it cannot start a unitary journey; start with a read audience on this business event`
              : `"${node.event}" is a business event, which belongs to no profile: a profile cannot wait for it`,
          );
        else namespaces.add(type.namespace);
        if (node.timeout)
          checkDuration(
            node,
            `${at}.timeout.duration`,
            node.timeout.duration,
            'timeout',
            lifetime,
            add,
          );
        break;
      }
      case 'wait': {
        if ([node.duration, node.until, node.at].filter((x) => x !== undefined).length !== 1)
          add(node, at, 'wait_kind', 'a wait needs exactly one of "duration", "until" or "at"');
        if (node.duration !== undefined)
          checkDuration(node, `${at}.duration`, node.duration, 'wait', lifetime, add);
        if (node.until !== undefined) {
          const c = expr(node, `${at}.until`, node.until, 'dateTimeOnly');
          if (c) waitUntil.set(node.id, c);
        }
        break;
      }
      case 'condition': {
        if (node.mode === 'split') {
          const total = node.paths.reduce((s, p) => s + (p.percent ?? 0), 0);
          node.paths.forEach((p, i) => {
            if (p.percent === undefined)
              add(
                node,
                `${at}.paths[${i}].percent`,
                'split_percent',
                'every path of a percentage split needs a percent',
              );
          });
          if (Math.abs(total - 100) > 1e-9)
            add(
              node,
              `${at}.paths`,
              'split_total',
              `the percentages of a split must add up to 100, not ${total}`,
            );
          if (node.otherwise)
            add(
              node,
              `${at}.otherwise`,
              'split_otherwise',
              'a percentage split has no "other cases" path',
            );
        } else if (node.mode === 'time' || node.mode === 'date') {
          checkWindows(node, at, add);
        } else if (node.mode === 'profileCap') {
          checkProfileCap(node, at, add);
        } else {
          conditions.set(
            node.id,
            node.paths.map((p, i) => {
              if (!p.expression?.trim()) {
                add(
                  node,
                  `${at}.paths[${i}].expression`,
                  'missing_expression',
                  `path ${i + 1} has no condition`,
                );
                return null;
              }
              return expr(node, `${at}.paths[${i}].expression`, p.expression, 'boolean');
            }),
          );
        }
        break;
      }
      case 'action': {
        const action = catalog.actions[node.action];
        if (!action) {
          add(
            node,
            `${at}.action`,
            'unknown_action',
            `the custom action "${node.action}" does not exist`,
          );
          break;
        }
        const compiled: Record<string, CompiledExpression> = {};
        for (const name of action.requiredParameters) {
          if (node.parameters[name] === undefined)
            add(
              node,
              `${at}.parameters.${name}`,
              'missing_parameter',
              `the parameter "${name}" of ${node.action} is required`,
            );
        }
        for (const [name, source] of Object.entries(node.parameters)) {
          if (!action.parameters.includes(name)) {
            add(
              node,
              `${at}.parameters.${name}`,
              'unknown_parameter',
              `${node.action} has no variable parameter "${name}"`,
            );
            continue;
          }
          const c = expr(node, `${at}.parameters.${name}`, source, 'any');
          if (c) compiled[name] = c;
        }
        parameters.set(node.id, compiled);
        break;
      }
      case 'email':
      case 'push':
      case 'sms':
      case 'inApp':
      case 'codeBased': {
        const channel = catalog.configurations?.[node.configuration];
        const wanted = channelOfKind(node.kind);
        if (catalog.configurations && !channel)
          add(
            node,
            `${at}.configuration`,
            'unknown_configuration',
            `the channel configuration "${node.configuration}" does not exist`,
          );
        else if (channel && channel !== wanted)
          add(
            node,
            `${at}.configuration`,
            'configuration_channel',
            `"${node.configuration}" is a ${channel} configuration, not ${wanted}`,
          );
        if (node.ruleSet && catalog.ruleSets && !catalog.ruleSets.includes(node.ruleSet))
          add(
            node,
            `${at}.ruleSet`,
            'unknown_rule_set',
            `the business rule set "${node.ruleSet}" does not exist`,
          );
        break;
      }
      case 'reaction':
        checkReaction(node, at, def, add, catalog);
        if (node.timeout)
          checkDuration(
            node,
            `${at}.timeout.duration`,
            node.timeout.duration,
            'timeout',
            lifetime,
            add,
          );
        break;
      case 'updateProfile': {
        checkUpdateProfile(node, at, catalog, add);
        const c = expr(node, `${at}.value`, node.value, 'any');
        if (c) profileValues.set(node.id, c);
        break;
      }
      case 'jump':
        checkJump(node, at, catalog, self, add);
        break;
      case 'end':
        break;
      default: {
        const never: never = node;
        throw new Error(`unhandled node ${JSON.stringify(never)}`);
      }
    }
  }
  if (entry.type !== 'event' && namespaces.size === 0)
    add(
      null,
      'entry.namespace',
      'missing_namespace',
      "an audience journey needs an identity namespace: set entry.namespace or the audience's namespace",
    );
  if (
    entry.type === 'readAudience' &&
    entry.schedule.kind === 'recurring' &&
    durationToMillis(entry.schedule.every) === null
  )
    add(
      null,
      'entry.schedule.every',
      'invalid_duration',
      `the recurrence "${entry.schedule.every}" is not a positive duration`,
    );
  if (def.ruleSet && catalog.ruleSets && !catalog.ruleSets.includes(def.ruleSet))
    add(
      null,
      'ruleSet',
      'unknown_rule_set',
      `the business rule set "${def.ruleSet}" does not exist`,
    );
  if (namespaces.size > 1)
    add(
      null,
      'nodes',
      'mixed_namespaces',
      `all events of a journey must share one identity namespace; these use ${[...namespaces].join(', ')}`,
    );
  checkExitCriteria(def, catalog, add);
  checkJourneyNamespace(def, catalog, add);
  return { issues, expressions: { conditions, parameters, waitUntil, profileValues } };
}

/** An audience entry names an existing audience, and its namespace agrees with the audience's; returns the journey's namespace. */
function checkAudienceEntry(
  entry: Exclude<JourneyDefinition['entry'], { type: 'event' }>,
  catalog: JourneyCatalog,
  add: (n: JourneyNode | null, p: string, c: string, m: string) => void,
): string | undefined {
  const what =
    entry.type === 'audience' ? 'an audience-qualification journey' : 'a read-audience journey';
  if (!(catalog.audiences ?? []).includes(entry.audience)) {
    add(
      null,
      'entry.audience',
      'unknown_audience',
      `${what} reads the audience "${entry.audience}", which does not exist`,
    );
    return entry.namespace;
  }
  const declared = catalog.audienceNamespaces?.[entry.audience];
  if (entry.namespace !== undefined && declared !== undefined && entry.namespace !== declared) {
    add(
      null,
      'entry.namespace',
      'namespace_mismatch',
      `the journey's namespace "${entry.namespace}" does not match the namespace "${declared}" of the audience "${entry.audience}"`,
    );
  }
  return entry.namespace ?? declared;
}

function checkDuration(
  node: JourneyNode,
  path: string,
  value: number | string,
  what: string,
  /** The journey's global timeout: a wait must end before it. */
  lifetime: number,
  add: (n: JourneyNode, p: string, c: string, m: string) => void,
): void {
  const ms = durationToMillis(value);
  if (ms === null)
    add(node, path, 'invalid_duration', `the ${what} "${value}" is not a positive duration`);
  else if (ms > MAX_WAIT_MS)
    add(node, path, `${what}_too_long`, `the ${what} of ${value} exceeds the maximum of 90 days`);
  else if (ms >= lifetime)
    add(
      node,
      path,
      `${what}_exceeds_journey_timeout`,
      `the ${what} of ${value} does not end before the journey's timeout of ${lifetimeLabel(lifetime)}`,
    );
}

/** Time and date conditions: every path has its window, and the zone is one Intl knows. */
function checkWindows(
  node: Extract<JourneyNode, { kind: 'condition' }>,
  at: string,
  add: (node: JourneyNode, path: string, code: string, message: string) => void,
): void {
  if (node.mode === 'time' && node.timeZone !== undefined && node.timeZone !== 'profile')
    if (!isValidZone(node.timeZone))
      add(
        node,
        `${at}.timeZone`,
        'unknown_time_zone',
        `"${node.timeZone}" is not a time zone: an IANA name such as Europe/Paris, or "profile"`,
      );
  node.paths.forEach((p, i) => {
    const where = `${at}.paths[${i}]`;
    if (node.mode === 'time' && !p.time)
      add(node, `${where}.time`, 'missing_time', `path ${i + 1} has no hours (time.from, time.to)`);
    if (node.mode === 'time' && p.time && p.time.from === p.time.to)
      add(node, `${where}.time`, 'empty_time', `path ${i + 1}: from and to are the same time`);
    if (node.mode === 'date') {
      if (!p.date || (p.date.after === undefined && p.date.before === undefined))
        add(node, `${where}.date`, 'missing_date', `path ${i + 1} has no date (after, before)`);
      else if (
        p.date.after !== undefined &&
        p.date.before !== undefined &&
        Date.parse(p.date.after) >= Date.parse(p.date.before)
      )
        add(node, `${where}.date`, 'empty_date', `path ${i + 1}: "after" is not before "before"`);
    }
  });
}

/** A node on a cycle made only of activities that never rest (conditions, actions, messages), if any. */
function findRestlessCycle(
  def: JourneyDefinition,
  nodes: Map<string, { node: JourneyNode }>,
): string | null {
  const state = new Map<string, 1 | 2>();
  const visit = (id: string): string | null => {
    const n = nodes.get(id)?.node;
    if (!n || n.kind === 'event' || n.kind === 'wait' || n.kind === 'reaction') return null;
    if (state.get(id) === 1) return id;
    if (state.get(id) === 2) return null;
    state.set(id, 1);
    for (const p of outgoingPaths(n))
      for (const t of p.next) {
        const found = visit(t);
        if (found) return found;
      }
    state.set(id, 2);
    return null;
  };
  for (const n of def.nodes) {
    const found = visit(n.id);
    if (found) return found;
  }
  return null;
}

/**
 * Exit criteria: events that exist, are not business events and not the entry event (a profile would
 * leave as it enters); audiences that exist, and not the one whose exit enters the journey.
 */
function checkExitCriteria(
  def: JourneyDefinition,
  catalog: JourneyCatalog,
  add: (n: JourneyNode | null, p: string, c: string, m: string) => void,
): void {
  const start = def.nodes.find((n) => n.id === def.start);
  (def.exitCriteria ?? []).forEach((c, i) => {
    if ('audienceExit' in c) {
      const at = `exitCriteria[${i}].audienceExit`;
      if (!(catalog.audiences ?? []).includes(c.audienceExit))
        add(
          null,
          at,
          'unknown_audience',
          `exit criterion: the audience "${c.audienceExit}" does not exist`,
        );
      else if (
        def.entry.type === 'audience' &&
        def.entry.on === 'exited' &&
        def.entry.audience === c.audienceExit
      )
        add(
          null,
          at,
          'exit_on_entry_audience',
          `exit criterion: leaving "${c.audienceExit}" enters the journey, so profiles would leave as they enter`,
        );
      return;
    }
    const at = `exitCriteria[${i}].event`;
    const type = catalog.events[c.event];
    if (!type)
      add(null, at, 'unknown_event', `exit criterion: the event type "${c.event}" does not exist`);
    else if (type.business)
      add(
        null,
        at,
        'business_event_exit',
        `exit criterion: "${c.event}" is a business event, which belongs to no profile`,
      );
    else if (start?.kind === 'event' && start.event === c.event)
      add(
        null,
        at,
        'exit_on_entry_event',
        `exit criterion: "${c.event}" starts the journey, so profiles would leave as they enter`,
      );
  });
}

/**
 * The journey-level namespace (entry management by namespace): a namespace of the sandbox, and for
 * audience entries the entry's (or the audience's) own.
 */
function checkJourneyNamespace(
  def: JourneyDefinition,
  catalog: JourneyCatalog,
  add: (n: JourneyNode | null, p: string, c: string, m: string) => void,
): void {
  const ns = def.namespace;
  if (ns === undefined) return;
  if (catalog.namespaces && !catalog.namespaces.includes(ns)) {
    add(null, 'namespace', 'unknown_namespace', `the identity namespace "${ns}" does not exist`);
    return;
  }
  const entry = def.entry;
  if (entry.type === 'event') return;
  const declared = entry.namespace ?? catalog.audienceNamespaces?.[entry.audience];
  if (declared !== undefined && declared !== ns)
    add(
      null,
      'namespace',
      'namespace_mismatch',
      `the journey's namespace "${ns}" is not the namespace "${declared}" of its audience entry`,
    );
}

/**
 * A business event journey: its business event exists and is one, and the read runs on it (not
 * on a recurring schedule). Returns the event, for the expressions' scope.
 */
function checkBusinessEntry(
  def: JourneyDefinition,
  catalog: JourneyCatalog,
  add: (n: JourneyNode | null, p: string, c: string, m: string) => void,
): string | undefined {
  const entry = def.entry;
  if (entry.type !== 'readAudience' || entry.businessEvent === undefined) return undefined;
  const name = entry.businessEvent;
  const type = catalog.events[name];
  if (!type) {
    add(
      null,
      'entry.businessEvent',
      'unknown_event',
      `the business event "${name}" that starts the journey does not exist`,
    );
    return undefined;
  }
  if (!type.business)
    add(
      null,
      'entry.businessEvent',
      'not_business_event',
      `"${name}" is not a business event: a read-audience journey starts on a business event only`,
    );
  // AJO: a business event journey does not mix with unitary events.
  def.nodes.forEach((n, index) => {
    if (n.kind === 'event')
      add(
        n,
        `nodes[${index}].event`,
        'business_journey_unitary_event',
        `a business event journey cannot wait for a profile's event ("${n.event}")`,
      );
  });
  if (entry.schedule.kind !== 'once' || entry.schedule.at !== undefined)
    add(
      null,
      'entry.schedule',
      'business_event_schedule',
      `a business event journey reads its audience when "${name}" arrives, not on a schedule`,
    );
  return name;
}
