// The pill that tells a production sandbox (real customers) from a development one at a glance.
export function SandboxBadge(p: { type: 'production' | 'development' }) {
  return (
    <span className={`badge sandbox-type ${p.type}`}>
      {p.type === 'production' ? 'Production' : 'Development'}
    </span>
  );
}
