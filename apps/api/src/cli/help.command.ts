import type { CliCommand } from './command.js';

/** `help`: the commands and what each does. */
export function helpCommand(commands: () => readonly CliCommand[]): CliCommand {
  return {
    name: 'help',
    usage: '',
    summary: 'list the commands',
    run(_args, _env, io) {
      const lines = commands().map((c) => `  ${`${c.name} ${c.usage}`.trim().padEnd(44)} ${c.summary}`);
      io.out(
        `Usage: npm run cli -- <command> [arguments]\n\nCommands:\n${lines.join('\n')}\n\nStores come from the server's environment (DATA_DIR, DATABASE_URL, CLICKHOUSE_*).\n`,
      );
      return Promise.resolve(0);
    },
  };
}
