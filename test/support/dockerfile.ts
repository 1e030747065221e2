// A small Dockerfile reader for the deploy-files test: instructions (continuation lines joined,
// comments and parser directives dropped), grouped into build stages by FROM. It knows the
// instructions' words, not their semantics, which is all the test checks.

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, … */
  keyword: string;
  /** The rest of the instruction, continuation lines joined with a space. */
  args: string;
  /** The line the instruction starts on (1-based). */
  line: number;
}

export interface Stage {
  /** The image the stage starts from, as written (`${NODE_IMAGE}` left as is). */
  from: string;
  /** The `AS name`, when given. */
  name?: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARG instructions before the first FROM. */
  globalArgs: Instruction[];
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  let current: Instruction | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (current === undefined) {
      if (trimmed === '' || trimmed.startsWith('#')) return;
      const match = /^([A-Za-z]+)\s*(.*)$/.exec(trimmed);
      if (!match) throw new Error(`Dockerfile line ${i + 1}: not an instruction: ${trimmed}`);
      current = { keyword: match[1]!.toUpperCase(), args: '', line: i + 1 };
      appendTo(current, match[2]!);
    } else if (trimmed.startsWith('#')) {
      return; // a comment inside a continued instruction
    } else {
      appendTo(current, trimmed);
    }
    if (!current.args.endsWith('\\')) {
      instructions.push(current);
      current = undefined;
    } else {
      current.args = current.args.slice(0, -1).trimEnd();
    }
  });
  if (current)
    throw new Error(`Dockerfile line ${current.line}: the last instruction is continued`);

  const result: Dockerfile = { globalArgs: [], stages: [] };
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [from, as, name] = instruction.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      if (!from) throw new Error(`Dockerfile line ${instruction.line}: FROM without an image`);
      result.stages.push({
        from,
        ...(as?.toUpperCase() === 'AS' && name ? { name } : {}),
        instructions: [],
      });
    } else if (result.stages.length === 0) {
      if (instruction.keyword !== 'ARG')
        throw new Error(`Dockerfile line ${instruction.line}: ${instruction.keyword} before FROM`);
      result.globalArgs.push(instruction);
    } else {
      result.stages[result.stages.length - 1]!.instructions.push(instruction);
    }
  }
  return result;
}

function appendTo(instruction: Instruction, text: string): void {
  instruction.args = instruction.args === '' ? text : `${instruction.args} ${text}`;
}

/** The instructions of a stage with this keyword. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** The words of an instruction in exec form (`["a", "b"]`), or undefined in shell form. */
export function execForm(instruction: Instruction): string[] | undefined {
  const args = instruction.args.replace(/^(--\S+\s+)*/, '');
  const start = args.indexOf('[');
  if (start !== 0 && !/^CMD\s+\[/.test(args)) return undefined;
  const json = start === 0 ? args : args.slice(args.indexOf('['));
  try {
    const words: unknown = JSON.parse(json);
    return Array.isArray(words) && words.every((w) => typeof w === 'string') ? words : undefined;
  } catch {
    return undefined;
  }
}
