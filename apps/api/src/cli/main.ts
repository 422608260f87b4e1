import { EnvError, loadEnv } from '../config/env.js';
import { type CliCommand, type CliIo, CommandFailed, UsageError } from './command.js';
import { demoAccounts } from './demo-accounts.command.js';
import { directoryImport } from './directory-import.command.js';
import { dnmaExport, dnmaImport } from './dnma.command.js';
import { helpCommand } from './help.command.js';
import { load } from './load.command.js';
import { lrsCheck } from './lrs-check.command.js';
import { rollupsRecompute } from './rollups-recompute.command.js';
import { simulate } from './simulate.command.js';

/** The command registry: each command is one file; `npm run cli -- help` lists them. */
const COMMANDS: readonly CliCommand[] = [
  directoryImport,
  demoAccounts,
  simulate,
  load,
  dnmaImport,
  dnmaExport,
  lrsCheck,
  rollupsRecompute,
  helpCommand(() => COMMANDS),
];

const io: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  interactive: process.stderr.isTTY,
};

async function main(argv: string[]): Promise<number> {
  const [name = 'help', ...args] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}". Run \`npm run cli -- help\` for the list.\n`);
    return 2;
  }
  try {
    return await command.run(args, loadEnv(), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\nUsage: npm run cli -- ${command.name} ${command.usage}\n`);
      return 2;
    }
    if (e instanceof CommandFailed) {
      io.err(`${e.message}\n`);
      return 1;
    }
    if (e instanceof EnvError) {
      io.err(`${e.message}\nSee the configuration table in README.md.\n`);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`Failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
