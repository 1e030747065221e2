// Deleting an object safely: who uses it is asked first. Used: the dialog names each user ("Used by:
// Purchase Journey v1 (live)", each a link), Delete is disabled and "Archive instead" is offered.
// Unused: a plain confirmation. A 409 in_use from the server (someone started using it meanwhile)
// ends in the same "used by" dialog.
import type { MouseEvent } from 'react';
import { ApiError } from '../api/client.ts';
import type { Api } from '../api/client.ts';
import type { Dialogs } from '../app/dialog.tsx';
import type { ObjectKind } from '../app/menu.ts';
import { navigate } from '../app/router.ts';
import { describeReference, hrefOf, objectApi } from './object-api.ts';
import type { Reference } from './object-api.ts';

export type DeleteOutcome = 'deleted' | 'archived' | 'cancelled';

/** A link in a dialog: closes the dialog (as Cancel does), then goes there. */
function openFromDialog(e: MouseEvent<HTMLAnchorElement>, to: string): void {
  if (e.metaKey || e.ctrlKey || e.button !== 0) return;
  e.preventDefault();
  e.currentTarget.closest('dialog')?.dispatchEvent(new Event('cancel', { cancelable: true }));
  void navigate(to);
}

export function UsedBy(p: { items: readonly Reference[] }) {
  return (
    <div className="used-by">
      <p>Used by:</p>
      <ul aria-label="Used by">
        {p.items.map((r) => (
          <li key={`${r.kind}:${r.key}:${r.version ?? ''}`}>
            <a href={hrefOf(r)} onClick={(e) => openFromDialog(e, hrefOf(r))}>
              {describeReference(r)}
            </a>
            {r.via.length > 0 && (
              <span className="muted small"> through {r.via.map((v) => v.key).join(' › ')}</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

async function askInUse(
  dialogs: Dialogs,
  name: string,
  items: readonly Reference[],
  archived: boolean,
): Promise<'archive' | null> {
  return dialogs
    .choose<'archive' | 'delete'>({
      title: `"${name}" is in use`,
      body: (
        <>
          <UsedBy items={items} />
          <p>
            Deleting it would break what uses it.
            {archived
              ? ' It is archived already: it stays usable by them, and is marked as archived in lists.'
              : ' Archive it instead: it stays usable by them, and is marked as archived in lists.'}
          </p>
        </>
      ),
      actions: [
        { label: 'Delete', value: 'delete', tone: 'danger', disabled: true },
        ...(archived
          ? []
          : [{ label: 'Archive instead', value: 'archive' as const, tone: 'primary' as const }]),
      ],
      cancelLabel: archived ? 'Close' : 'Cancel',
    })
    .then((v) => (v === 'archive' ? 'archive' : null));
}

export async function deleteObject(
  api: Api,
  dialogs: Dialogs,
  kind: ObjectKind,
  key: string,
  name: string,
): Promise<DeleteOutcome> {
  const objects = objectApi(api);
  const refs = await objects.references(kind, key);
  const blocking = refs.items.filter((r) => r.blocking);
  const archive = async (): Promise<DeleteOutcome> => {
    await objects.archive(kind, key, true);
    return 'archived';
  };
  if (blocking.length > 0)
    return (await askInUse(dialogs, name, blocking, refs.archived)) === 'archive'
      ? archive()
      : 'cancelled';
  const others = refs.items.filter((r) => !r.blocking);
  const sure = await dialogs.confirm({
    title: `Delete "${name}"?`,
    body: (
      <>
        <p>Nothing in this sandbox uses it. Deleting cannot be undone.</p>
        {others.length > 0 && (
          <>
            <p className="muted small">
              Closed journey versions that used it keep their own copy of what they ran with:
            </p>
            <UsedBy items={others} />
          </>
        )}
      </>
    ),
    confirmLabel: 'Delete',
    danger: true,
  });
  if (!sure) return 'cancelled';
  try {
    await objects.remove(kind, key);
    return 'deleted';
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 'in_use')) throw err;
    const now = await objects.references(kind, key);
    return (await askInUse(
      dialogs,
      name,
      now.items.filter((r) => r.blocking),
      now.archived,
    )) === 'archive'
      ? archive()
      : 'cancelled';
  }
}
