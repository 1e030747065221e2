// The decision block's properties: which decision policy fills it (the sandbox's policies, with their
// placement), how its offers sit (alignment, image width) and whether their links are tracked. The
// offers themselves are chosen per profile at send time; the preview shows them for a test profile.
import type { Component } from '@waymark/shared/model/message-content.ts';
import { useApi } from '../../app/session.tsx';
import { useLoad } from '../../app/use-load.ts';
import type { EditorProps } from './block-editors.tsx';
import type { Lock } from './doc-edit.ts';
import { ALIGN_OPTIONS, CheckField, CssField, Section, SelectField } from './fields.tsx';

type DecisionBlock = Extract<Component, { kind: 'decision' }>;
interface PolicyItem {
  readonly key: string;
  readonly spec: { readonly name?: string; readonly placement?: string; readonly count?: number };
}

const ro = (lock: Lock): boolean => lock !== 'editable';

export function DecisionEditor({ block, set, lock }: EditorProps<DecisionBlock>) {
  const api = useApi();
  const policies = useLoad(
    () => api.get<{ items: PolicyItem[] }>('/v1/decision-policies').then((r) => r.items),
    [api],
  );
  const items = policies.data ?? [];
  const chosen = items.find((x) => x.key === block.policy);
  const options: ReadonlyArray<readonly [string, string]> = [
    ['', policies.data === undefined ? 'Loading…' : 'Choose a decision policy'],
    ...items.map((p) => [p.key, p.spec.name ?? p.key] as const),
    // A policy that is gone (or not visible) stays selectable so the block reads as it is.
    ...(block.policy !== '' && !items.some((p) => p.key === block.policy)
      ? [[block.policy, `${block.policy} (not found)`] as const]
      : []),
  ];
  return (
    <Section title="Offer decision">
      <SelectField
        label="Decision policy"
        value={block.policy}
        options={options}
        readOnly={ro(lock)}
        onChange={(v) => set({ policy: v ?? '' }, 'Choose decision policy')}
      />
      {chosen && (
        <p className="wm-hint" data-testid="decision-policy-summary">
          Placement <strong>{chosen.spec.placement ?? '?'}</strong> · {chosen.spec.count ?? 1} offer
          {(chosen.spec.count ?? 1) === 1 ? '' : 's'} per recipient
        </p>
      )}
      {policies.error && <p className="wm-hint error">{policies.error}</p>}
      {items.length === 0 && policies.data !== undefined && (
        <p className="wm-hint">
          No decision policy yet: create one under Decisioning › Decision policies.
        </p>
      )}
      <p className="wm-hint">
        Each recipient gets the policy's best eligible offers at send time, drawn from the offer's
        representation for the placement (image, HTML or text, linked). Preview with a test profile
        to see them.
      </p>
      <SelectField
        label="Align"
        value={block.align}
        options={ALIGN_OPTIONS}
        readOnly={ro(lock)}
        onChange={(v) => set({ align: v }, 'Align offers')}
      />
      <CssField
        label="Image width"
        value={block.imageWidth}
        placeholder="100%"
        readOnly={ro(lock)}
        onChange={(v) => set({ imageWidth: v }, 'Offer image width')}
      />
      <CheckField
        label="Track clicks on offer links"
        checked={block.tracked}
        readOnly={ro(lock)}
        onChange={(v) => set({ tracked: v }, 'Track offer clicks')}
      />
    </Section>
  );
}
