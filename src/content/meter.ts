// The output meter: templates compile so that every piece they append to their output first goes
// through the meter, which counts it against the render's maxRenderChars (render-state.ts's `emit`).
// A template that writes a large value many times then stops as soon as the budget is crossed, not
// after the whole output has been built.
//
// Handlebars documents `appendToBuffer` as the JavaScriptCompiler method to override "to provide
// alternative compiled forms for ... buffering semantics"; child programs (block bodies) are compiled
// with `this.compiler`, so the subclass sets that too. The generated code reaches the meter through
// the template's `helpers` object (one shape per template, so the lookup stays cheap); the meter
// counts for the render running now, which `metered` sets (renders are synchronous).
import type Handlebars from 'handlebars';
import type { RenderState } from './render-state.ts';

type Env = ReturnType<typeof Handlebars.create>;

/** The part of Handlebars' (untyped) JavaScriptCompiler that the meter uses. */
interface CompilerInstance {
  appendToBuffer(source: unknown, location: unknown, explicit?: boolean): unknown;
  source: { currentLocation?: { start?: { line?: number } } };
}
type CompilerClass = new () => CompilerInstance;

const METER = '__wmMeter';
let current: RenderState | undefined;

/** Runs `render` with `state` as the render the meter counts for. */
export function metered<T>(state: RenderState, render: () => T): T {
  const outer = current;
  current = state;
  try {
    return render();
  } finally {
    current = outer;
  }
}

const meter = {
  emit(piece: unknown, line?: number): unknown {
    // Outside `metered` (never in a render) the piece goes through unchanged.
    return current === undefined ? piece : current.emit(piece, line);
  },
};

export function installMeter(env: Env): void {
  (env.helpers as Record<string, unknown>)[METER] = meter;
  const holder = env as unknown as { JavaScriptCompiler: CompilerClass };
  const Base = holder.JavaScriptCompiler;
  class MeteredCompiler extends Base {
    override appendToBuffer(source: unknown, location: unknown, explicit?: boolean): unknown {
      const parts = Array.isArray(source) ? source : [source];
      const line = this.source.currentLocation?.start?.line;
      const at = typeof line === 'number' ? `, ${line}` : '';
      return super.appendToBuffer(
        [`helpers.${METER}.emit(`, ...parts, `${at})`],
        location,
        explicit,
      );
    }
  }
  (MeteredCompiler.prototype as unknown as { compiler: CompilerClass }).compiler = MeteredCompiler;
  holder.JavaScriptCompiler = MeteredCompiler;
}
