// The wizard's steps, in order, and the bar that shows them (the current one marked; a saved
// campaign's steps can be opened in any order).
import type { CampaignDef } from './campaign-api.ts';

export type StepId =
  'properties' | 'audience' | 'recipients' | 'content' | 'schedule' | 'experiment' | 'review';

export const STEP_LABEL: Record<StepId, string> = {
  properties: 'Properties',
  audience: 'Audience',
  recipients: 'Recipients',
  content: 'Content',
  schedule: 'Schedule',
  experiment: 'Experiment',
  review: 'Review',
};

export const stepsOf = (type: CampaignDef['type']): readonly StepId[] => [
  'properties',
  type === 'scheduled' ? 'audience' : 'recipients',
  'content',
  'schedule',
  'experiment',
  'review',
];

export const isStepId = (s: string): s is StepId => s in STEP_LABEL;

export function StepNav(p: {
  type: CampaignDef['type'];
  current: StepId;
  /** Opens a step; without it (a campaign not created yet) the steps are only shown. */
  onGo?: (s: StepId) => void;
}) {
  const steps = stepsOf(p.type);
  const at = steps.indexOf(p.current);
  return (
    <nav className="wizard-steps" aria-label="Campaign steps">
      <ol>
        {steps.map((s, i) => (
          <li
            key={s}
            className={i === at ? 'current' : i < at ? 'done' : ''}
            aria-current={i === at ? 'step' : undefined}
          >
            {p.onGo && i !== at ? (
              <button type="button" className="link" onClick={() => p.onGo?.(s)}>
                <span className="step-no">{i + 1}</span>
                {STEP_LABEL[s]}
              </button>
            ) : (
              <span>
                <span className="step-no">{i + 1}</span>
                {STEP_LABEL[s]}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
