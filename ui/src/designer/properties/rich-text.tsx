// The text component's editor: a contentEditable with a toolbar, personalization tokens as chips
// (non-editable, their exact source in data-wm-token), and a code editor for text the browser could
// not hold without changing it (template tags between <table> and <tr>) or that is unsafe to show.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import { CodeEditor } from '../../expr/code-editor.tsx';
import { useDesigner } from '../contracts.ts';
import {
  CHIP_ATTR,
  CHIP_CLASS,
  CODE_NOTE,
  chipLabel,
  fromEditorHtml,
  toEditorHtml,
  unsafeReason,
} from './rich-text-model.ts';

const BANNED = new Set([
  'SCRIPT',
  'IFRAME',
  'FRAME',
  'OBJECT',
  'EMBED',
  'STYLE',
  'LINK',
  'META',
  'BASE',
  'FORM',
  'NOSCRIPT',
  'TEMPLATE',
]);
const BAD_URL = /^\s*(javascript|vbscript|data):/i;

/** Removes scripts, frames, on* attributes and script URLs in place; true when it removed something. */
export function sanitizeTree(root: ParentNode): boolean {
  let changed = false;
  for (const el of Array.from(root.querySelectorAll('*'))) {
    if (BANNED.has(el.tagName.toUpperCase())) {
      el.remove();
      changed = true;
      continue;
    }
    for (const a of Array.from(el.attributes)) {
      const n = a.name.toLowerCase();
      if (
        n.startsWith('on') ||
        (/^(href|src|action|formaction|xlink:href|background)$/.test(n) && BAD_URL.test(a.value)) ||
        n === 'srcdoc'
      ) {
        el.removeAttribute(a.name);
        changed = true;
      }
    }
  }
  return changed;
}

/** Safe editor HTML for `source`, or why the source must be edited as code. */
export function editorHtmlFor(
  source: string,
): { ok: true; html: string } | { ok: false; note: string } {
  const html = toEditorHtml(source);
  const unsafe = unsafeReason(html);
  if (unsafe)
    return { ok: false, note: `This text cannot be shown visually (${unsafe}): edit it as code.` };
  const t = document.createElement('template');
  t.innerHTML = html;
  const changed = sanitizeTree(t.content);
  if (changed || fromEditorHtml(t.innerHTML) !== source) {
    return {
      ok: false,
      note: /<t(able|r|body|head)\b/i.test(source)
        ? CODE_NOTE
        : 'The visual editor would change this text: edit it as code.',
    };
  }
  return { ok: true, html: t.innerHTML };
}

function fragmentOf(html: string): DocumentFragment {
  const t = document.createElement('template');
  t.innerHTML = html;
  sanitizeTree(t.content);
  return t.content;
}

interface LinkAnswer {
  readonly href: string;
  readonly tracked: boolean;
  readonly remove?: boolean;
}

function LinkDialog(p: {
  initial: { href: string; tracked: boolean; existing: boolean };
  onDone(a: LinkAnswer | null): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [href, setHref] = useState(p.initial.href);
  const [tracked, setTracked] = useState(p.initial.tracked);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const done = (a: LinkAnswer | null) => {
    ref.current?.close();
    p.onDone(a);
  };
  const bad = href.trim() !== '' && BAD_URL.test(href);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="wm-link-title"
      onCancel={(e) => {
        e.preventDefault();
        done(null);
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (href.trim() && !bad) done({ href: href.trim(), tracked });
        }}
      >
        <h2 id="wm-link-title">Link</h2>
        <label>
          URL
          <input
            autoFocus
            value={href}
            onChange={(e) => setHref(e.target.value)}
            placeholder="https://…"
            aria-invalid={bad || undefined}
          />
        </label>
        {bad && (
          <span className="field-error" role="alert">
            Script and data URLs are not allowed.
          </span>
        )}
        <label className="check">
          <input type="checkbox" checked={tracked} onChange={(e) => setTracked(e.target.checked)} />
          Track clicks
        </label>
        <div className="row dialog-actions">
          <button type="button" onClick={() => done(null)}>
            Cancel
          </button>
          {p.initial.existing && (
            <button
              type="button"
              className="danger"
              onClick={() => done({ href: '', tracked, remove: true })}
            >
              Remove link
            </button>
          )}
          <button type="submit" className="primary" disabled={!href.trim() || bad}>
            Apply
          </button>
        </div>
      </form>
    </dialog>
  );
}

