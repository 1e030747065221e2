// The person's roles as people call them ("Viewer and Content manager"), for the user menu and the
// pages that say why something is not offered.
import type { MeView } from '@waymark/shared/api/access.ts';
import { builtInRole } from '@waymark/shared/access/roles.ts';

export const roleTitle = (name: string): string => builtInRole(name)?.title ?? name;

export function roleTitles(me: Pick<MeView, 'roles'>): string {
  const titles = me.roles.map(roleTitle);
  if (titles.length === 0) return 'no role';
  return titles.length === 1
    ? titles[0]!
    : `${titles.slice(0, -1).join(', ')} and ${titles.at(-1)!}`;
}
