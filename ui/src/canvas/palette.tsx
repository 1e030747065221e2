// The palette: the lab's three groups. Drag an item onto the canvas, or press Enter on it to add it
// after the selected activity.
import { useState } from 'react';
import type { Catalog } from './catalog.ts';
import { Breakable } from './label-breaks.tsx';
import { DRAG_TYPE } from './canvas.tsx';
import { KIND_ICON } from './graph.ts';
import type { PaletteItem } from './graph.ts';

interface Entry {
  readonly label: string;
  readonly item: PaletteItem | null;
  readonly icon: string;
  readonly note?: string;
  readonly entry?: 'audience' | 'readAudience';
}

export function Palette(props: {
  open: boolean;
  onToggle(): void;
  catalog: Catalog;
  disabled: boolean;
  onAdd(item: PaletteItem): void;
  onEntry(type: 'audience' | 'readAudience'): void;
}) {
  const [q, setQ] = useState('');
  const groups: Array<{ title: string; entries: Entry[] }> = [
    {
      title: 'Events',
      entries: props.catalog.eventTypes.map((e) => ({
        label: e.key,
        item: { kind: 'event', event: e.key },
        icon: KIND_ICON.event,
      })),
    },
    {
      title: 'Orchestration',
      entries: [
        { label: 'Condition', item: { kind: 'condition' }, icon: KIND_ICON.condition },
        { label: 'Wait', item: { kind: 'wait' }, icon: KIND_ICON.wait },
        {
          label: 'Reaction',
          item: { kind: 'reaction' },
          icon: KIND_ICON.reaction,
          note: 'Waits for a reaction to the message before it (sent, opened, clicked, bounced), with a timeout path',
        },
        {
          label: 'Profile cap',
          item: { kind: 'profileCap' },
          icon: KIND_ICON.condition,
          note: 'The first N profiles take the first path, the rest the other one',
        },
        {
          label: 'Jump',
          item: { kind: 'jump' },
          icon: KIND_ICON.jump,
          note: 'The profile enters another journey (one that starts with an event)',
        },
        {
          label: 'Read audience',
          item: null,
          icon: '☺',
          entry: 'readAudience',
          note: 'Profiles enter read from an audience: set it in the journey properties',
        },
        {
          label: 'Audience qualification',
          item: null,
          icon: '☻',
          entry: 'audience',
          note: 'Profiles enter when they join or leave an audience: set it in the journey properties',
        },
        { label: 'End', item: { kind: 'end' }, icon: KIND_ICON.end },
      ],
    },
    {
      title: 'Actions',
      entries: [
        { label: 'Email', item: { kind: 'email' }, icon: KIND_ICON.email },
        { label: 'Push', item: { kind: 'push' }, icon: KIND_ICON.push },
        { label: 'SMS', item: { kind: 'sms' }, icon: KIND_ICON.sms },
        {
          label: 'In-app message',
          item: { kind: 'inApp' },
          icon: KIND_ICON.inApp,
          note: 'A modal, banner or full screen shown by your site or app while the profile is in the journey',
        },
        {
          label: 'Code-based experience',
          item: { kind: 'codeBased' },
          icon: KIND_ICON.codeBased,
          note: 'HTML or JSON for a surface of your site or app, fetched by its code',
        },
        {
          label: 'Update profile',
          item: { kind: 'updateProfile' },
          icon: KIND_ICON.updateProfile,
          note: 'Sets one profile attribute from a journey expression',
        },
        ...props.catalog.actions.map((a) => ({
          label: a.key,
          item: { kind: 'action', action: a.key } as PaletteItem,
          icon: KIND_ICON.action,
        })),
      ],
    },
  ];
  const needle = q.toLowerCase();
  if (!props.open) {
    return (
      <aside className="palette collapsed" aria-label="Palette">
        <button
          type="button"
          className="palette-toggle"
          onClick={props.onToggle}
          aria-expanded={false}
          title="Show the activities"
        >
          »<span className="vertical">Activities</span>
        </button>
      </aside>
    );
  }
  return (
    <aside className="palette" aria-label="Palette">
      <button
        type="button"
        className="palette-toggle"
        onClick={props.onToggle}
        aria-expanded
        title="Hide the activities"
      >
        « Hide
      </button>
      <input
        type="search"
        placeholder="Search activities"
        aria-label="Search activities"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {groups.map((g) => (
        <section key={g.title} aria-label={g.title}>
          <h3>{g.title}</h3>
          <ul>
            {g.entries
              .filter((e) => !needle || e.label.toLowerCase().includes(needle))
              .map((e) => {
                const enabled = (!!e.item || !!e.entry) && !props.disabled;
                const entry = e.entry;
                return (
                  <li key={e.label}>
                    <button
                      type="button"
                      className="palette-item"
                      data-testid={`palette-${e.label}`}
                      disabled={!enabled}
                      title={
                        e.note ??
                        'Drag onto the canvas, or press Enter to add after the selected activity'
                      }
                      draggable={enabled && !!e.item}
                      onDragStart={(ev) => {
                        if (e.item) {
                          ev.dataTransfer.setData(DRAG_TYPE, JSON.stringify(e.item));
                          ev.dataTransfer.effectAllowed = 'copy';
                        }
                      }}
                      onClick={() => {
                        if (e.item) props.onAdd(e.item);
                        else if (entry) props.onEntry(entry);
                      }}
                    >
                      <span aria-hidden>{e.icon}</span> <Breakable text={e.label} />
                    </button>
                  </li>
                );
              })}
          </ul>
        </section>
      ))}
    </aside>
  );
}
