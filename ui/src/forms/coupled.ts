// Fields of one object that must agree, kept in step when the form changes one of them.
import { emptyValue } from './field-model.ts';
import type { FormModel } from './field-model.ts';
import type { ObjectKindName } from './kinds.ts';
import type { Path } from './paths.ts';

/**
 * Fields that must agree: a content template's channel and its content's channel. Choosing one
 * switches the other (the content starts over in the new channel's shape).
 */
export function mirrored(
  model: FormModel,
  kind: ObjectKindName,
  path: Path,
  root: Record<string, unknown>,
): Record<string, unknown> {
  if (kind !== 'content-templates') return root;
  const content = root['content'] as Record<string, unknown> | undefined;
  if (
    path.length === 1 &&
    path[0] === 'channel' &&
    typeof root['channel'] === 'string' &&
    content?.['channel'] !== root['channel']
  ) {
    const contentNode =
      model.root.type === 'object' ? model.root.fields.find((f) => f.key === 'content') : undefined;
    const variant =
      contentNode?.type === 'union'
        ? contentNode.variants.find((v) => v.tag === root['channel'])
        : undefined;
    if (variant) return { ...root, content: emptyValue(model, variant.node) };
  }
  if (
    path.length === 1 &&
    path[0] === 'content' &&
    typeof content?.['channel'] === 'string' &&
    content['channel'] !== root['channel']
  ) {
    return { ...root, channel: content['channel'] };
  }
  return root;
}
