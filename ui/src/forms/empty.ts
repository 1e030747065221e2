// A sensible starting object for "Create", per kind: the shape filled in with the usual choices, so
// the form opens with its sections in place and only the names left to type.
import type { ObjectKindName } from './kinds.ts';

export function emptySpec(kind: ObjectKindName): Record<string, unknown> {
  switch (kind) {
    case 'event-types':
      return {
        name: '',
        schema: {
          type: 'object',
          properties: { email: { type: 'string', format: 'email' } },
          required: ['email'],
        },
        identity: { path: 'email', namespace: 'Email' },
      };
    case 'actions':
      return {
        name: '',
        url: '',
        method: 'POST',
        contentType: 'application/json',
        headers: [],
        queryParameters: [],
        payload: [],
        auth: { kind: 'none' },
        timeoutMs: 30_000,
      };
    case 'audiences':
      return {
        name: '',
        origin: 'streaming',
        definition: { kind: 'attribute', path: '', op: 'equals', value: '' },
      };
    case 'content-templates':
      return {
        id: '',
        name: '',
        channel: 'email',
        content: { channel: 'email', subject: '', html: '' },
      };
    case 'fragments':
      return {
        id: '',
        name: '',
        status: 'draft',
        channels: ['email', 'push', 'sms'],
        content: { type: 'expression', source: '' },
      };
    case 'rule-sets':
      return {
        name: '',
        status: 'draft',
        domain: 'channel',
        rules: [
          {
            id: 'marketing_cap',
            name: 'Marketing messages',
            category: 'marketing',
            channels: ['email'],
            cap: 3,
            period: 'weekly',
            every: 1,
          },
        ],
      };
    case 'channel-configurations':
      return {
        channel: 'email',
        name: '',
        fromAddress: '',
        smtp: { host: '', port: 587, secure: 'starttls' },
        listUnsubscribe: { enabled: true },
        tracking: { opens: true, clicks: true },
      };
    case 'namespaces':
      return { code: '', name: '', kind: 'custom' };
    case 'language-settings':
      return {
        id: '',
        name: '',
        locales: [{ locale: 'en', aliases: [] }],
        preferenceAttribute: 'preferredLanguage',
        fallbackLocale: 'en',
      };
    case 'assets':
      return { id: '', name: '', collection: 'default', tags: [], url: '', mimeType: 'image/png' };
    case 'profile-schemas':
      return {
        name: 'profile',
        schema: { type: 'object', properties: {}, additionalProperties: true },
      };
    case 'offers':
      return {
        id: '',
        name: '',
        status: 'draft',
        priority: 0,
        tags: [],
        representations: [],
        caps: [],
      };
    case 'placements':
      return { id: '', name: '', channel: 'email', contentType: 'imageLink' };
    case 'decision-policies':
      return {
        id: '',
        name: '',
        placement: '',
        count: 1,
        strategies: [{ collection: { tags: { any: [] } }, ranking: 'priority' }],
      };
    // Segment's own clients identify by userId, then by the anonymous id they mint.
    case 'segment-sources':
      return {
        id: '',
        name: '',
        identities: [
          { namespace: 'CRMID', from: 'userId' },
          { namespace: 'ECID', from: 'anonymousId' },
        ],
        track: {},
      };
    default: {
      const never: never = kind;
      return never;
    }
  }
}
