// AEP: inAudience("audience name") is true when the profile's membership is "realized".
import { own } from '../runtime.ts';
import { T } from '../types.ts';
import type { FunctionSpec } from './signature.ts';

export const audienceFunctions: readonly FunctionSpec[] = [
  {
    name: 'inAudience',
    category: 'audience',
    description:
      'True when the profile belongs to the audience (membership "realized"); the name must be a string constant.',
    impure: true,
    overloads: [
      {
        params: [{ name: 'audienceName', type: 'string', constant: true }],
        result: T.boolean,
        acceptsNull: true,
        impl: (args, rt) =>
          typeof args[0] === 'string' && own(rt.ctx.audiences, args[0]) === 'realized',
      },
    ],
  },
];
