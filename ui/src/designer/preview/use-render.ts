// Renders through POST /v1/render as the inputs change: 150 ms after the last change, the request
// before it aborted, answers to stale requests dropped; the round trips' median for the status line.
import { useEffect, useRef, useState } from 'react';
import { ApiError, errorText } from '../../api/client.ts';
import { useApi } from '../../app/session.tsx';
import { median, type RenderRequestBody } from './render-request.ts';
import { postAbortable } from './simulation.ts';

export type RenderAnswer =
  | {
      ok: true;
      channel: 'email';
      subject: string;
      preheader?: string;
      html: string;
      text: string;
      locale?: string;
      variants?: Record<string, string>;
      usedAudiences?: string[];
      warnings: string[];
    }
  | {
      ok: false;
      reason: string;
      message: string;
      limit?: { name?: string; max?: number; where?: { field?: string; line?: number } };
    };

export interface RenderState {
  readonly answer: RenderAnswer | null;
  /** A request that failed (not a render that failed: that is an answer). */
  readonly error: { code: string; message: string } | null;
  readonly pending: boolean;
  readonly p50: number | null;
}

export function useRender(body: RenderRequestBody | null, delay = 150): RenderState {
  const api = useApi();
  const [state, setState] = useState<RenderState>({
    answer: null,
    error: null,
    pending: false,
    p50: null,
  });
  const times = useRef<number[]>([]);
  const key = body === null ? '' : JSON.stringify(body);
  useEffect(() => {
    if (key === '') return;
    const ctl = new AbortController();
    const t = setTimeout(() => {
      setState((s) => ({ ...s, pending: true }));
      const started = performance.now();
      postAbortable<RenderAnswer>(api, '/v1/render', JSON.parse(key) as unknown, ctl.signal).then(
        (answer) => {
          times.current = [...times.current.slice(-49), performance.now() - started];
          setState({ answer, error: null, pending: false, p50: median(times.current) });
        },
        (e: unknown) => {
          if (ctl.signal.aborted) return;
          setState((s) => ({
            ...s,
            answer: null,
            pending: false,
            error: { code: e instanceof ApiError ? e.code : 'error', message: errorText(e) },
          }));
        },
      );
    }, delay);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [api, key, delay]);
  return state;
}
