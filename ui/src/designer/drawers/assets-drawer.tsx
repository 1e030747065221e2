// The asset selector of the designer's left rail: collections as folders (double click or Enter
// opens one), search by name and tag, tag chips, thumbnails to drag onto the email (or Enter to
// insert where the keyboard user is), a rendition per asset, "Use for selected image", an upload
// into a collection, and the way to the assets' own page.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DragEvent, KeyboardEvent } from 'react';
import { errorText } from '../../api/client.ts';
import { useDialogs } from '../../app/dialog.tsx';
import { navigate } from '../../app/router.ts';
import { useApi } from '../../app/session.tsx';
import { useDesigner, writeDrag } from '../contracts.ts';
import type { RenditionPick } from '../contracts.ts';
import { libraryApi } from './library-api.ts';
import type { AssetLibrary, LibraryAsset, Rendition } from './library-api.ts';
import { findBlock, isImageSelected, withImageAsset } from './selected-block.ts';
import './drawers.css';

/** Offered before the server's list arrives (and when it has none): the original and two widths. */
export const DEFAULT_RENDITIONS: readonly Rendition[] = [
  { label: 'Original', spec: {}, url: '' },
  { label: 'Email 600 px', spec: { width: 600 }, url: '' },
  { label: 'Retina 1200 px', spec: { width: 1200 }, url: '' },
];
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const specKey = (s: RenditionPick): string =>
  JSON.stringify([s.width ?? null, s.height ?? null, s.format ?? null]);
const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/\.[a-z0-9]+$/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'image';

type Load =
  { state: 'loading' } | { state: 'ok'; value: AssetLibrary } | { state: 'error'; message: string };

let openCollection: string | null = null;

