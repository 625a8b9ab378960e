import { createInterface } from 'node:readline/promises';

/** Asks on the terminal; refuses when there is no terminal (use the flags instead). */
export async function ask(question: string, opts: { hidden?: boolean } = {}): Promise<string> {
  if (!process.stdin.isTTY) throw new Error(`missing value for "${question}" (no terminal to ask: pass it as a flag)`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (opts.hidden) {
    // Echo nothing while typing a password.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(question)) process.stdout.write(question);
    };
  }
  try {
    const answer = await rl.question(question);
    if (opts.hidden) process.stdout.write('\n');
    return answer.trim();
  } finally {
    rl.close();
  }
}
