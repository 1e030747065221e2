// The personalization editor's tree: everything a message can read at its place in a journey, as
// labelled nodes whose leaves carry the template path to insert. Built from JSON Schemas (profile,
// event types, custom-action responses) and the sandbox's audience names. Pure.
import { isRecord } from './functions/types.ts';

/** One entry of the tree (a leaf has a path that can be inserted); the console's designer uses this type. */
export interface PersonalizationNode {
  readonly label: string;
  readonly path?: string;
  readonly type?: string;
  readonly help?: string;
  readonly children?: readonly PersonalizationNode[];
}

export interface PersonalizationTreeInput {
  /** The sandbox's profile schema (profile.*), when it has one. */
  readonly profile?: unknown;
  readonly audiences: ReadonlyArray<{ readonly name: string; readonly description?: string }>;
  /** The journey's events and action responses in scope (upstream of the activity); absent outside a journey. */
  readonly journey?: {
    readonly events: Readonly<Record<string, unknown>>;
    readonly actions: Readonly<Record<string, unknown>>;
  };
}

/** What the runtime puts in context.journey.technicalProperties (src/runtime/messages.ts). */
export const technicalProperties: ReadonlyArray<
  readonly [name: string, type: string, help: string]
> = [
  ['journeyUID', 'string', 'The journey id.'],
  ['journeyVersion', 'integer', 'The journey version the profile is in.'],
  ['instanceUID', 'string', "The id of this profile's journey instance."],
  ['profileId', 'string', 'The profile id.'],
  ['sandboxName', 'string', 'The sandbox.'],
  ['currentNodeId', 'string', 'The id of the activity sending the message.'],
  ['currentNodeName', 'string', 'The label of the activity sending the message.'],
];

/** Nesting shown at most (schemas may be deep or self-similar). */
const MAX_DEPTH = 12;

export const PROFILE_GROUP = 'Profile attributes';
export const AUDIENCE_GROUP = 'Audiences';
export const CONTEXT_GROUP = 'Contextual attributes';

export function personalizationTree(input: PersonalizationTreeInput): PersonalizationNode[] {
  const out: PersonalizationNode[] = [
    {
      label: PROFILE_GROUP,
      help: "Attributes of the profile (the sandbox's profile schema).",
      children: input.profile === undefined ? [] : schemaChildren(input.profile, 'profile', 0),
    },
    {
      label: AUDIENCE_GROUP,
      help: 'Audiences of the sandbox: each is true when the profile is in it.',
      children: input.audiences.map((a) => ({
        label: a.name,
        path: `inAudience(${JSON.stringify(a.name)})`,
        type: 'boolean',
        help: a.description
          ? `true when the profile is in the audience (${a.description})`
          : 'true when the profile is in the audience',
      })),
    },
  ];
  if (input.journey !== undefined) {
    const events = Object.entries(input.journey.events).map(
      ([name, schema]): PersonalizationNode => {
        const path = `context.journey.events.${segment(name)}`;
        return {
          label: name,
          path,
          type: 'object',
          help: `The "${name}" event that brought the profile here.`,
          children: schemaChildren(schema, path, 0),
        };
      },
    );
    const actions = Object.entries(input.journey.actions).map(
      ([name, schema]): PersonalizationNode => {
        const path = `context.journey.actions.${segment(name)}`;
        return {
          label: readableName(name),
          path,
          type: 'object',
          help: `The response of the custom action "${name}".`,
          children: schemaChildren(schema, path, 0),
        };
      },
    );
    const technical = technicalProperties.map(([name, type, help]) => ({
      label: name,
      path: `context.journey.technicalProperties.${name}`,
      type,
      help,
    }));
    out.push({
      label: CONTEXT_GROUP,
      help: 'What the journey knows when the message is sent.',
      children: [
        {
          label: 'Journey Orchestration',
          children: [
            { label: 'Events', help: 'Events received before this activity.', children: events },
            {
              label: 'Actions',
              help: 'Responses of custom actions run before this activity.',
              children: actions,
            },
            { label: 'Technical properties', children: technical },
          ],
        },
      ],
    });
  }
  return out;
}

/** The fields of an object schema (or of an array's items) as tree nodes below `path`. */
function schemaChildren(schema: unknown, path: string, depth: number): PersonalizationNode[] {
  if (!isRecord(schema) || depth >= MAX_DEPTH) return [];
  const target = typeOf(schema) === 'array' ? schema['items'] : schema;
  if (!isRecord(target)) return [];
  const props = target['properties'];
  if (!isRecord(props)) return [];
  return Object.entries(props).map(([key, sub]) => {
    const p = `${path}.${segment(key)}`;
    const type = typeOf(sub);
    const title =
      isRecord(sub) && typeof sub['title'] === 'string' && sub['title'] !== '' ? sub['title'] : key;
    const description =
      isRecord(sub) && typeof sub['description'] === 'string' ? sub['description'] : undefined;
    const help =
      type === 'array'
        ? `${description ? `${description} ` : ''}A list: repeat over it with {{#each ${p} as |item|}}…{{/each}}; its item fields are below.`
        : description;
    const children = type === 'object' || type === 'array' ? schemaChildren(sub, p, depth + 1) : [];
    return {
      label: title,
      path: p,
      ...(type === undefined ? {} : { type }),
      ...(help === undefined ? {} : { help }),
      ...(children.length > 0 ? { children } : {}),
    };
  });
}

function typeOf(schema: unknown): string | undefined {
  if (!isRecord(schema)) return undefined;
  const t = schema['type'];
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.find((x): x is string => typeof x === 'string' && x !== 'null');
  if (isRecord(schema['properties'])) return 'object';
  if (isRecord(schema['items'])) return 'array';
  return undefined;
}

/** A path segment: plain names as they are, others backticked (context.journey.events.`1697323153`). */
function segment(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : `\`${name}\``;
}

/** "LoyaltyService" -> "Loyalty Service", "sendSMS_v2" -> "Send SMS v2" (labels only; paths keep the name). */
export function readableName(name: string): string {
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim();
  return words.length === 0 ? name : words.charAt(0).toUpperCase() + words.slice(1);
}
