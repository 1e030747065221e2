// The function table: every function by name.
import { aggregationFunctions } from './aggregation.ts';
import { audienceFunctions } from './audience.ts';
import { conversionFunctions } from './conversion.ts';
import { dateFunctions } from './date.ts';
import { listFunctions } from './list.ts';
import { mathFunctions } from './math.ts';
import type { FunctionSpec } from './signature.ts';
import { stringFunctions } from './string.ts';

const all: readonly FunctionSpec[] = [
  ...audienceFunctions,
  ...aggregationFunctions,
  ...conversionFunctions,
  ...dateFunctions,
  ...listFunctions,
  ...mathFunctions,
  ...stringFunctions,
];

export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map(all.map((f) => [f.name, f]));
export type { FunctionSpec } from './signature.ts';
