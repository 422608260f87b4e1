import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../apps/api/dist/main.js', import.meta.url));

describe('start-up configuration', () => {
  it.each([
    ['PORT', 'not-a-port'],
    ['CLICKHOUSE_URL', 'localhost:8123'],
    ['LRS_BOOTSTRAP_CREDENTIAL', 'no-colon'],
    ['K_ANONYMITY', '0'],
  ])('stops with a message naming %s when it is wrong', (name, value) => {
    const run = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, [name]: value },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${name}:`);
    expect(run.stderr).toContain('Invalid configuration');
  });
});
