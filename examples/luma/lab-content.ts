// The lab's messages and the content objects they use, from examples/luma/content: the Order
// Confirmation Email (an email document with fragments and a banner chosen by audience), and the
// abandoned-cart push and email made by applying the lab's content templates.
import { applyContentTemplate } from '../../src/content/index.ts';
import { loadLumaContent } from './content/load.ts';

export interface LabContent {
  readonly confirmation: Record<string, unknown>;
  readonly abandonedPush: Record<string, unknown>;
  readonly abandonedEmail: Record<string, unknown>;
  /** Fragments, content templates, language settings and assets, as package objects. */
  readonly objects: ReadonlyArray<{ kind: string; spec: Record<string, unknown> }>;
}

/** A message as a journey activity holds it: the channel comes from the activity. */
const activityContent = (content: { channel: string }): Record<string, unknown> => {
  const { channel: _channel, ...rest } = content as Record<string, unknown> & { channel: string };
  return rest;
};

export function labContent(): LabContent {
  const { library, orderConfirmationEmail } = loadLumaContent();
  const template = (id: string) => {
    const t = library.templates.get(id);
    if (!t) throw new Error(`the Luma content template ${id} is missing`);
    return t;
  };
  const asSpec = (o: object): Record<string, unknown> => o as Record<string, unknown>;
  return {
    confirmation: activityContent(orderConfirmationEmail),
    abandonedPush: activityContent(applyContentTemplate(template('luma-abandoned-push'))),
    abandonedEmail: activityContent(applyContentTemplate(template('luma-cart-abandoned-email'))),
    objects: [
      ...[...library.assets.values()].map((spec) => ({ kind: 'asset', spec: asSpec(spec) })),
      ...[...library.fragments.values()].map((spec) => ({ kind: 'fragment', spec: asSpec(spec) })),
      ...[...library.settings.values()].map((spec) => ({
        kind: 'languageSettings',
        spec: asSpec(spec),
      })),
      ...[...library.templates.values()].map((spec) => ({
        kind: 'contentTemplate',
        spec: asSpec(spec),
      })),
    ],
  };
}
