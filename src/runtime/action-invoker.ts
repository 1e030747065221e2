// Custom actions through the outbox: build the request from the evaluated parameters, call it with
// the channel client (timeout, retries, host allow-list, capping), map the answer to a step input.
import { callAction, limiterCapper, limiterThrottle } from '../channels/http-action/index.ts';
import { actionValuesFromParameters, buildActionRequest } from '../model/custom-action.ts';
import { toWaymarkError } from '../errors.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import type { ActionInvoker } from './ports.ts';
import type { SecretBox } from './secret-box.ts';
import type { Logger } from '../shared/logger.ts';
import { LocalRateLimiter } from './rates/local-rate-limiter.ts';

export interface ActionInvokerOptions {
  /** Hosts custom actions may reach, by sandbox; '*' allows any public host. */
  readonly allowHosts: (sandbox: string) => readonly string[];
  readonly log?: Logger;
  readonly secrets?: SecretBox;
  /**
   * Where capping and throttling count, read at each call (fleet mode swaps in the fleet-wide one
   * after start): this process's memory when absent.
   */
  readonly limiter?: () => RateLimiter;
}

export function createActionInvoker(opts: ActionInvokerOptions): ActionInvoker {
  const local = new LocalRateLimiter();
  const limiter = opts.limiter ?? (() => local);
  return async (call) => {
    const action = opts.secrets
      ? opts.secrets.open('action', call.action, call.sandbox)
      : call.action;
    let request;
    try {
      request = buildActionRequest(action, actionValuesFromParameters(call.parameters));
    } catch (e) {
      const err = toWaymarkError(e);
      return {
        ok: false,
        code: 'internalError',
        message: [err.message, ...err.issues.map((i) => `${i.path}: ${i.message}`)].join('; '),
      };
    }
    const withKey = {
      ...request,
      headers: { ...request.headers, 'Idempotency-Key': call.idempotencyKey },
    };
    const def = { ...action, timeoutMs: Math.min(action.timeoutMs, call.timeoutMs) };
    const rates = limiter();
    const capper = limiterCapper(rates, call.sandbox);
    const throttle = action.throttling
      ? limiterThrottle(rates, call.sandbox, action.name, action.throttling)
      : undefined;
    const r = await callAction(def, withKey, {
      allowHosts: opts.allowHosts(call.sandbox),
      capper,
      ...(throttle ? { throttle } : {}),
      ...(opts.log
        ? { log: (entry) => opts.log!('info', 'custom action call', { ...entry }) }
        : {}),
    });
    if (r.ok) return { ok: true, status: r.status, body: r.body };
    return {
      ok: false,
      code: r.code,
      message: r.message ?? r.code,
      ...(r.errorResponse !== undefined ? { errorResponse: r.errorResponse } : {}),
    };
  };
}