const BLOCK_STYLES: ReadonlyArray<readonly [string, string]> = [
  ['p', 'Paragraph'],
  ['h1', 'Heading 1'],
  ['h2', 'Heading 2'],
  ['h3', 'Heading 3'],
];

export function RichTextEditor(p: {
  value: string;
  onChange(v: string): void;
  label: string;
  readOnly?: boolean;
  palette?: string[];
}) {
  const designer = useDesigner();
  const box = useRef<HTMLDivElement | null>(null);
  /** The source the editor last showed or emitted: a value equal to it is our own echo, not a change from outside. */
  const drawn = useRef<string | null>(null);
  const saved = useRef<Range | null>(null);
  const [view, setView] = useState<{ mode: 'rich' | 'code'; note?: string; visualOk?: boolean }>(
    () => {
      const c = editorHtmlFor(p.value);
      return c.ok ? { mode: 'rich' } : { mode: 'code', note: c.note };
    },
  );
  const [link, setLink] = useState<{
    href: string;
    tracked: boolean;
    existing: boolean;
    anchor: HTMLAnchorElement | null;
  } | null>(null);
  const onChange = useRef(p.onChange);
  onChange.current = p.onChange;

  // A value from outside (another block selected, undo, a locale): check it again and redraw.
  useLayoutEffect(() => {
    if (p.value === drawn.current) return;
    drawn.current = p.value;
    const c = editorHtmlFor(p.value);
    if (!c.ok) {
      setView({ mode: 'code', note: c.note });
      return;
    }
    setView((v) => (v.mode === 'code' && v.visualOk ? v : { mode: 'rich' }));
    if (box.current) {
      box.current.innerHTML = c.html;
      box.current.dataset['wmDrawn'] = '1';
    }
  }, [p.value]);
  // The editable box (again, after the code view): drawn once when it appears.
  const boxRef = useCallback((el: HTMLDivElement | null) => {
    box.current = el;
    if (el && el.dataset['wmDrawn'] !== '1' && drawn.current !== null) {
      const c = editorHtmlFor(drawn.current);
      if (c.ok) el.innerHTML = c.html;
      el.dataset['wmDrawn'] = '1';
    }
  }, []);

  const emit = useCallback(() => {
    const el = box.current;
    if (!el) return;
    sanitizeTree(el);
    let s = fromEditorHtml(el.innerHTML);
    if (s === '<br>') s = '';
    drawn.current = s;
    onChange.current(s);
  }, []);

  const remember = useCallback(() => {
    const sel = document.getSelection();
    if (sel && sel.rangeCount > 0 && box.current?.contains(sel.anchorNode))
      saved.current = sel.getRangeAt(0).cloneRange();
  }, []);
  const restore = (): Range | null => {
    const el = box.current;
    if (!el) return null;
    el.focus();
    const sel = document.getSelection();
    let r = saved.current;
    if (!r || !el.contains(r.startContainer)) {
      r = document.createRange();
      r.selectNodeContents(el);
      r.collapse(false);
    }
    sel?.removeAllRanges();
    sel?.addRange(r);
    return r;
  };
  useEffect(() => {
    document.addEventListener('selectionchange', remember);
    return () => document.removeEventListener('selectionchange', remember);
  }, [remember]);

  const exec = (cmd: string, arg?: string) => {
    if (p.readOnly) return;
    const r = restore();
    document.execCommand('styleWithCSS', false, cmd === 'foreColor' ? 'true' : 'false');
    const before = box.current?.innerHTML;
    // Chromium refuses some commands (or does nothing) when the selection starts at a chip.
    if (
      (!document.execCommand(cmd, false, arg) || box.current?.innerHTML === before) &&
      r &&
      box.current
    )
      fallback(r, cmd, arg);
    emit();
  };
  /** What Chromium refuses to do when the selection starts or ends at a chip, done by hand. */
  const fallback = (r: Range, cmd: string, arg?: string) => {
    const el = box.current!;
    const align = { justifyLeft: 'left', justifyCenter: 'center', justifyRight: 'right' }[cmd];
    if (align) {
      const blocks = Array.from(
        el.querySelectorAll<HTMLElement>('p, h1, h2, h3, h4, h5, h6, div, li'),
      ).filter(
        (b) => r.intersectsNode(b) && !b.querySelector('p, h1, h2, h3, h4, h5, h6, div, li'),
      );
      for (const b of blocks) b.style.textAlign = align;
      return;
    }
    const tag = { bold: 'b', italic: 'i', underline: 'u', foreColor: 'span' }[cmd];
    if (!tag || r.collapsed) return;
    const wrap = document.createElement(tag);
    if (cmd === 'foreColor' && arg) wrap.style.color = arg;
    wrap.append(r.extractContents());
    r.insertNode(wrap);
    r.selectNodeContents(wrap);
    saved.current = r.cloneRange();
  };

  /** Paragraph or heading for the blocks the selection touches (Chromium's formatBlock refuses blocks that start with a chip). */
  const setBlock = (tag: string) => {
    if (p.readOnly) return;
    const r = restore();
    const el = box.current;
    if (!r || !el) return;
    const before = el.innerHTML;
    if (document.execCommand('formatBlock', false, tag) && el.innerHTML !== before) {
      emit();
      return;
    }
    const blocks = Array.from(el.querySelectorAll('p, h1, h2, h3, h4, h5, h6, div')).filter(
      (b) => r.intersectsNode(b) && !b.querySelector('p, h1, h2, h3, h4, h5, h6, div'),
    );
    // Moving the children resets the range: keep its ends to put it back.
    const [sc, so, ec, eo] = [r.startContainer, r.startOffset, r.endContainer, r.endOffset];
    const swap = new Map<Node, Node>();
    for (const b of blocks) {
      const next = document.createElement(tag);
      for (const a of Array.from(b.attributes)) next.setAttribute(a.name, a.value);
      next.append(...Array.from(b.childNodes));
      b.replaceWith(next);
      swap.set(b, next);
    }
    const back = document.createRange();
    try {
      back.setStart(swap.get(sc) ?? sc, so);
      back.setEnd(swap.get(ec) ?? ec, eo);
      const sel = document.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(back);
      saved.current = back.cloneRange();
    } catch {
      /* the old place is gone: the caret stays where the browser put it */
    }
    emit();
  };

  /** Bulleted or numbered list on or off; by hand when Chromium refuses (a block that starts with a chip). */
  const toggleList = (kind: 'ul' | 'ol') => {
    if (p.readOnly) return;
    const r = restore();
    const el = box.current;
    if (!r || !el) return;
    const before = el.innerHTML;
    if (
      document.execCommand(kind === 'ul' ? 'insertUnorderedList' : 'insertOrderedList') &&
      el.innerHTML !== before
    ) {
      emit();
      return;
    }
    const caret = { node: r.startContainer, offset: r.startOffset };
    const items = Array.from(el.querySelectorAll('li')).filter((li) => r.intersectsNode(li));
    if (items.length > 0) {
      for (const li of items) {
        const para = document.createElement('p');
        para.append(...Array.from(li.childNodes));
        const list = li.parentElement!;
        list.before(para);
        li.remove();
        if (!list.querySelector('li')) list.remove();
      }
    } else {
      const blocks = Array.from(el.querySelectorAll('p, h1, h2, h3, h4, h5, h6, div')).filter(
        (b) => r.intersectsNode(b) && !b.querySelector('p, h1, h2, h3, h4, h5, h6, div'),
      );
      if (blocks.length === 0) return;
      const list = document.createElement(kind);
      blocks[0]!.before(list);
      for (const b of blocks) {
        const li = document.createElement('li');
        li.append(...Array.from(b.childNodes));
        list.append(li);
        b.remove();
      }
    }
    try {
      const back = document.createRange();
      back.setStart(caret.node, caret.offset);
      back.collapse(true);
      document.getSelection()?.removeAllRanges();
      document.getSelection()?.addRange(back);
      saved.current = back.cloneRange();
    } catch {
      /* the caret's node is gone */
    }
    emit();
  };

  const insertSource = (r: Range, source: string) => {
    r.deleteContents();
    const frag = fragmentOf(toEditorHtml(source));
    const last = frag.lastChild;
    r.insertNode(frag);
    if (last) {
      r.setStartAfter(last);
      r.collapse(true);
    }
    const sel = document.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(r);
    saved.current = r.cloneRange();
    emit();
  };

  const personalize = async () => {
    if (p.readOnly) return;
    remember();
    const src = await designer.personalize({ initial: '', mode: 'inline' });
    if (src === null || src === '') return;
    const r = restore();
    if (r) insertSource(r, src);
  };

  const editChip = async (chip: HTMLElement) => {
    if (p.readOnly) return;
    const enc = chip.getAttribute(CHIP_ATTR) ?? '';
    let initial = '';
    try {
      initial = decodeURIComponent(enc);
    } catch {
      /* a broken chip: start empty */
    }
    const src = await designer.personalize({ initial, mode: 'inline' });
    if (src === null || !chip.isConnected) return;
    const r = document.createRange();
    r.selectNode(chip);
    insertSource(r, src);
  };

  const anchorAtCaret = (): HTMLAnchorElement | null => {
    const n = saved.current?.startContainer ?? null;
    const el = n instanceof Element ? n : (n?.parentElement ?? null);
    const a = el?.closest('a');
    return a && box.current?.contains(a) ? a : null;
  };
  const openLink = () => {
    if (p.readOnly) return;
    remember();
    const a = anchorAtCaret();
    setLink({
      href: a?.getAttribute('href') ?? '',
      tracked: a ? !a.hasAttribute('data-wm-notrack') : true,
      existing: !!a,
      anchor: a,
    });
  };
  const applyLink = (ans: LinkAnswer | null) => {
    const ctx = link;
    setLink(null);
    if (!ans || !ctx) return;
    const setTrack = (a: Element) => {
      if (ans.tracked) a.removeAttribute('data-wm-notrack');
      else a.setAttribute('data-wm-notrack', '');
    };
    if (ctx.anchor && ctx.anchor.isConnected) {
      if (ans.remove) ctx.anchor.replaceWith(...Array.from(ctx.anchor.childNodes));
      else {
        ctx.anchor.setAttribute('href', ans.href);
        setTrack(ctx.anchor);
      }
      emit();
      return;
    }
    const r = restore();
    if (!r) return;
    if (r.collapsed) {
      const a = document.createElement('a');
      a.setAttribute('href', ans.href);
      setTrack(a);
      a.textContent = ans.href;
      r.insertNode(a);
      r.setStartAfter(a);
      emit();
      return;
    }
    // createLink with a marker URL, then the real URL and tracking on what it made.
    const marker = `wm-link-${Math.random().toString(36).slice(2)}`;
    document.execCommand('createLink', false, marker);
    for (const a of Array.from(box.current?.querySelectorAll(`a[href="${marker}"]`) ?? [])) {
      a.setAttribute('href', ans.href);
      setTrack(a);
    }
    emit();
  };

  const onKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    const k = e.key.toLowerCase();
    const cmd = k === 'b' ? 'bold' : k === 'i' ? 'italic' : k === 'u' ? 'underline' : null;
    if (cmd) {
      e.preventDefault();
      exec(cmd);
    } else if (k === 'k') {
      e.preventDefault();
      openLink();
    } else if (k === 'a' && box.current) {
      // Chromium selects the whole page when the text starts with a chip: select the text only.
      e.preventDefault();
      const r = document.createRange();
      r.selectNodeContents(box.current);
      document.getSelection()?.removeAllRanges();
      document.getSelection()?.addRange(r);
      saved.current = r.cloneRange();
    }
  };

  if (view.mode === 'code') {
    const toVisual = () => {
      const c = editorHtmlFor(p.value);
      setView(c.ok ? { mode: 'rich' } : { mode: 'code', note: c.note });
    };
    return (
      <div className="wm-rt wm-rt-code">
        <p className="note">{view.note}</p>
        <CodeEditor
          value={p.value}
          language="html"
          label={p.label}
          readOnly={p.readOnly}
          minHeight={120}
          onChange={(v) => {
            drawn.current = v;
            p.onChange(v);
          }}
        />
        {view.visualOk && (
          <button type="button" onClick={toVisual}>
            Edit visually
          </button>
        )}
      </div>
    );
  }

  const keep = (e: { preventDefault(): void }) => e.preventDefault(); // toolbar clicks keep the text selection
  const off = !!p.readOnly;
  return (
    <div className="wm-rt">
      <div
        role="toolbar"
        aria-label={`${p.label} formatting`}
        className="wm-rt-toolbar"
        onMouseDown={keep}
      >
        <button
          type="button"
          aria-label="Bold"
          title="Bold (Ctrl+B)"
          disabled={off}
          onClick={() => exec('bold')}
        >
          <b>B</b>
        </button>
        <button
          type="button"
          aria-label="Italic"
          title="Italic (Ctrl+I)"
          disabled={off}
          onClick={() => exec('italic')}
        >
          <i>I</i>
        </button>
        <button
          type="button"
          aria-label="Underline"
          title="Underline (Ctrl+U)"
          disabled={off}
          onClick={() => exec('underline')}
        >
          <u>U</u>
        </button>
        <button
          type="button"
          aria-label="Link"
          title="Link (Ctrl+K)"
          disabled={off}
          onClick={openLink}
        >
          Link
        </button>
        <button
          type="button"
          aria-label="Bulleted list"
          title="Bulleted list"
          disabled={off}
          onClick={() => toggleList('ul')}
        >
          • List
        </button>
        <button
          type="button"
          aria-label="Numbered list"
          title="Numbered list"
          disabled={off}
          onClick={() => toggleList('ol')}
        >
          1. List
        </button>
        <select
          aria-label="Paragraph style"
          disabled={off}
          value=""
          onMouseDown={(e) => e.stopPropagation()}
          onChange={(e) => {
            if (e.target.value) setBlock(e.target.value);
          }}
        >
          <option value="">Style…</option>
          {BLOCK_STYLES.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
        <button
          type="button"
          aria-label="Align left"
          title="Align left"
          disabled={off}
          onClick={() => exec('justifyLeft')}
        >
          Left
        </button>
        <button
          type="button"
          aria-label="Align center"
          title="Align center"
          disabled={off}
          onClick={() => exec('justifyCenter')}
        >
          Center
        </button>
        <button
          type="button"
          aria-label="Align right"
          title="Align right"
          disabled={off}
          onClick={() => exec('justifyRight')}
        >
          Right
        </button>
        {(p.palette ?? []).map((c) => (
          <button
            key={c}
            type="button"
            className="wm-swatch"
            aria-label={`Text colour ${c}`}
            title={`Text colour ${c}`}
            disabled={off}
            style={{ background: c }}
            onClick={() => exec('foreColor', c)}
          />
        ))}
        <button
          type="button"
          aria-label="Personalize"
          title="Insert personalization"
          disabled={off}
          onClick={() => void personalize()}
        >
          {'{…}'}
        </button>
        <button
          type="button"
          title="Edit the text's source"
          onClick={() =>
            setView({ mode: 'code', note: 'Editing the text as code.', visualOk: true })
          }
        >
          Code
        </button>
      </div>
      <div
        ref={boxRef}
        className="wm-rt-box"
        role="textbox"
        aria-multiline="true"
        aria-label={p.label}
        aria-readonly={off || undefined}
        contentEditable={!off}
        suppressContentEditableWarning
        tabIndex={0}
        onInput={emit}
        onKeyDown={onKeyDown}
        onKeyUp={remember}
        onMouseUp={remember}
        onPaste={(e) => {
          e.preventDefault();
          if (!off)
            document.execCommand('insertText', false, e.clipboardData.getData('text/plain'));
        }}
        onClick={(e) => {
          const chip = (e.target as Element).closest?.(`.${CHIP_CLASS}`);
          if (chip instanceof HTMLElement) void editChip(chip);
        }}
      />
      {link && <LinkDialog initial={link} onDone={applyLink} />}
    </div>
  );
}

/** A chip's text for a source, for places that show a token without the editor (fragment fields). */
export { chipLabel };
