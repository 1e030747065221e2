// The "?" that opens the documentation of what is on screen, in a new tab (the site is served by
// `waymark serve` at /docs).
import { HELP } from './help-links.ts';
import type { HelpTopicName } from './help-links.ts';

export function HelpLink(p: { topic: HelpTopicName; className?: string }) {
  const topic = HELP[p.topic];
  return (
    <a
      className={p.className ? `help-link ${p.className}` : 'help-link'}
      href={topic.href}
      target="_blank"
      rel="noopener"
      title={`Help: ${topic.title} (opens the documentation in a new tab)`}
      // The name stays generic ("Help"), the topic is the description: a page's own links and
      // headings keep their names to themselves (the top bar's "?" comes before the menu).
      aria-label="Help (opens the documentation in a new tab)"
    >
      ?
    </a>
  );
}
