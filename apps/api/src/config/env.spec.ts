import { EnvError, loadEnv } from './env.js';

describe('loadEnv', () => {
  it('applies the operator contract defaults', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ PORT: 3000, DATA_DIR: './data', K_ANONYMITY: 5, INSERT_BATCH_ROWS: 10_000 });
    expect(env).toMatchObject({ ROLLUP_WAIT_MS: 2000, ROLLUP_IDLE_FACTOR: 2, ROLLUP_MAX_THREADS: 1 });
    expect(env.CLICKHOUSE_URL).toBeUndefined();
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('splits key:secret pairs at the first colon, so secrets may contain colons', () => {
    expect(loadEnv({ LRS_BOOTSTRAP_CREDENTIAL: 'ent:a:b' }).LRS_BOOTSTRAP_CREDENTIAL).toEqual({
      id: 'ent',
      secret: 'a:b',
    });
  });

  it('treats empty values as unset', () => {
    const env = loadEnv({ PORT: '', DATABASE_URL: '' });
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('names every wrong variable without echoing secrets', () => {
    let error: unknown;
    try {
      loadEnv({ PORT: '99999', DATABASE_URL: 'mysql://root:hunter2@db', PSEUDONYMIZATION_KEY: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    expect(message).toContain('PORT:');
    expect(message).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(message).toContain('PSEUDONYMIZATION_KEY: must be at least 32 characters');
    expect(message).not.toContain('hunter2');
  });
  it('reads the hardening limits, and refuses frame origins with a path and short metrics tokens', () => {
    const env = loadEnv({ CSP_FRAME_ORIGINS: 'https://contenus.example.fr, https://cmi5.example.org:8443' });
    expect(env).toMatchObject({
      GRAPHQL_MAX_COST: 1000,
      GRAPHQL_INTROSPECTION: 'signed-in',
      VIEW_CONCURRENCY_PER_USER: 2,
    });
    expect(env.CSP_FRAME_ORIGINS).toEqual(['https://contenus.example.fr', 'https://cmi5.example.org:8443']);
    expect(env.METRICS_PORT).toBeUndefined();
    expect(() => loadEnv({ CSP_FRAME_ORIGINS: 'https://contenus.example.fr/paquets' })).toThrow(/CSP_FRAME_ORIGINS/);
    expect(() => loadEnv({ CSP_FRAME_ORIGINS: "'unsafe-inline'" })).toThrow(/CSP_FRAME_ORIGINS/);
    expect(() => loadEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    expect(() => loadEnv({ GRAPHQL_INTROSPECTION: 'yes' })).toThrow(/GRAPHQL_INTROSPECTION/);
  });
  it('keeps statements 12 months and person-level rollups 24 by default, and refuses rollups expiring first', () => {
    expect(loadEnv({})).toMatchObject({ STATEMENT_RETENTION_MONTHS: 12, PERSON_ROLLUP_RETENTION_MONTHS: 24 });
    expect(loadEnv({ STATEMENT_RETENTION_MONTHS: '0', PERSON_ROLLUP_RETENTION_MONTHS: '0' })).toMatchObject({
      STATEMENT_RETENTION_MONTHS: 0,
    });
    expect(() => loadEnv({ STATEMENT_RETENTION_MONTHS: '24', PERSON_ROLLUP_RETENTION_MONTHS: '12' })).toThrow(
      /PERSON_ROLLUP_RETENTION_MONTHS: must be 0 \(forever\) or at least STATEMENT_RETENTION_MONTHS/,
    );
    expect(() => loadEnv({ STATEMENT_RETENTION_MONTHS: '0', PERSON_ROLLUP_RETENTION_MONTHS: '12' })).toThrow(
      /PERSON_ROLLUP_RETENTION_MONTHS/,
    );
  });
});
