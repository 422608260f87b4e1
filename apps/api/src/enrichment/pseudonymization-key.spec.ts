import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { KEY_FILE, resolvePseudonymizationKey } from './pseudonymization-key.js';

describe('resolvePseudonymizationKey', () => {
  let dir: string;
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pseudonym-key-'));
    warnings.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses PSEUDONYMIZATION_KEY when set, and writes nothing', () => {
    const key = 'une-cle-fournie-par-l-exploitant-0001';
    expect(resolvePseudonymizationKey({ PSEUDONYMIZATION_KEY: key, DATA_DIR: dir }, logger)).toBe(key);
    expect(() => statSync(join(dir, KEY_FILE))).toThrow();
  });

  it('generates a key into DATA_DIR once (readable by its owner only, with a warning) and reuses it', () => {
    const first = resolvePseudonymizationKey({ DATA_DIR: join(dir, 'data') }, logger);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const file = join(dir, 'data', KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(warnings.join('')).toMatch(/generated a pseudonymisation key/);
    warnings.length = 0;
    expect(resolvePseudonymizationKey({ DATA_DIR: join(dir, 'data') }, logger)).toBe(first);
    expect(warnings).toEqual([]);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
  });

  it('refuses a truncated key file rather than pseudonymise with a weak key', () => {
    writeFileSync(join(dir, KEY_FILE), 'abc\n');
    expect(() => resolvePseudonymizationKey({ DATA_DIR: dir }, logger)).toThrow(/fewer than 32 characters/);
  });
});
