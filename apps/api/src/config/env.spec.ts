import { EnvError, loadEnv } from './env.js';

describe('loadEnv', () => {
  it('applies the operator contract defaults', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ PORT: 3000, DATA_DIR: './data', K_ANONYMITY: 5, INSERT_BATCH_ROWS: 10_000 });
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
});
