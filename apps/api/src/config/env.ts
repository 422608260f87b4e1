import { availableParallelism } from 'node:os';
import { z } from 'zod';

/** `https://host[:port]` and nothing more: what a CSP source list holds. */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}

const keyPair = (what: string) =>
  z
    .string()
    .regex(/^[^:]+:.+$/, `must be "${what}" (two values separated by a colon)`)
    .transform((v) => {
      const i = v.indexOf(':');
      return { id: v.slice(0, i), secret: v.slice(i + 1) };
    });

const intInRange = (min: number, max: number, dflt: number) => z.coerce.number().int().min(min).max(max).default(dflt);

/** The operator contract (DESIGN.md): every variable the process reads, validated once at start. */
const EnvSchema = z.object({
  PORT: intInRange(0, 65535, 3000),
  DATA_DIR: z.string().min(1).default('./data'),
  CLICKHOUSE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://localhost:8123' })
    .optional(),
  CLICKHOUSE_USER: z.string().optional(),
  CLICKHOUSE_PASSWORD: z.string().optional(),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain database name')
    .optional(),
  /** Embedded mode: chdb sessions on DATA_DIR, so that reads do not queue behind a long query or insert. */
  CLICKHOUSE_EMBEDDED_SESSIONS: intInRange(1, 32, 4),
  CLICKHOUSE_CLUSTER: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain cluster name')
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  LRS_BOOTSTRAP_CREDENTIAL: keyPair('key:secret').optional(),
  ADMIN_BOOTSTRAP: keyPair('email:password').optional(),
  PSEUDONYMIZATION_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  K_ANONYMITY: intInRange(1, 1000, 5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest request body accepted by the xAPI resources, in bytes (413 beyond). */
  XAPI_MAX_BODY_BYTES: intInRange(1024, 1024 * 1024 * 1024, 20 * 1024 * 1024),
  /**
   * Largest State / Activity Profile / Agent Profile document, in bytes (413 beyond). Documents are scratch data
   * kept in PostgreSQL and read whole on every merge, so the default is far smaller than for statement batches.
   */
  XAPI_MAX_DOCUMENT_BYTES: intInRange(1024, 256 * 1024 * 1024, 1024 * 1024),
  /** Group commit tuning; see libs/warehouse/src/group-commit.ts for what each bounds. */
  INSERT_BATCH_ROWS: intInRange(1, 1_000_000, 10_000),
  INSERT_WAIT_MS: intInRange(0, 1000, 5),
  INSERT_MAX_PENDING_ROWS: intInRange(1, 10_000_000, 100_000),
  INSERT_CONCURRENT_WRITES: intInRange(1, 16, 2),
  /**
   * Threads that parse, check and enrich large statement bodies (0: all in the requests). One fewer than the cores:
   * the main thread and ClickHouse's inserts use the rest.
   */
  XAPI_PREPARE_THREADS: intInRange(0, 64, Math.max(1, availableParallelism() - 1)),
  /** How often journaled small writes are moved into `statements` (their query visibility delay). */
  JOURNAL_MOVE_MS: intInRange(50, 60_000, 1000),
  /** Sign-in sessions end this long after sign-in, or after this long without a request. */
  SESSION_TTL_HOURS: intInRange(1, 24 * 30, 12),
  SESSION_IDLE_MINUTES: intInRange(5, 24 * 60, 120),
  /** `auto`: Secure cookies when the request came over https (set `always` behind a TLS-terminating proxy). */
  COOKIE_SECURE: z.enum(['auto', 'always', 'never']).default('auto'),
  /** Failed sign-ins allowed per account per 15 minutes (and 10× that per client address) before 429. */
  SIGN_IN_MAX_FAILURES: intInRange(1, 1000, 5),
  /** Trust X-Forwarded-For/-Proto from a reverse proxy in front (client addresses for rate limits, https). */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** xAPI requests per second per LRS credential (bursts of twice that); 0 turns the limit off. */
  LRS_RATE_LIMIT: intInRange(0, 1_000_000, 2000),
  /** Largest GraphQL (and other non-xAPI JSON) request body, in bytes (413 beyond). */
  GRAPHQL_MAX_BODY_BYTES: intInRange(1024, 64 * 1024 * 1024, 1024 * 1024),
  /** Structural limits of one GraphQL document, checked before validation (docs/security.md). */
  GRAPHQL_MAX_TOKENS: intInRange(100, 1_000_000, 3000),
  GRAPHQL_MAX_DEPTH: intInRange(2, 100, 10),
  GRAPHQL_MAX_ALIASES: intInRange(0, 10_000, 20),
  GRAPHQL_MAX_FIELDS: intInRange(10, 100_000, 300),
  /** Cost units per GraphQL request (≈ ms of CPU of the views on 10M statements; a dashboard view costs 20–420). */
  GRAPHQL_MAX_COST: intInRange(10, 10_000_000, 1000),
  /** Who may introspect the schema (and see "Did you mean …?" suggestions): `signed-in`, `anyone` (development), `off`. */
  GRAPHQL_INTROSPECTION: z.enum(['signed-in', 'anyone', 'off']).default('signed-in'),
  /**
   * How long a view waits for the visit rollups to catch up with this process's writes before it answers from the
   * last complete state (meta.asOf says how fresh): a catch-up of a large arrival takes seconds.
   */
  ROLLUP_WAIT_MS: intInRange(0, 600_000, 2000),
  /**
   * A background catch-up of the visit rollups waits at least this many times the last one's duration after it
   * (at most 20 s), so that under a steady flow catch-ups take at most 1 / (1 + factor) of the time; 0: back to
   * back (bench/results/ingest-catch-up-*.md). A view still asks for one at once.
   */
  ROLLUP_IDLE_FACTOR: intInRange(0, 100, 2),
  /**
   * ClickHouse threads for each counting statement of the API's catch-ups (`max_threads`); 0: the server's default
   * (every core). They run beside ingest: on one thread, batch ingest under load gained 3 to 14 % (ahead in 7
   * alternating rounds of 8), and a catch-up of 1 M statements on an idle machine took 20 % longer
   * (bench/results/ingest-catch-up-threads-*.md).
   */
  ROLLUP_MAX_THREADS: intInRange(0, 256, 1),
  /**
   * Retention (docs/operations.md "Retention"), in months kept after the month ends; 0 keeps forever. Raw statements
   * and the LRS's tables: a school year and its summer. Person-level rollups (visits per person, pupils' weeks,
   * follow-up): this school year and the previous one whole, which the continuity view (CM2 → 6e) compares.
   */
  STATEMENT_RETENTION_MONTHS: intInRange(0, 1200, 12),
  PERSON_ROLLUP_RETENTION_MONTHS: intInRange(0, 1200, 24),
  /** Expensive views (@ViewCost) running at once: in total, per account, and waiting per account before 429. */
  VIEW_CONCURRENCY: intInRange(1, 1000, 4),
  VIEW_CONCURRENCY_PER_USER: intInRange(1, 1000, 2),
  VIEW_QUEUE_PER_USER: intInRange(0, 10_000, 8),
  /** Serve /metrics on this port only (on METRICS_HOST), not on PORT. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Bearer token /metrics requires (on either port); unset with no METRICS_PORT: /metrics answers 404. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Origins (https://…) whose pages the training space may show in frames: imported cmi5 content. */
  CSP_FRAME_ORIGINS: z
    .string()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.string().refine(isOrigin, 'must be origins such as https://contenus.example.fr (no path)')))
    .default([]),
  /** Largest cmi5 package (zip or XML) or « dépôt » file the training space accepts. */
  TRAINING_MAX_PACKAGE_BYTES: intInRange(1024, 2 * 1024 * 1024 * 1024, 200 * 1024 * 1024),
});

export type Env = z.infer<typeof EnvSchema>;

/**
 * Rollups outliving the statements they are derived from are fine (that is the point); the reverse is not: a
 * rollup expired while its statements remain would be derived again from them by lrs:check --repair or an erasure.
 */
function checkRetention(env: Env): string[] {
  const s = env.STATEMENT_RETENTION_MONTHS;
  const p = env.PERSON_ROLLUP_RETENTION_MONTHS;
  return p !== 0 && (s === 0 || s > p)
    ? ['  PERSON_ROLLUP_RETENTION_MONTHS: must be 0 (forever) or at least STATEMENT_RETENTION_MONTHS']
    : [];
}

export class EnvError extends Error {}

/** Parses the environment; empty strings count as unset, so `FOO=` in a .env file means the default. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (parsed.success) {
    const problems = checkRetention(parsed.data);
    if (problems.length === 0) return parsed.data;
    throw new EnvError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new EnvError(`Invalid configuration:\n${lines.join('\n')}`);
}
