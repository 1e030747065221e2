// Access labels (GET /v1/labels): the labels in use in the sandbox, with how many journeys and
// objects of each kind carry them, and the labels the caller holds ('*' for all). Counted over
// what the caller may see: a label it does not hold is on nothing it sees, so it is not listed.
import type { FastifyInstance } from 'fastify';
import type { LabelsView } from '../../access/api-types.ts';
import { labelsIn, permissionsIn } from '../../access/policy.ts';
import { LABELLED_KINDS } from '../../model/labels.ts';
import type { Waymark } from '../../runtime/app.ts';
import { searchIndexOf } from '../../runtime/search/index.ts';
import { sandboxOf } from '../context.ts';
import { labelFilter } from '../label-access.ts';
import { principalOf } from '../principal.ts';
import { viewPermissionOf } from './search.ts';

export function labelRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const index = searchIndexOf(app);
    f.get(
      '/labels',
      {
        schema: {
          tags: ['access'],
          summary:
            "Access labels in use in the sandbox (with counts per kind, over what the caller may see) and the labels the caller holds ('*': all)",
        },
        config: { permission: 'signed-in' },
      },
      async (req): Promise<LabelsView> => {
        const sandbox = sandboxOf(req);
        const principal = principalOf(req);
        const perms = permissionsIn(principal, sandbox);
        const visible = labelFilter(req);
        const idx = await index.get(sandbox);
        const counts = new Map<string, Record<string, number>>();
        for (const kind of LABELLED_KINDS) {
          if (!perms.has(viewPermissionOf(kind))) continue;
          for (const e of idx.byKind.get(kind) ?? []) {
            if (e.labels.length === 0 || !visible(e.labels)) continue;
            for (const l of e.labels) {
              const perKind = counts.get(l) ?? {};
              perKind[kind] = (perKind[kind] ?? 0) + 1;
              counts.set(l, perKind);
            }
          }
        }
        const inUse = [...counts]
          .map(([label, kinds]) => ({
            label,
            count: Object.values(kinds).reduce((a, b) => a + b, 0),
            kinds,
          }))
          .sort((a, b) => a.label.localeCompare(b.label));
        const held = labelsIn(principal, sandbox);
        return { inUse, held: held === '*' ? '*' : [...held].sort() };
      },
    );
  };
}
