// The compiler of event types' payload schemas: one configuration wherever events are checked (the
// catalog on the writer's thread, the ingest workers in src/runtime/workers), so both accept and
// refuse the same payloads with the same errors.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { EventType } from '../model/event-type.ts';
import { boundIntegers } from './payload-bounds.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export interface CompiledEventType {
  readonly def: EventType;
  readonly validate: ValidateFunction;
}

/** A JSON Schema compiler with the options event payloads are checked with. */
const eventSchemaCompiler = (): Ajv2020 =>
  addFormats(new Ajv2020({ allErrors: true, strict: false }));

// Compiled validators by schema text, the least recently used dropped past MAX_COMPILED. A catalog
// is rebuilt after every object change and compiled each event type again (tens of milliseconds
// apiece); the same schema text now compiles once per process. A validator keeps no state between
// calls but its `errors`, which callers read right after the call.
const MAX_COMPILED = 512;
const compiled = new Map<string, ValidateFunction>();
let compiler: Ajv2020 | undefined;

/** The validator of a JSON Schema (throws when the schema does not compile). */
export function compileSchema(schema: object): ValidateFunction {
  const text = JSON.stringify(schema);
  const known = compiled.get(text);
  if (known) {
    compiled.delete(text);
    compiled.set(text, known);
    return known;
  }
  compiler ??= eventSchemaCompiler();
  const validate = compiler.compile(schema);
  compiled.set(text, validate);
  if (compiled.size > MAX_COMPILED) {
    const [oldest, dropped] = compiled.entries().next().value as [string, ValidateFunction];
    compiled.delete(oldest);
    // ajv keeps every schema object it compiled: let it forget the dropped one.
    compiler.removeSchema(dropped.schema as object);
  }
  return validate;
}

/** An event type with its payload validator (integers bounded to safe ones: payload-bounds.ts). */
export const compileEventType = (def: EventType): CompiledEventType => ({
  def,
  validate: compileSchema(boundIntegers(def.schema) as object),
});
