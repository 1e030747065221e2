// The sandbox's own allowed hosts, beside the operator's --allow-hosts list: where its custom
// actions and channels may connect. Reading them needs actions.view, changing them settings.manage
// (src/api/route-permissions.ts); private and loopback addresses and wildcards for every host need
// settings.manage in every sandbox (an operator's act: they open the server's own network).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import type { Waymark } from '../../runtime/app.ts';
import { needsOperator } from '../../runtime/allowed-hosts.ts';
import { parseWith, sandboxOf } from '../context.ts';
import type { AllowedHosts } from '../../access/api-types.ts';
import { canEverywhere } from '../../access/policy.ts';
import { principalOf } from '../principal.ts';
import { openApi } from './request-input.ts';

const bodySchema = z.object({ host: z.string().min(1).max(300) }).strict();

export function allowedHostRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const tags = ['allowed hosts'];
    const now = (): string => new Date(app.clock.now()).toISOString();
    f.get(
      '/allowed-hosts',
      {
        schema: {
          tags,
          summary:
            "The hosts the sandbox may connect to: the operator's list and the sandbox's own",
        },
      },
      async (req): Promise<AllowedHosts> => app.allowedHosts.list(sandboxOf(req)),
    );
    f.post(
      '/allowed-hosts',
      {
        schema: {
          tags,
          summary:
            'Allow a host for the sandbox ({"host": "api.example.com"}, "api.example.com:8443", "*.example.com", or an IP literal with a key for every sandbox)',
          body: openApi(bodySchema),
        },
      },
      async (req): Promise<AllowedHosts> => {
        const { host } = parseWith(bodySchema, req.body, 'allowed host');
        if (needsOperator(host) && !canEverywhere(principalOf(req), 'settings.manage')) {
          throw new WaymarkError(
            ErrorCode.Forbidden,
            `allowing "${host}" (a private or loopback address, or every host) needs settings.manage in every sandbox`,
            { details: { host, permission: 'settings.manage' } },
          );
        }
        const sandbox = sandboxOf(req);
        return {
          sandbox: await app.allowedHosts.add(sandbox, host, now()),
          operator: (await app.allowedHosts.list(sandbox)).operator,
        };
      },
    );
    f.delete<{ Params: { host: string } }>(
      '/allowed-hosts/:host',
      { schema: { tags, summary: "Remove a host from the sandbox's own list" } },
      async (req): Promise<AllowedHosts> => {
        const sandbox = sandboxOf(req);
        return {
          sandbox: await app.allowedHosts.remove(sandbox, req.params.host, now()),
          operator: (await app.allowedHosts.list(sandbox)).operator,
        };
      },
    );
  };
}
