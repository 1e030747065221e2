// Custom actions through the outbox: build the request from the evaluated parameters, call it with
// the channel client (timeout, retries, host allow-list, capping), map the answer to a step input.
import { ActionThrottle, callAction, SlidingWindowCapper } from '../channels/http-action/index.ts';
import { actionValuesFromParameters, buildActionRequest } from '../model/custom-action.ts';
import { toWaymarkError } from '../errors.ts';
import { LruMap } from '../shared/lru.ts';
import type { ActionInvoker } from './ports.ts';
import type { SecretBox } from './secret-box.ts';
import type { Logger } from '../shared/logger.ts';

export interface ActionInvokerOptions {
  /** Hosts custom actions may reach, by sandbox; '*' allows any public host. */
  readonly allowHosts: (sandbox: string) => readonly string[];
  readonly log?: Logger;
  readonly secrets?: SecretBox;
}

export function createActionInvoker(opts: ActionInvokerOptions): ActionInvoker {
  // Bounded: a sandbox or action that is gone stops holding memory once newer ones push it out.
  const cappers = new LruMap<string, SlidingWindowCapper>(1024);
  const throttles = new LruMap<string, { key: string; throttle: ActionThrottle }>(4096);
  const throttleFor = (
    sandbox: string,
    action: {
      name: string;
      throttling?: { ratePerSecond: number; maxQueueAgeMs: number } | undefined;
    },
  ): ActionThrottle | undefined => {
    if (!action.throttling) return undefined;
    const id = `${sandbox}\u0000${action.name}`;
    const key = JSON.stringify(action.throttling);
    const existing = throttles.get(id);
    if (existing?.key === key) return existing.throttle;
    const throttle = new ActionThrottle({
      ratePerSecond: action.throttling.ratePerSecond,
      maxQueueAgeMs: action.throttling.maxQueueAgeMs,
    });
    throttles.set(id, { key, throttle });
    return throttle;
  };
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
    let capper = cappers.get(call.sandbox);
    if (!capper) {
      capper = new SlidingWindowCapper();
      cappers.set(call.sandbox, capper);
    }
    const throttle = throttleFor(call.sandbox, action);
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
