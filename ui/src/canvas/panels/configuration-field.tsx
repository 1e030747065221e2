// A message activity's channel configuration (email, push, SMS, in-app, code-based): a select of
// the sandbox's configurations on the activity's channel, shared by the message panels.
import type { MessageNode } from '@waymark/shared/model/journey.ts';
import type { PanelProps } from './side-panel.tsx';

const LABEL: Record<MessageNode['kind'], string> = {
  email: 'Email',
  push: 'Push',
  sms: 'SMS',
  inApp: 'In-app',
  codeBased: 'Code-based',
};

export function ConfigurationField(p: PanelProps<MessageNode>) {
  const n = p.node;
  // A code-based activity's configurations are of the "code" channel.
  const channel = n.kind === 'codeBased' ? 'code' : n.kind;
  const configs = p.catalog.channelConfigurations.filter((c) => c.spec.channel === channel);
  return (
    <label>
      {LABEL[n.kind]} configuration
      <select
        name="configuration"
        value={n.configuration}
        onChange={(e) => p.onChange({ ...n, configuration: e.target.value })}
      >
        <option value="">Select a configuration</option>
        {configs.map((c) => (
          <option key={c.key} value={c.key}>
            {c.key}
          </option>
        ))}
      </select>
    </label>
  );
}
