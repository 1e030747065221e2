// Every function a template may call, by name.
import type { FunctionTable } from './types.ts';
import { coreFunctions } from './core.ts';
import { stringFunctions } from './string.ts';
import { dateFunctions } from './date.ts';
import { mathFunctions } from './math.ts';
import { arrayFunctions } from './array.ts';

export const allFunctions: FunctionTable = {
  ...coreFunctions,
  ...stringFunctions,
  ...dateFunctions,
  ...mathFunctions,
  ...arrayFunctions,
};
