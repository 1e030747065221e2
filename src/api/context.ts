// What every route handler gets: the app, the request's sandbox, and small parsing helpers that
// answer bad input with a field-level error.
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { sandboxNameSchema } from '../model/common.ts';
import { validationFailed, WaymarkError, ErrorCode } from '../errors.ts';
import { zodIssues } from '../runtime/zod-issues.ts';

export function sandboxOf(req: FastifyRequest): string {
  const raw = req.headers['x-sandbox-name'];
  const name = typeof raw === 'string' && raw.length > 0 ? raw : 'prod';
  const r = sandboxNameSchema.safeParse(name);
  if (!r.success)
    throw new WaymarkError(ErrorCode.BadRequest, 'the x-sandbox-name header is invalid', {
      issues: [
        {
          path: 'headers.x-sandbox-name',
          message: r.error.issues[0]?.message ?? 'invalid',
          expected: 'lowercase letters, digits and -',
          received: name,
        },
      ],
    });
  return r.data;
}

export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw validationFailed(`the ${what} is invalid`, zodIssues(r.error));
  return r.data;
}

export function intParam(
  value: unknown,
  name: string,
  fallback: number,
  max: number,
  min = 1,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value === '' || !Number.isInteger(n) || n < min || n > max)
    throw new WaymarkError(ErrorCode.BadRequest, `the ${name} parameter is invalid`, {
      issues: [
        {
          path: `query.${name}`,
          message: `must be an integer from ${min} to ${max}`,
          expected: 'integer',
          received: String(value),
        },
      ],
    });
  return n;
}
