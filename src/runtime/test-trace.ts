// What the test-run debugger shows of a custom action's request: the request as built from the
// action and the step's parameters, with every secret replaced by "[redacted]" (auth headers,
// header keys, secret-looking header and query names, and the secret values wherever they occur).
import { REDACTED } from '../channels/secrets.ts';
import {
  actionValuesFromParameters,
  buildActionRequest,
  type CustomAction,
} from '../model/custom-action.ts';
import type { TracedRequest } from '../journey/trace.ts';

const SECRET_NAME = /auth|token|key|secret|cookie|password|signature/i;

/** The secret strings of an action's authentication (plain or sealed, they never show). */
function secretValues(action: CustomAction): string[] {
  const a = action.auth;
  switch (a.kind) {
    case 'none':
      return [];
    case 'basic':
      return [a.password, Buffer.from(`${a.username}:${a.password}`, 'utf8').toString('base64')];
    case 'bearer':
      return [a.token];
    case 'headerKey':
      return [a.value];
    case 'customToken':
      return [...Object.values(a.headers), ...(a.body ? [JSON.stringify(a.body)] : [])];
    default: {
      const never: never = a;
      return never;
    }
  }
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(REDACTED);
  return out;
}

/** The request a call of this action with these parameters sends, secrets redacted; null when it cannot be built. */
export function tracedRequest(
  action: CustomAction,
  parameters: Readonly<Record<string, unknown>>,
  idempotencyKey: string,
): TracedRequest | null {
  let built;
  try {
    built = buildActionRequest(action, actionValuesFromParameters(parameters));
  } catch {
    return null;
  }
  const secrets = secretValues(action).filter((s) => typeof s === 'string');
  const secretHeaders = new Set(built.secretHeaders.map((h) => h.toLowerCase()));
  if (action.auth.kind === 'customToken') secretHeaders.add(action.auth.header.toLowerCase());
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries({
    ...built.headers,
    'Idempotency-Key': idempotencyKey,
  })) {
    headers[name] =
      secretHeaders.has(name.toLowerCase()) ||
      (SECRET_NAME.test(name) && name !== 'Idempotency-Key')
        ? REDACTED
        : scrub(value, secrets);
  }
  if (action.auth.kind === 'customToken') headers[action.auth.header] = REDACTED;
  let url = built.url;
  try {
    const u = new URL(built.url);
    for (const name of [...u.searchParams.keys()])
      if (SECRET_NAME.test(name)) u.searchParams.set(name, REDACTED);
    url = scrub(u.href, secrets);
  } catch {
    url = scrub(url, secrets);
  }
  let body: unknown = null;
  if (built.body !== undefined) {
    const text = scrub(built.body, secrets);
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text;
    }
  }
  return { method: built.method, url, headers, body };
}
