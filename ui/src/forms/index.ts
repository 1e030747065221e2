// Forms generated from the object kinds' zod schemas (src/model): the console's editors for event
// types, custom actions, audiences, content templates, fragments, rule sets, channel configurations,
// identity namespaces, language settings, assets and the profile schema.
//
// The contract:
//   <SchemaForm kind value onChange serverIssues? references readOnlyKey? />
//     kind          a route name of src/app/menu.ts OBJECT_KINDS ('event-types', 'actions', …)
//     value         the spec being edited; onChange(next) gets the whole next spec
//     serverIssues  the API's field issues ({ path: "request.url" | "fields[2].name", message }), shown at
//                   the field (or the nearest one shown); the browser's own check of the same schema is
//                   shown once a field has been edited
//     references    (kind) => [{ key, label }]: other objects' names for the pickers (an event type's
//                   namespace, a rule's event type, an image's asset, a fragment block's fragment …);
//                   keys by kind ({ namespaces: ['Email'] }) work too. The built-in namespaces are added.
//     readOnlyKey   the key field (name / id / code) is fixed once created
//   validateSpec(kind, value)  → [{ path, message }] in plain words ("Enter a name", "Choose an identity
//                                namespace", "Enter a full URL such as https://example.com")
//   emptySpec(kind)            → a starting object for "Create"
//   schemaFor(kind)            → the JSON Schema of what a client writes (for the JSON tab's completion)
//   displayName(kind, spec)    → the human name for lists (a fragment's name, not its id)
//
// What the form draws, from the schema: text, numbers, checkboxes, selects (enums), checkbox groups
// (lists of choices), sections for nested objects (optional ones added and removed), rows for lists
// (add, move, remove) and records (name/value), a type choice for unions (a custom action's auth, a
// channel configuration's channel, a block's kind), a list of fields for JSON Schemas (an event's
// payload, the profile's attributes) and a small JSON editor for free JSON. Help comes from the
// schemas' .describe()/.meta() in src/model. formModel/bindSpec/unbind are the same model as data,
// for tests.
//
// Secrets (a custom action's auth password/token/key/body/headers; a channel configuration's SMTP
// password, DKIM key, APNs .p8 key, FCM private key, Twilio token) are password inputs; an API answer
// shows "[redacted]" in their place and the form keeps that ("Keep the stored secret") until a new
// secret is typed. Errors carry aria-invalid and aria-describedby on the input.
export { SchemaForm } from './schema-form.tsx';
export type { SchemaFormProps } from './schema-form.tsx';
export { validateSpec } from './messages.ts';
export type { FieldIssue } from './messages.ts';
export { emptySpec } from './empty.ts';
export { schemaFor, formModel, bindSpec, unbind } from './field-model.ts';
export { displayName, KIND_NAMES, REDACTED } from './kinds.ts';
export type { ObjectKindName, ReferenceLookup } from './kinds.ts';
