// Validation of the reaction, update-profile, profile-cap and jump activities: each rule names
// the activity and what is wrong (validate.ts calls these for each node). Pure.
import type { JsonSchema } from '../model/common.ts';
import type {
  ConditionNode,
  JourneyDefinition,
  JourneyNode,
  JumpNode,
  ReactionNode,
  UpdateProfileNode,
} from '../model/journey.ts';
import { isMessageNode, outgoingPaths } from '../model/journey.ts';
import type { JourneyCatalog } from './catalog.ts';
import { REACTIONS_BY_CHANNEL } from './reaction.ts';

type Add = (node: JourneyNode, path: string, code: string, message: string) => void;

/**
 * Profile attributes that stand for an identity (the addresses messages go to, src/runtime/messages.ts)
 * or hold identities: an update-profile activity may not write them.
 */
export const IDENTITY_ATTRIBUTES: readonly string[] = [
  'personalEmail.address',
  'mobilePhone.number',
  'identities',
  'identityMap',
  'id',
];

/** A reaction follows its message activity directly, and the reaction fits the channel. */
export function checkReaction(
  node: ReactionNode,
  at: string,
  def: JourneyDefinition,
  add: Add,
  catalog?: JourneyCatalog,
): void {
  const message = def.nodes.find((n) => n.id === node.message);
  if (!message || !isMessageNode(message)) {
    add(
      node,
      `${at}.message`,
      'reaction_without_message',
      `it must follow a message activity (email, push or SMS), but "${node.message}" is ${message ? `a ${message.kind} activity` : 'not an activity of this journey'}`,
    );
    return;
  }
  const follows = outgoingPaths(message).some((p) => p.name === 'next' && p.next.includes(node.id));
  if (!follows)
    add(
      node,
      `${at}.message`,
      'reaction_not_after_message',
      `it must come right after the message activity "${message.label ?? message.id}" it reacts to (on its path)`,
    );
  const allowed = REACTIONS_BY_CHANNEL[message.kind];
  if (!allowed.includes(node.reaction))
    add(
      node,
      `${at}.reaction`,
      'reaction_channel',
      `"${node.reaction}" does not exist for a ${message.kind} message; it can react to ${allowed.join(', ')}`,
    );
  const kind = node.reaction;
  if ((kind === 'opened' || kind === 'clicked') && 'configuration' in message) {
    const untracked = catalog?.untracked?.[message.configuration] ?? [];
    if (untracked.includes(kind))
      add(
        node,
        `${at}.reaction`,
        'reaction_untracked',
        `the channel configuration "${message.configuration}" does not track ${kind === 'opened' ? 'opens' : 'link clicks'}, so no profile could take this path: turn on "${kind === 'opened' ? 'Track opens' : 'Track link clicks'}" in its Tracking settings`,
      );
  }
}

/** The schema of a profile attribute path, or why there is none. */
function attributeSchema(schema: JsonSchema, path: string): JsonSchema | string {
  let at: JsonSchema = schema;
  const parts = path.split('.');
  for (const [i, part] of parts.entries()) {
    const props = (at as { properties?: Record<string, JsonSchema> }).properties;
    const next =
      props && Object.prototype.hasOwnProperty.call(props, part) ? props[part] : undefined;
    if (!next) return `the profile schema has no field "${parts.slice(0, i + 1).join('.')}"`;
    at = next;
  }
  return at;
}

/** The attribute is a field of the profile schema, a single value, and not an identity. */
export function checkUpdateProfile(
  node: UpdateProfileNode,
  at: string,
  catalog: JourneyCatalog,
  add: Add,
): void {
  const lower = node.attribute.toLowerCase();
  const identity =
    IDENTITY_ATTRIBUTES.some(
      (f) => lower === f.toLowerCase() || lower.startsWith(`${f.toLowerCase()}.`),
    ) || (catalog.namespaces ?? []).some((ns) => lower.split('.')[0] === ns.toLowerCase());
  if (identity) {
    add(
      node,
      `${at}.attribute`,
      'identity_attribute',
      `"${node.attribute}" is an identity field; a journey cannot change a profile's identities`,
    );
    return;
  }
  if (!catalog.profileSchema) {
    add(
      node,
      `${at}.attribute`,
      'no_profile_schema',
      'the sandbox has no profile schema to check the attribute against: add one (profile-schemas)',
    );
    return;
  }
  const s = attributeSchema(catalog.profileSchema, node.attribute);
  if (typeof s === 'string') {
    add(node, `${at}.attribute`, 'unknown_attribute', s);
    return;
  }
  const type = (s as { type?: unknown }).type;
  if (type === 'object' || type === 'array')
    add(
      node,
      `${at}.attribute`,
      'attribute_not_value',
      `"${node.attribute}" is an ${type}: update one field of it (such as ${node.attribute}.…)`,
    );
}

/** Profile cap: a cap, one path (the first profiles) and the other cases (the rest). */
export function checkProfileCap(node: ConditionNode, at: string, add: Add): void {
  if (node.cap === undefined)
    add(node, `${at}.cap`, 'missing_cap', 'a profile cap needs the number of profiles (cap)');
  if (node.paths.length !== 1)
    add(
      node,
      `${at}.paths`,
      'profile_cap_paths',
      `a profile cap has one path (the first profiles) and the other cases, not ${node.paths.length} paths`,
    );
  if (!node.otherwise)
    add(
      node,
      `${at}.otherwise`,
      'profile_cap_otherwise',
      'a profile cap needs the path for the profiles over the cap (other cases)',
    );
}

/**
 * Jump: the target exists, is another journey, starts with an event (a unitary entry), has a live
 * version, and jumping there cannot lead back here (A → B → A).
 */
export function checkJump(
  node: JumpNode,
  at: string,
  catalog: JourneyCatalog,
  self: string | undefined,
  add: Add,
): void {
  const journeys = catalog.journeys;
  if (!journeys) return;
  const target = journeys[node.journey];
  if (node.journey === self) {
    add(node, `${at}.journey`, 'jump_to_self', 'it jumps to its own journey');
    return;
  }
  if (!target) {
    add(node, `${at}.journey`, 'unknown_journey', `the journey "${node.journey}" does not exist`);
    return;
  }
  if (target.entry !== 'event')
    add(
      node,
      `${at}.journey`,
      'jump_target_entry',
      `the journey "${target.name}" starts with an audience; a jump needs a journey that starts with an event`,
    );
  if (!target.live)
    add(
      node,
      `${at}.journey`,
      'jump_target_not_live',
      `the journey "${target.name}" has no live version to enter`,
    );
  if (self === undefined) return;
  const cycle = jumpCycle(journeys, node.journey, self);
  if (cycle)
    add(
      node,
      `${at}.journey`,
      'jump_cycle',
      `jumping to "${target.name}" leads back to this journey (${[self, ...cycle].join(' → ')})`,
    );
}

/** The jumps from `from` that reach `self`, as a list of journey ids, or null. */
function jumpCycle(
  journeys: NonNullable<JourneyCatalog['journeys']>,
  from: string,
  self: string,
): string[] | null {
  const seen = new Set<string>();
  const walk = (id: string, trail: string[]): string[] | null => {
    if (id === self) return [...trail, id];
    if (seen.has(id)) return null;
    seen.add(id);
    for (const t of journeys[id]?.jumps ?? []) {
      const found = walk(t, [...trail, id]);
      if (found) return found;
    }
    return null;
  };
  return walk(from, []);
}
