// Shared helpers for the audience tests: snapshots, compiled audiences, the Luma examples.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compileAudience } from '../../src/audience/index.ts';
import type { CompiledAudience, KnownNames, ProfileSnapshot } from '../../src/audience/index.ts';
import { audienceSchema } from '../../src/model/audience.ts';
import type { Audience, AudienceRule } from '../../src/model/audience.ts';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 0, 1);

export function snapshot(over: Partial<ProfileSnapshot> = {}): ProfileSnapshot {
  return { attributes: {}, events: [], feedback: [], memberships: {}, ...over };
}

export function compile(audience: Audience, known: Partial<KnownNames> = {}): CompiledAudience {
  const r = compileAudience(audience, { audiences: [], ...known });
  if (!r.ok) throw new Error(`compile failed: ${JSON.stringify(r.issues)}`);
  return r.audience;
}

export function rule(
  definition: AudienceRule,
  known: Partial<KnownNames> = {},
  name = 'A',
): CompiledAudience {
  return compile({ name, origin: 'streaming', definition }, known);
}

const examplesDir = new URL('../../examples/luma/audiences/', import.meta.url);

export function lumaAudiences(): Audience[] {
  return readdirSync(examplesDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => audienceSchema.parse(parse(readFileSync(join(examplesDir.pathname, f), 'utf8'))));
}
