import type { JsonSchema } from '../model/common.ts';

/** Infers a JSON Schema from a sample value, as the product types an action's response from its sample. */
export function schemaFromSample(sample: unknown): JsonSchema {
  if (sample === null || sample === undefined) return {};
  if (Array.isArray(sample))
    return { type: 'array', items: sample.length > 0 ? schemaFromSample(sample[0]) : {} };
  switch (typeof sample) {
    case 'string':
      return { type: 'string' };
    case 'number':
      return { type: Number.isInteger(sample) ? 'integer' : 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'object':
      return {
        type: 'object',
        properties: Object.fromEntries(
          Object.entries(sample).map(([k, v]) => [k, schemaFromSample(v)]),
        ),
      };
    default:
      return {};
  }
}
