// In-app message and code-based experience activities (and campaign messages on those channels):
// the channel configuration, then the content as fields a marketer fills in — layout, title, body,
// image, up to two buttons, when it shows (trigger), how often (frequency) and for how long; or a
// code-based experience's surface, format and payload — with the offer decision insert. Title,
// body, image and button URLs take personalization ({{profile.…}}) and offers.
import type { MessageNode } from '@waymark/shared/model/journey.ts';
import { ConfigurationField } from './configuration-field.tsx';
import { DecisionInsert } from './decision-insert.tsx';
import type { PanelProps } from './side-panel.tsx';

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

export function InAppPanel(p: PanelProps<MessageNode>) {
  const n = p.node;
  const c = n.content;
  const set = (patch: Obj) => p.onChange({ ...n, content: { ...c, ...patch } });
  const trigger = obj(c['trigger']);
  const triggerKind = str(trigger['kind']) || 'appLaunch';
  const frequency = obj(c['frequency']);
  const frequencyKind = str(frequency['kind']) || 'once';
  const buttons = Array.isArray(c['buttons']) ? (c['buttons'] as Obj[]) : [];
  const setButton = (i: number, patch: Obj) =>
    set({ buttons: buttons.map((b, j) => (j === i ? { ...b, ...patch } : b)) });
  return (
    <>
      <ConfigurationField {...p} />
      <h3>Message</h3>
      <label>
        Layout
        <select
          name="content-layout"
          value={str(c['layout']) || 'modal'}
          onChange={(e) => set({ layout: e.target.value })}
        >
          <option value="modal">Modal</option>
          <option value="banner">Banner</option>
          <option value="fullscreen">Full screen</option>
        </select>
      </label>
      <label>
        Title
        <input
          name="content-title"
          value={str(c['title'])}
          placeholder="Still thinking about it, {{profile.person.name.firstName}}?"
          onChange={(e) => set({ title: e.target.value })}
        />
      </label>
      <label>
        Body
        <textarea
          name="content-body"
          rows={4}
          value={str(c['body'])}
          onChange={(e) => set({ body: e.target.value })}
        />
      </label>
      <label>
        Image URL
        <input
          name="content-imageUrl"
          value={str(c['imageUrl'])}
          onChange={(e) => {
            const { imageUrl: _i, ...rest } = c;
            p.onChange({
              ...n,
              content: e.target.value ? { ...rest, imageUrl: e.target.value } : rest,
            });
          }}
        />
      </label>
      <fieldset className="field-group" aria-label="Buttons">
        <legend>Buttons</legend>
        {buttons.map((b, i) => (
          <div className="in-app-button" key={i} data-button={i}>
            <div className="row between">
              <span>Button {i + 1}</span>
              <button
                type="button"
                className="link"
                aria-label={`Remove button ${i + 1}`}
                onClick={() => set({ buttons: buttons.filter((_, j) => j !== i) })}
              >
                Remove
              </button>
            </div>
            {/* Each field's label shows; its name says which button (and keeps the label's word). */}
            <label>
              Label
              <input
                aria-label={`Button ${i + 1} label`}
                value={str(b['label'])}
                onChange={(e) => setButton(i, { label: e.target.value })}
              />
            </label>
            <label>
              Action
              <select
                aria-label={`Button ${i + 1} action`}
                value={str(b['action']) || 'dismiss'}
                onChange={(e) => {
                  const { url: _u, ...rest } = b;
                  set({
                    buttons: buttons.map((x, j) =>
                      j === i
                        ? e.target.value === 'url'
                          ? { ...rest, action: 'url', url: str(b['url']) }
                          : { ...rest, action: 'dismiss' }
                        : x,
                    ),
                  });
                }}
              >
                <option value="dismiss">Close the message</option>
                <option value="url">Open a URL</option>
              </select>
            </label>
            {b['action'] === 'url' && (
              <label>
                URL
                <input
                  aria-label={`Button ${i + 1} URL`}
                  value={str(b['url'])}
                  placeholder="/demo/luma/cart"
                  onChange={(e) => setButton(i, { url: e.target.value })}
                />
              </label>
            )}
          </div>
        ))}
        {buttons.length < 2 && (
          <button
            type="button"
            onClick={() =>
              set({
                buttons: [
                  ...buttons,
                  {
                    id: buttons.some((b) => b['id'] === 'button1') ? 'button2' : 'button1',
                    label: buttons.length === 0 ? 'OK' : 'Not now',
                    action: 'dismiss',
                  },
                ],
              })
            }
          >
            Add a button
          </button>
        )}
      </fieldset>
      <DecisionInsert
        node={n}
        catalog={p.catalog}
        readOnly={p.readOnly === true}
        onChange={(next) => p.onChange(next)}
      />
      <h3>When it shows</h3>
      <label>
        Trigger
        <select
          name="trigger-kind"
          value={triggerKind}
          onChange={(e) =>
            set({
              trigger:
                e.target.value === 'pageView'
                  ? { kind: 'pageView', page: '/*' }
                  : e.target.value === 'event'
                    ? { kind: 'event', eventType: '' }
                    : { kind: 'appLaunch' },
            })
          }
        >
          <option value="appLaunch">App launch or site visit</option>
          <option value="pageView">Page view</option>
          <option value="event">Event</option>
        </select>
      </label>
      {triggerKind === 'pageView' && (
        <label>
          Page (* matches anything)
          <input
            name="trigger-page"
            value={str(trigger['page'])}
            placeholder="/demo/luma/*"
            onChange={(e) => set({ trigger: { kind: 'pageView', page: e.target.value } })}
          />
        </label>
      )}
      {triggerKind === 'event' && (
        <label>
          Event type
          <input
            name="trigger-event"
            value={str(trigger['eventType'])}
            onChange={(e) => set({ trigger: { kind: 'event', eventType: e.target.value } })}
          />
        </label>
      )}
      <label>
        Frequency
        <select
          name="frequency-kind"
          value={frequencyKind}
          onChange={(e) =>
            set({
              frequency:
                e.target.value === 'times' ? { kind: 'times', count: 3 } : { kind: e.target.value },
            })
          }
        >
          <option value="once">Once</option>
          <option value="everyTime">Every time</option>
          <option value="times">A number of times</option>
        </select>
      </label>
      {frequencyKind === 'times' && (
        <label>
          Times
          <input
            type="number"
            name="frequency-count"
            min={1}
            max={100}
            value={typeof frequency['count'] === 'number' ? frequency['count'] : 3}
            onChange={(e) => set({ frequency: { kind: 'times', count: Number(e.target.value) } })}
          />
        </label>
      )}
      <label>
        Expires after (hours)
        <input
          type="number"
          name="expires-after-hours"
          min={1}
          max={2184}
          value={typeof c['expiresAfterHours'] === 'number' ? c['expiresAfterHours'] : 168}
          onChange={(e) => set({ expiresAfterHours: Number(e.target.value) })}
        />
      </label>
      <p className="muted small">
        Shown by the site&apos;s SDK (POST /v1/inapp/messages/query) while the profile is in the
        journey; a display counts as opened, a button click as clicked.
      </p>
    </>
  );
}

