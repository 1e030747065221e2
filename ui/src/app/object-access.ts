// What the person may do to the objects of one console kind: manage (create, edit, archive) and
// delete, each with the permission it needs (objectPermission maps the stored kind to its family).
import { objectPermission } from '@waymark/shared/access/permissions.ts';
import type { Permission } from '@waymark/shared/access/permissions.ts';
import { OBJECT_STORED_KIND } from './menu.ts';
import type { ObjectKind } from './menu.ts';
import { useCanKnown } from './permissions.tsx';

export interface ObjectAccess {
  /** undefined until GET /v1/me answers. */
  readonly manage: boolean | undefined;
  readonly delete: boolean | undefined;
  readonly managePermission: Permission;
  readonly deletePermission: Permission;
}

export function useObjectAccess(kind: ObjectKind): ObjectAccess {
  const stored = OBJECT_STORED_KIND[kind];
  const managePermission = objectPermission(stored, 'manage');
  const deletePermission = objectPermission(stored, 'delete');
  return {
    manage: useCanKnown(managePermission),
    delete: useCanKnown(deletePermission),
    managePermission,
    deletePermission,
  };
}
