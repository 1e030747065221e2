// The campaign's message, edited with the journeys' own message panel (channel configuration, rule
// set, content templates, languages, subject and preheader with personalization, the Email Designer,
// push and SMS fields, content as code, preview): the campaign's action is shown to it as a one-
// activity journey, and what it changes goes back into the action. With an experiment, each
// treatment's content is edited the same way, one tab each.
import { useMemo, useState } from 'react';
import {
  isMessageNode,
  kindOfChannel,
  type JourneyDefinition,
  type MessageNode,
} from '@waymark/shared/model/journey.ts';
import { MessagePanel } from '../canvas/panels/message-panel.tsx';
import type { DesignerHost } from '../designer/contracts.ts';
import type { CampaignDef } from './campaign-api.ts';
import type { StepProps } from './campaign-wizard.tsx';

const NODE_ID = 'message';

/** The campaign's message as a journey message activity (what MessagePanel edits). */
export function messageNodeOf(def: CampaignDef, content: Record<string, unknown>): MessageNode {
  return {
    id: NODE_ID,
    kind: kindOfChannel(def.action.channel),
    label: def.name,
    configuration: def.action.configuration,
    content: { ...content },
    ...(def.action.ruleSet ? { ruleSet: def.action.ruleSet } : {}),
    category: def.mode,
    next: [],
  };
}

/** A journey holding only that activity: the panel's context. */
export function journeyOf(def: CampaignDef, node: MessageNode): JourneyDefinition {
  return {
    name: def.name,
    entry: { type: 'event' },
    reentrance: { allowed: true, waitSeconds: 300 },
    timeZone: def.timeZone,
    testMode: { waitSeconds: 10 },
    actionTimeoutSeconds: 30,
    start: NODE_ID,
    nodes: [node],
    labels: [...(def.labels ?? [])],
  };
}

/** The activity's changes applied to the campaign: configuration and rule set to the action, content to the treatment (or the action). */
export function withMessage(d: CampaignDef, n: MessageNode, treatment: number | null): CampaignDef {
  const { ruleSet: _r, ...action } = d.action;
  const nextAction = {
    ...action,
    configuration: n.configuration,
    ...(n.ruleSet ? { ruleSet: n.ruleSet } : {}),
    ...(treatment === null ? { content: n.content } : {}),
  };
  if (treatment === null || !d.experiment) return { ...d, action: nextAction };
  return {
    ...d,
    action: nextAction,
    experiment: {
      ...d.experiment,
      treatments: d.experiment.treatments.map((t, i) =>
        i === treatment ? { ...t, content: n.content } : t,
      ),
    },
  };
}

export function ContentStep(p: StepProps) {
  const treatments = p.def.experiment?.treatments ?? [];
  const [tab, setTab] = useState(0);
  const at = treatments.length ? Math.min(tab, treatments.length - 1) : null;
  const content = (at === null ? p.def.action.content : treatments[at]!.content) as Record<
    string,
    unknown
  >;
  const node = useMemo(() => messageNodeOf(p.def, content), [p.def, content]);
  const journey = useMemo(() => journeyOf(p.def, node), [p.def, node]);
  const hostKey = at === null ? p.id : `${p.id}:${treatments[at]!.id}`;
  const host = useMemo(
    (): DesignerHost & { kind: 'campaign' } => ({
      kind: 'campaign',
      key: hostKey,
      ...(p.def.action.configuration ? { configuration: p.def.action.configuration } : {}),
    }),
    [hostKey, p.def.action.configuration],
  );
  return (
    <div className="campaign-form content-step">
      {at !== null && (
        <div className="treatment-tabs" role="tablist" aria-label="Treatments">
          {treatments.map((t, i) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={i === at}
              className={i === at ? 'on' : ''}
              onClick={() => setTab(i)}
            >
              {t.name}
              {i === 0 ? ' (control)' : ''}
            </button>
          ))}
        </div>
      )}
      {at !== null && (
        <p className="muted small">
          Each treatment has its own content; the configuration and the rule set are the same for
          every treatment.
        </p>
      )}
      <MessagePanel
        key={host.key}
        def={journey}
        node={node}
        catalog={p.catalog}
        readOnly={false}
        host={host}
        onChange={(n) => {
          if (isMessageNode(n)) p.change((d) => withMessage(d, n, at));
        }}
      />
    </div>
  );
}
