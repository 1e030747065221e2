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
export const eventSchemaCompiler = (): Ajv2020 =>
  addFormats(new Ajv2020({ allErrors: true, strict: false }));

/** An event type with its payload validator (integers bounded to safe ones: payload-bounds.ts). */
export const compileEventType = (ajv: Ajv2020, def: EventType): CompiledEventType => ({
  def,
  validate: ajv.compile(boundIntegers(def.schema) as object),
});