export function AssetsDrawer() {
  const d = useDesigner();
  const api = useApi();
  const lib = useMemo(() => libraryApi(api), [api]);
  const dialogs = useDialogs();
  const [query, setQuery] = useState('');
  const [tag, setTag] = useState<string | null>(null);
  // The open collection outlives the drawer: switching to Components and back keeps Luma open.
  const [collection, setCollectionState] = useState<string | null>(openCollection);
  const setCollection = (c: string | null) => {
    openCollection = c;
    setCollectionState(c);
  };
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [reload, setReload] = useState(0);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [picks, setPicks] = useState<Readonly<Record<string, RenditionPick>>>({});
  const file = useRef<HTMLInputElement>(null);
  const grid = useRef<HTMLUListElement>(null);
  const focusAfter = useRef<string | null>(null);

  const browsing = !query.trim() && !tag && collection === null;
  useEffect(() => {
    let live = true;
    const t = setTimeout(
      () => {
        lib
          .assets({
            q: query.trim() || undefined,
            tag: tag ?? undefined,
            collection: collection ?? undefined,
          })
          .then(
            (value) => {
              if (live) setLoad({ state: 'ok', value });
            },
            (e: unknown) => {
              if (live) setLoad({ state: 'error', message: errorText(e) });
            },
          );
      },
      query ? 200 : 0,
    );
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [lib, query, tag, collection, reload]);
  useEffect(() => {
    if (!focusAfter.current || load.state !== 'ok') return;
    const el = grid.current?.querySelector<HTMLElement>(
      `[data-asset="${CSS.escape(focusAfter.current)}"]`,
    );
    if (el) {
      el.focus();
      focusAfter.current = null;
    }
  }, [load]);

  const imageSelected = isImageSelected(d.doc, d.selection);
  const payload = (a: LibraryAsset) => ({
    type: 'asset' as const,
    assetId: a.id,
    ...(picks[a.id] && Object.keys(picks[a.id]!).length ? { rendition: picks[a.id]! } : {}),
  });
  const insert = (a: LibraryAsset) => {
    d.insert(payload(a));
    setStatus({ ok: true, text: `${a.name} added to the email.` });
  };
  const applyToSelected = (a: LibraryAsset) => {
    const sel = d.selection;
    if (!sel) return;
    const previous = (load.state === 'ok' ? load.value.items : []).find(
      (x) => x.id === findBlock(d.doc, sel)?.['assetId'],
    );
    const inherited = previous ? [previous.alt ?? '', previous.name].filter(Boolean) : [];
    d.update(
      (c) =>
        withImageAsset(
          c,
          d.locale,
          sel,
          a.id,
          picks[a.id] && Object.keys(picks[a.id]!).length ? picks[a.id] : undefined,
          a.alt ?? a.name,
          inherited,
        ),
      'Change image',
    );
    setStatus({ ok: true, text: `The selected image now shows ${a.name}.` });
  };

  const upload = useCallback(
    async (f: File) => {
      if (!IMAGE_TYPES.includes(f.type)) {
        setStatus({
          ok: false,
          text: `${f.name} is not an image this library takes: choose a PNG, JPEG, GIF or WebP file.`,
        });
        return;
      }
      const known = load.state === 'ok' ? load.value.collections.map((c) => c.name) : [];
      const meta = {
        name: f.name.replace(/\.[A-Za-z0-9]+$/, ''),
        collection: collection ?? known[0] ?? 'default',
        tags: '',
      };
      const ok = await dialogs.choose({
        title: 'Upload an image',
        body: (
          <UploadFields
            initial={meta}
            collections={known}
            onChange={(v) => Object.assign(meta, v)}
          />
        ),
        actions: [{ label: 'Upload', value: true }],
      });
      if (!ok) return;
      const name = meta.name.trim() || f.name;
      setStatus({ ok: true, text: `Uploading ${name}…` });
      try {
        // A new asset always: an id already used (in any collection) would get a new version instead.
        let id = slug(name);
        for (let i = 2; await lib.assetExists(id); i++) id = `${slug(name)}-${i}`;
        await lib.upload(id, f, {
          name,
          collection: meta.collection.trim() || 'default',
          tags: meta.tags
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
        });
        setStatus({ ok: true, text: `${name} is in ${meta.collection.trim() || 'default'}.` });
        focusAfter.current = id;
        setQuery('');
        setTag(null);
        setCollection(meta.collection.trim() || 'default');
        setReload((n) => n + 1);
      } catch (e) {
        setStatus({ ok: false, text: `The upload failed: ${errorText(e)}` });
      }
    },
    [collection, dialogs, lib, load],
  );

  const openFolder = (name: string) => {
    setCollection(name);
    setTag(null);
    setQuery('');
  };
  const lib0 = load.state === 'ok' ? load.value : null;

  return (
    <section className="drawer assets-drawer" aria-label="Assets">
      <header className="drawer-head">
        <h2>Assets</h2>
        <div className="row">
          <button type="button" onClick={() => file.current?.click()}>
            Upload
          </button>
          <a
            href="/objects/assets"
            onClick={(e) => {
              e.preventDefault();
              void navigate('/objects/assets');
            }}
          >
            Manage assets
          </a>
        </div>
        <input
          ref={file}
          type="file"
          accept={IMAGE_TYPES.join(',')}
          hidden
          aria-label="Image file to upload"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void upload(f);
          }}
        />
      </header>
      <input
        type="search"
        className="drawer-search"
        aria-label="Search assets"
        placeholder="Search by name or tag"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {lib0 && lib0.tags.length > 0 && (
        <div className="tag-chips" role="group" aria-label="Tags">
          {lib0.tags.map((t) => (
            <button
              key={t.name}
              type="button"
              className="tag-chip"
              aria-pressed={tag === t.name}
              onClick={() => setTag(tag === t.name ? null : t.name)}
            >
              {t.name}
            </button>
          ))}
        </div>
      )}
      <nav className="crumbs small" aria-label="Where in the library">
        {collection === null ? (
          <span>All collections</span>
        ) : (
          <>
            <button type="button" className="link" onClick={() => setCollection(null)}>
              All collections
            </button>{' '}
            › <span aria-current="page">{collection}</span>
          </>
        )}
      </nav>
      {status && (
        <p className={`small ${status.ok ? 'ok' : 'error'}`} role={status.ok ? 'status' : 'alert'}>
          {status.text}
        </p>
      )}
      {load.state === 'loading' && <p className="muted">Loading the asset library…</p>}
      {load.state === 'error' && (
        <div className="drawer-empty" role="alert">
          <p>The asset library cannot be reached right now.</p>
          <p className="small muted">{load.message}</p>
          <button
            type="button"
            onClick={() => {
              setLoad({ state: 'loading' });
              setReload((n) => n + 1);
            }}
          >
            Try again
          </button>
        </div>
      )}
      {lib0 &&
        browsing &&
        (lib0.collections.length === 0 ? (
          <p className="muted drawer-empty">No collections yet. Upload an image to start one.</p>
        ) : (
          <ul className="folders" aria-label="Collections">
            {lib0.collections.map((c) => (
              <li key={c.name}>
                <button
                  type="button"
                  className="folder"
                  aria-label={c.name}
                  aria-describedby={`count-${slug(c.name)}`}
                  title="Double click or press Enter to open"
                  onDoubleClick={() => openFolder(c.name)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      openFolder(c.name);
                    }
                  }}
                >
                  <svg className="folder-icon" viewBox="0 0 34 28" aria-hidden="true">
                    <path
                      fill="currentColor"
                      d="M2 4a2 2 0 0 1 2-2h9l3 3h14a2 2 0 0 1 2 2v17a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2z"
                    />
                  </svg>
                  <span className="folder-name">{c.name}</span>
                  <span className="small muted" id={`count-${slug(c.name)}`}>
                    {c.count === 1 ? '1 asset' : `${c.count} assets`}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        ))}
      {lib0 &&
        !browsing &&
        (lib0.items.length === 0 ? (
          <p className="muted drawer-empty">
            {query.trim()
              ? `No asset is named or tagged “${query.trim()}”${collection ? ` in ${collection}` : ''}.`
              : tag
                ? `No asset is tagged “${tag}”${collection ? ` in ${collection}` : ''}.`
                : 'This collection is empty. Upload an image to add one.'}
          </p>
        ) : (
          <ul
            className="asset-grid"
            aria-label={collection ? `Assets in ${collection}` : 'Assets found'}
            ref={grid}
          >
            {lib0.items.map((a) => (
              <AssetCard
                key={a.id}
                asset={a}
                lib={lib}
                pick={picks[a.id]}
                onPick={(s) => setPicks((p) => ({ ...p, [a.id]: s }))}
                onInsert={() => insert(a)}
                onDragStart={(e) => writeDrag(e.dataTransfer, payload(a))}
                onUseForSelected={imageSelected ? () => applyToSelected(a) : undefined}
              />
            ))}
          </ul>
        ))}
      {lib0 && !browsing && lib0.total > lib0.items.length && (
        <p className="small muted">
          {lib0.items.length} of {lib0.total} shown: search to narrow.
        </p>
      )}
    </section>
  );
}

