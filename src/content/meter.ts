// The output meter: templates compile so that every piece they append to their output first goes
// through the render state's `emit` (render-state.ts), which counts it against maxRenderChars. A
// template that writes a large value many times then stops as soon as the budget is crossed, not
// after the whole output has been built.
//
// Handlebars documents `appendToBuffer` as the JavaScriptCompiler method to override "to provide
// alternative compiled forms for ... buffering semantics"; child programs (block bodies) are compiled
// with `this.compiler`, so the subclass sets that too.
import type Handlebars from 'handlebars';

type Env = ReturnType<typeof Handlebars.create>;

/** The part of Handlebars' (untyped) JavaScriptCompiler that the meter uses. */
interface CompilerInstance {
  appendToBuffer(source: unknown, location: unknown, explicit?: boolean): unknown;
  source: { currentLocation?: { start?: { line?: number } } };
}
type CompilerClass = new () => CompilerInstance;

export function installMeter(env: Env): void {
  const holder = env as unknown as { JavaScriptCompiler: CompilerClass };
  const Base = holder.JavaScriptCompiler;
  class MeteredCompiler extends Base {
    override appendToBuffer(source: unknown, location: unknown, explicit?: boolean): unknown {
      const parts = Array.isArray(source) ? source : [source];
      const line = this.source.currentLocation?.start?.line;
      const at = typeof line === 'number' ? `, ${line}` : '';
      return super.appendToBuffer(['data.wm.emit(', ...parts, `${at})`], location, explicit);
    }
  }
  (MeteredCompiler.prototype as unknown as { compiler: CompilerClass }).compiler = MeteredCompiler;
  holder.JavaScriptCompiler = MeteredCompiler;
}