export function CodeBasedPanel(p: PanelProps<MessageNode>) {
  const n = p.node;
  const c = n.content;
  const set = (patch: Obj) => p.onChange({ ...n, content: { ...c, ...patch } });
  const format = str(c['format']) || 'html';
  return (
    <>
      <ConfigurationField {...p} />
      <h3>Experience</h3>
      <label>
        Surface
        <input
          name="content-surface"
          value={str(c['surface'])}
          placeholder="web://luma.example/demo/luma#hero"
          onChange={(e) => set({ surface: e.target.value })}
        />
      </label>
      <label>
        Format
        <select
          name="content-format"
          value={format}
          onChange={(e) => set({ format: e.target.value })}
        >
          <option value="html">HTML</option>
          <option value="json">JSON</option>
        </select>
      </label>
      <label>
        {format === 'json' ? 'JSON payload' : 'HTML payload'}
        <textarea
          name="content-payload"
          rows={8}
          value={str(c['payload'])}
          onChange={(e) => set({ payload: e.target.value })}
        />
      </label>
      <DecisionInsert
        node={n}
        catalog={p.catalog}
        readOnly={p.readOnly === true}
        onChange={(next) => p.onChange(next)}
      />
      <p className="muted small">
        The site&apos;s code fetches it for its surface (POST /v1/experiences/query); a later
        experience for the same surface replaces this one. A JSON payload must render to valid JSON.
      </p>
    </>
  );
}
