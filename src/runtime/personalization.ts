// What the personalization editor may use at a place: the sandbox's profile schema and audiences and,
// for an activity of a journey, the events and custom-action responses upstream of it (the journey's
// latest version). Reads the compiled sandbox catalog and the journey; the tree and checks are pure
// (src/content/personalization-*.ts).
import { upstreamOf } from '../journey/upstream.ts';
import { ErrorCode, WaymarkError } from '../errors.ts';
import type { ContentLibrary } from '../content/index.ts';
import type { ContentScope } from '../content/schema-scope.ts';
import { personalizationTree, type PersonalizationNode } from '../content/personalization-tree.ts';
import type { Waymark } from './app.ts';

export interface PersonalizationPlace {
  readonly journeyId?: string;
  readonly nodeId?: string;
}

export interface PersonalizationScope {
  readonly tree: PersonalizationNode[];
  /** For reference checks: events and actions in scope only when a journey is given. */
  readonly scope: ContentScope;
  readonly library: ContentLibrary;
}

/**
 * `visible` (the caller's access labels, src/api/label-access.ts): audiences it does not reach are
 * left out of the tree. The caller's routes check the journey and filter the library themselves.
 */
export async function personalizationScope(
  app: Waymark,
  sandbox: string,
  place: PersonalizationPlace,
  visible: (labels: readonly string[]) => boolean = () => true,
): Promise<PersonalizationScope> {
  const catalog = await app.catalogs.get(sandbox);
  const jc = catalog.journeyCatalog;
  let journey: { events: Record<string, unknown>; actions: Record<string, unknown> } | undefined;
  if (place.journeyId !== undefined) {
    const def = (await app.journeys.get(sandbox, place.journeyId)).latest.definition;
    let events = def.nodes.flatMap((n) => (n.kind === 'event' ? [n.event] : []));
    let actions = def.nodes.flatMap((n) => (n.kind === 'action' ? [n.action] : []));
    if (place.nodeId !== undefined) {
      const up = upstreamOf(def, place.nodeId);
      if (up === null)
        throw new WaymarkError(
          ErrorCode.NotFound,
          `the journey "${place.journeyId}" has no activity "${place.nodeId}" in its latest version`,
          { details: { what: 'journey activity', key: place.nodeId } },
        );
      events = [...up.events];
      actions = [...up.actions];
    }
    journey = {
      events: Object.fromEntries([...new Set(events)].map((e) => [e, jc.events[e]?.schema ?? {}])),
      actions: Object.fromEntries(
        [...new Set(actions)].map((a) => [a, jc.actions[a]?.responseSchema ?? {}]),
      ),
    };
  } else if (place.nodeId !== undefined) {
    throw new WaymarkError(ErrorCode.BadRequest, 'nodeId needs journeyId', {
      issues: [
        {
          path: 'journeyId',
          message: 'name the journey whose activity nodeId is',
          expected: 'a journey id',
          received: 'nothing',
        },
      ],
    });
  }
  const audiences = [...catalog.audienceDefs.values()]
    .filter((a) => visible(a.labels ?? []))
    .map((a) => {
      const description = (a as { description?: unknown }).description;
      return {
        name: a.name,
        ...(typeof description === 'string' && description !== '' ? { description } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const tree = personalizationTree({
    ...(jc.profileSchema === undefined ? {} : { profile: jc.profileSchema }),
    audiences,
    ...(journey === undefined ? {} : { journey }),
  });
  const scope: ContentScope = {
    ...(jc.profileSchema === undefined ? {} : { profile: jc.profileSchema }),
    // Outside a journey (a content template, a fragment) the events and actions are not known yet: unchecked.
    ...(journey === undefined ? {} : { events: journey.events, actions: journey.actions }),
  };
  return { tree, scope, library: catalog.content };
}
