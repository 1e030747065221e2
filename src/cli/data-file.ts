// A JSON or YAML file named on a local command's line (a context, a scope, render data), read
// through the command's I/O; what is wrong with it is the user's input, not an internal error.
import { parse as parseYaml } from 'yaml';
import type { CommandIo } from './command-io.ts';

/** Input the user gave that cannot be used: reported as bad input (exit 1), never as a crash. */
export class CommandInputError extends Error {}

export async function readDataFile(io: CommandIo, path: string): Promise<unknown> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (e) {
    throw new CommandInputError(
      `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const yaml = /\.ya?ml$/i.test(path);
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new CommandInputError(
      `${path} is not valid ${yaml ? 'YAML' : 'JSON'}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
