// Update profile activity: the profile attribute (a field of the profile schema, identities left
// out) and its new value, a journey expression.
import type { UpdateProfileNode } from '@waymark/shared/model/journey.ts';
import { ExpressionEditor } from '../../expr/expression-editor.tsx';
import { expressionScope, profileFields } from '../catalog.ts';
import type { PanelProps } from './side-panel.tsx';

/** Profile fields that stand for an identity: a journey cannot change them. */
const IDENTITY_FIELDS = new Set(['personalEmail.address', 'mobilePhone.number']);

export function UpdateProfilePanel(p: PanelProps<UpdateProfileNode>) {
  const n = p.node;
  const fields = profileFields(p.catalog.profileSchema).filter((f) => !IDENTITY_FIELDS.has(f.path));
  const scope = expressionScope(
    p.catalog,
    p.def.nodes.flatMap((x) => (x.kind === 'event' ? [x.event] : [])),
  );
  const type = fields.find((f) => f.path === n.attribute)?.type;
  return (
    <>
      <label>
        Profile attribute
        <select
          name="attribute"
          value={n.attribute}
          onChange={(e) => p.onChange({ ...n, attribute: e.target.value })}
        >
          <option value="">Choose an attribute…</option>
          {fields.map((f) => (
            <option key={f.path} value={f.path}>
              {f.path} ({f.type})
            </option>
          ))}
        </select>
      </label>
      {fields.length === 0 && (
        <p className="muted small" role="note">
          The sandbox has no profile schema: add one to choose an attribute.
        </p>
      )}
      <strong>New value{type ? ` (${type})` : ''}</strong>
      <ExpressionEditor
        value={n.value}
        scope={scope}
        onChange={(v) => p.onChange({ ...n, value: v })}
        label={`New value${type ? ` (${type})` : ''}`}
      />
      <p className="muted small">
        The value is written with the step that crosses this activity; later activities read it.
      </p>
    </>
  );
}