function AssetCard(p: {
  asset: LibraryAsset;
  lib: ReturnType<typeof libraryApi>;
  pick: RenditionPick | undefined;
  onPick(s: RenditionPick): void;
  onInsert(): void;
  onDragStart(e: DragEvent): void;
  onUseForSelected: (() => void) | undefined;
}) {
  const a = p.asset;
  const [renditions, setRenditions] = useState<readonly Rendition[] | null>(null);
  const asked = useRef(false);
  const ask = () => {
    if (asked.current) return;
    asked.current = true;
    p.lib.renditions(a.id).then(
      (r) => setRenditions(r.length ? r : DEFAULT_RENDITIONS),
      () => setRenditions(DEFAULT_RENDITIONS),
    );
  };
  const list = renditions ?? DEFAULT_RENDITIONS;
  const current = specKey(p.pick ?? {});
  const onKey = (e: KeyboardEvent) => {
    if (e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      p.onInsert();
    }
  };
  return (
    <li className="asset-card" aria-label={a.name}>
      <div
        className="asset-thumb"
        role="button"
        tabIndex={0}
        draggable
        data-asset={a.id}
        aria-label={`Insert ${a.name}`}
        aria-roledescription="draggable asset"
        title="Drag onto the email, or press Enter to add it where you are"
        onDragStart={p.onDragStart}
        onKeyDown={onKey}
        onDoubleClick={p.onInsert}
      >
        <img src={a.thumbnailUrl ?? a.url} alt={a.name} loading="lazy" draggable={false} />
      </div>
      <div className="asset-name" title={a.name}>
        {a.name}
      </div>
      <div className="small muted">
        {a.width && a.height ? `${a.width} × ${a.height}` : a.mimeType}
        {a.tags.length ? ` · ${a.tags.join(', ')}` : ''}
      </div>
      <label className="small rendition">
        Rendition
        <select
          value={current}
          onFocus={ask}
          onPointerDown={ask}
          onChange={(e) => {
            const r = list.find((x) => specKey(x.spec) === e.target.value);
            if (r) p.onPick(r.spec);
          }}
        >
          {list.map((r) => (
            <option key={specKey(r.spec)} value={specKey(r.spec)}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      {p.onUseForSelected && (
        <button type="button" className="small-button" onClick={p.onUseForSelected}>
          Use for selected image
        </button>
      )}
    </li>
  );
}

function UploadFields(p: {
  initial: { name: string; collection: string; tags: string };
  collections: readonly string[];
  onChange(v: Partial<{ name: string; collection: string; tags: string }>): void;
}) {
  return (
    <div className="upload-fields">
      <label>
        Name
        <input
          autoFocus
          defaultValue={p.initial.name}
          onChange={(e) => p.onChange({ name: e.target.value })}
        />
      </label>
      <label>
        Collection
        <input
          defaultValue={p.initial.collection}
          list="upload-collections"
          onChange={(e) => p.onChange({ collection: e.target.value })}
        />
      </label>
      <datalist id="upload-collections">
        {p.collections.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <label>
        Tags (separated by commas)
        <input
          defaultValue={p.initial.tags}
          placeholder="banner, summer"
          onChange={(e) => p.onChange({ tags: e.target.value })}
        />
      </label>
    </div>
  );
}
