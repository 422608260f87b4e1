import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testRoot } from './paths.js';

const HARNESS = fileURLToPath(new URL('./clickhouse-http.mjs', import.meta.url));

export interface ClickHouseServer {
  /** CLICKHOUSE_URL of the server. */
  url: string;
  /** The data directory (kept by kill(), removed by stop()). */
  dir: string;
  stop(): Promise<void>;
  /** `kill -9`: the engine dies wherever it is; the data directory stays, for a restart on it. */
  kill(): Promise<void>;
}

/**
 * ClickHouse's HTTP interface served by chdb in a separate process (clickhouse-http.mjs) on a fresh data directory:
 * what several API processes and the CLI share in server mode (CLICKHOUSE_URL).
 */
export async function startClickHouseServer(
  options: { cluster?: string; dir?: string } = {},
): Promise<ClickHouseServer> {
  mkdirSync(testRoot(), { recursive: true });
  // `dir`: restart on the data directory of a server that was killed.
  const dir = options.dir ?? mkdtempSync(join(testRoot(), 'clickhouse-server-'));
  // `cluster`: a one-shard, one-replica cluster of that name, without Keeper (clickhouse-http.mjs says what that means).
  const env = options.cluster ? { ...process.env, CHDB_CLUSTER: options.cluster } : process.env;
  const child: ChildProcess = spawn(process.execPath, [HARNESS, dir, '0'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`clickhouse-http.mjs exited with ${code}: ${stderr}`)));
  });
  /** Sends the signal and waits for the exit (at once if the process has already ended). */
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    kill: () => end('SIGKILL'),
    stop: async () => {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
