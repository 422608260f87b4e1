import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LRS_KEY, LRS_SECRET } from './server.js';

const API = join(process.cwd(), 'apps/api/dist');

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The built server (`npm test` builds it first) as a separate process on its own DATA_DIR, so that a test can
 * `kill -9` it as an operator's worst day would. PostgreSQL is the server's when DATABASE_URL is set, else PGlite.
 */
export class LrsProcess {
  private child: ChildProcess | undefined;
  private log = '';
  readonly url: string;

  constructor(
    private readonly dataDir: string,
    private readonly port: number,
    private readonly env: Record<string, string> = {},
  ) {
    if (!existsSync(join(API, 'main.js')))
      throw new Error('apps/api/dist/main.js is missing: run npm run build:server');
    this.url = `http://127.0.0.1:${port}`;
  }

  private get childEnv(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      DATA_DIR: this.dataDir,
      PORT: String(this.port),
      LOG_LEVEL: 'warn',
      LRS_BOOTSTRAP_CREDENTIAL: `${LRS_KEY}:${LRS_SECRET}`,
      DATABASE_URL: process.env.DATABASE_URL ?? '',
      ...this.env,
    };
  }

  /** Starts the server and resolves once /health answers (after journal recovery: the app listens only then). */
  async start(timeoutMs = 120_000): Promise<void> {
    this.log = '';
    const child = spawn(process.execPath, [join(API, 'main.js')], { env: this.childEnv, stdio: 'pipe' });
    this.child = child;
    child.stdout.on('data', (c: Buffer) => (this.log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (this.log += c.toString()));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`the server exited (${child.exitCode}) while starting:\n${this.log}`);
      const ok = await fetch(`${this.url}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the server did not answer /health within ${timeoutMs} ms:\n${this.log}`);
  }

  /** kill -9: no shutdown hook runs, nothing is flushed. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** A clean stop (the journal is moved into ClickHouse before the process exits). */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  /** What the server logged (warnings and errors). */
  get output(): string {
    return this.log;
  }

  /** Runs a CLI command on the same DATA_DIR (the server must be stopped): its exit code and output. */
  async cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(API, 'cli/main.js'), ...args], {
        env: this.childEnv,
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const failed = e as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }
}
