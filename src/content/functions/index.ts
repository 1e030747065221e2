// Every function a template may call, by name.
import type { FunctionTable } from './types.ts';
import { coreFunctions } from './core.ts';

export const allFunctions: FunctionTable = {
  ...coreFunctions,
};
