// What an expression can see: the schemas of events, profile, action responses and audiences.
import type { JsonSchema } from './types.ts';

export interface SchemaScope {
  /** Event type name -> payload JSON Schema. */
  readonly events: Readonly<Record<string, JsonSchema>>;
  /** Profile attributes schema (XDM-like); absent => profile fields are not checked. */
  readonly profile?: JsonSchema;
  /** Custom action name -> response JSON Schema. */
  readonly actions: Readonly<Record<string, JsonSchema>>;
  /** Known audience names; when given, inAudience("x") with an unknown name is an error. */
  readonly audiences?: readonly string[];
  /** Data source name -> field group name -> schema; absent => data-source fields are not checked. */
  readonly dataSources?: Readonly<Record<string, Readonly<Record<string, JsonSchema>>>>;
  /** When true, events and actions missing from the maps above are accepted without checks (ad-hoc evaluation). */
  readonly open?: boolean;
}

export type ExpectedType = 'boolean' | 'dateTimeOnly' | 'any';
