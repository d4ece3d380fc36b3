/**
 * `misas <args>` in-process: the CLI's main() with captured stdout and stderr, as a user reads
 * them, without starting node, tsx and onnxruntime for every call (seconds each on a busy
 * machine). The few tests of the process itself (exit codes, no stack trace, Ctrl-C) are in
 * test/unit/cli/process.test.ts. Every call is checked to leave the test process as it found
 * it: working folder, environment, SIGINT listeners, exit code, and no interrupt left armed.
 */
import * as assert from 'node:assert/strict';
import { main } from '../../src/cli/cli';
import type { CliIo } from '../../src/cli/io';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** What a CLI call must not change in the process that runs it. */
function processState() {
  return {
    cwd: process.cwd(),
    env: { ...process.env },
    sigint: process.listenerCount('SIGINT'),
    exitCode: process.exitCode,
  };
}

/**
 * main() with captured output, checked to leave the process as it found it and its interrupt
 * disarmed; `pressCtrlC` cancels as soon as the command arms its interrupt.
 */
async function runCli(args: string[], pressCtrlC: boolean): Promise<CliResult & { interrupts: number }> {
  let stdout = '';
  let stderr = '';
  let armed = 0;
  let interrupts = 0;
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    onInterrupt(cancel) {
      armed++;
      interrupts++;
      if (pressCtrlC) cancel();
      return () => armed--;
    },
  };
  const before = processState();
  const code = await main(args, io);
  assert.deepEqual(processState(), before, `misas ${args.join(' ')} changed the test process`);
  assert.equal(armed, 0, `misas ${args.join(' ')} left its interrupt armed`);
  return { code, stdout, stderr, interrupts };
}

export async function misas(...args: string[]): Promise<CliResult> {
  const { code, stdout, stderr } = await runCli(args, false);
  return { code, stdout, stderr };
}

/**
 * `misas <args>` with Ctrl-C pressed as soon as the command arms its interrupt (the start of its
 * work): deterministic, unlike a signal timed against the work.
 */
export function misasInterrupted(...args: string[]): Promise<CliResult & { interrupts: number }> {
  return runCli(args, true);
}
