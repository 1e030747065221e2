// The right-hand panel: the selected activity's settings, or the journey's properties. Everything a
// panel keeps (JSON being typed, advanced modes, open pickers) belongs to one activity: the panel is
// keyed by the activity's id, so selecting another activity starts from that activity's own state.
import type { JourneyDefinition, JourneyNode } from '../../api/types.ts';
import type { Catalog } from '../catalog.ts';
import { KIND_LABEL } from '../graph.ts';
import { ActionPanel } from './action-panel.tsx';
import { ConditionPanel } from './condition-panel.tsx';
import { EventPanel } from './event-panel.tsx';
import { MessagePanel } from './message-panel.tsx';
import { PathTargets } from './path-targets.tsx';
import { JourneyProperties } from './journey-properties.tsx';
import { WaitPanel } from './wait-panel.tsx';
import { JumpPanel } from './jump-panel.tsx';
import { ReactionPanel } from './reaction-panel.tsx';
import { UpdateProfilePanel } from './update-profile-panel.tsx';
import { EmailBodyButton } from '../../designer/host-journey.tsx';
import type { DesignerHost } from '../../designer/contracts.ts';

export interface PanelProps<N extends JourneyNode = JourneyNode> {
  readonly def: JourneyDefinition;
  readonly node: N;
  readonly catalog: Catalog;
  readonly readOnly: boolean;
  /** Where the message lives when it is not a journey activity (a campaign's message). */
  readonly host?: DesignerHost;
  onChange(n: JourneyNode): void;
}

function Body(p: PanelProps) {
  const n = p.node;
  switch (n.kind) {
    case 'event':
      return <EventPanel {...p} node={n} />;
    case 'condition':
      return <ConditionPanel {...p} node={n} />;
    case 'wait':
      return <WaitPanel {...p} node={n} />;
    case 'action':
      return <ActionPanel {...p} node={n} />;
    case 'email':
    case 'push':
    case 'sms':
    case 'inApp':
    case 'codeBased':
      return <MessagePanel {...p} node={n} />;
    case 'reaction':
      return <ReactionPanel {...p} node={n} />;
    case 'updateProfile':
      return <UpdateProfilePanel {...p} node={n} />;
    case 'jump':
      return <JumpPanel {...p} node={n} />;
    case 'end':
      return null;
  }
}

export function SidePanel(p: {
  def: JourneyDefinition;
  node: JourneyNode | null;
  catalog: Catalog;
  readOnly: boolean;
  /** The journey is reloading: its fields are disabled until the reloaded copy shows. */
  reloading?: boolean;
  issues: readonly string[];
  onChange(n: JourneyNode): void;
  onJourneyChange(d: JourneyDefinition): void;
  onConnect(source: string, handle: string, target: string): void;
  onDisconnect(source: string, handle: string, target: string): void;
  onDelete(id: string): void;
}) {
  const n = p.node;
  const disabled = p.readOnly || !!p.reloading;
  return (
    <aside
      className="side-panel"
      aria-label={n ? `${KIND_LABEL[n.kind]} settings` : 'Journey properties'}
    >
      {p.issues.length > 0 && (
        <ul className="issues" role="alert" aria-label="Problems">
          {p.issues.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
      {!n && (
        <JourneyProperties
          def={p.def}
          catalog={p.catalog}
          readOnly={disabled}
          onChange={p.onJourneyChange}
        />
      )}
      {/* A live version's email can still be looked at: its button stays outside the disabled fieldset. */}
      {n?.kind === 'email' && p.readOnly && (
        <EmailBodyButton def={p.def} node={n} catalog={p.catalog} readOnly onChange={p.onChange} />
      )}
      {n && (
        <fieldset key={n.id} disabled={disabled} className="panel-body" data-activity={n.id}>
          <h2>{KIND_LABEL[n.kind]}</h2>
          <label>
            Label
            <input
              name="label"
              value={n.label ?? ''}
              maxLength={200}
              onChange={(e) => p.onChange({ ...n, label: e.target.value })}
            />
          </label>
          <Body
            def={p.def}
            node={n}
            catalog={p.catalog}
            readOnly={disabled}
            onChange={p.onChange}
          />
          <PathTargets def={p.def} node={n} onConnect={p.onConnect} onDisconnect={p.onDisconnect} />
          <button type="button" className="danger" onClick={() => p.onDelete(n.id)}>
            Delete activity
          </button>
          <p className="muted small">Id: {n.id}</p>
        </fieldset>
      )}
    </aside>
  );
}
