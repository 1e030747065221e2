// The landing pages' requests: list, read, create, save with the revision it was read at (If-Match),
// publish, unpublish, preview as a test profile, the signed link and the report (docs/landing-pages.md).
import type {
  LandingPage,
  LandingPageInput,
  LandingPageReport,
} from '@waymark/shared/model/landing-page.ts';
import type { Api } from '../api/client.ts';

export interface StoredPage {
  readonly key: string;
  readonly revision: number;
  readonly updatedAt?: string;
  readonly spec: LandingPage;
}

export interface PagePreview {
  readonly html: string;
  readonly title: string;
  readonly status: string;
  readonly url: string;
  readonly profileUrl?: string;
}

const path = (slug: string, rest = '') => `/v1/landing-pages/${encodeURIComponent(slug)}${rest}`;

export const landingPageApi = (api: Api) => ({
  list: () => api.get<{ items: StoredPage[] }>('/v1/landing-pages').then((r) => r.items),
  get: (slug: string) => api.get<StoredPage>(path(slug)),
  create: (spec: LandingPageInput) => api.post<StoredPage>('/v1/landing-pages', spec),
  save: (slug: string, spec: LandingPageInput, revision: number) =>
    api.request<StoredPage>('PUT', path(slug), spec, { 'if-match': `"r${revision}"` }),
  publish: (slug: string) => api.post<StoredPage>(path(slug, '/publish')),
  unpublish: (slug: string) => api.post<StoredPage>(path(slug, '/unpublish')),
  preview: (
    slug: string,
    body: { subPage?: string; identity?: { namespace: string; id: string } },
  ) => api.post<PagePreview>(path(slug, '/preview'), body),
  report: (slug: string) => api.get<LandingPageReport>(path(slug, '/report')),
});

/** A new page's content: a heading and a line of text, ready for the designer. */
export function starterContent(title: string, text: string): LandingPage['primary']['content'] {
  return {
    channel: 'email',
    subject: title,
    html: '',
    document: {
      version: 1,
      width: '600px',
      backgroundColor: '#f4f4f4',
      fontFamily: 'Helvetica, Arial, sans-serif',
      body: [
        {
          kind: 'structure',
          id: 'main',
          backgroundColor: '#ffffff',
          stackOnMobile: true,
          variants: [],
          columns: [
            {
              id: 'main-col',
              blocks: [
                {
                  kind: 'text',
                  id: 'main-text',
                  content: `<h1>${title}</h1><p>${text}</p>`,
                  variants: [],
                },
              ],
            },
          ],
        },
      ],
    },
  };
}

export const STATUS_LABEL: Record<LandingPage['status'], string> = {
  draft: 'Draft',
  published: 'Published',
  unpublished: 'Unpublished',
};
