// The function table: every function by name.
import { audienceFunctions } from './audience.ts';
import type { FunctionSpec } from './signature.ts';

const all: readonly FunctionSpec[] = [...audienceFunctions];

export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map(all.map((f) => [f.name, f]));
export type { FunctionSpec } from './signature.ts';
