import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importDirectory } from '@ent-observatory/directory';
import { TABLES, queryRows } from '@ent-observatory/warehouse';
import { ENRICHMENT_COLUMNS, prepareStatement } from '@ent-observatory/xapi';
import { DirectorySnapshotService } from '../apps/api/src/enrichment/directory-snapshot.service.js';
import { ENV } from '../apps/api/src/common/tokens.js';
import type { Env } from '../apps/api/src/config/env.js';
import { StatementPreparer, THREAD_MIN_BYTES } from '../apps/api/src/lrs/statement-preparer.js';
import { BUNDLED_DIR, resetDirectory } from './support/directory.js';
import { workerDataDir } from './support/paths.js';
import { PROFILE_DOC_KEY, readProfileDocExamples } from './support/profile-doc.js';
import { type TestServer, scrapeMetrics, startServer, xapiHeaders } from './support/server.js';
import { type Session, signIn } from './support/session.js';

const examples = readProfileDocExamples();
const example = (name: string) => examples.find((e) => e.name === name)!;
const ANNUAIRES = ['ille-et-vilaine-annuaire-education.csv', 'val-de-marne-annuaire-education.csv'];
const NEW_UAI = '0359999X';
const CLI_UAI = '0949999Y';

describe('enrichment at ingest, through the LRS into ClickHouse', () => {
  let server: TestServer;
  let admin: Session;

  const start = (keepData = false) => startServer({ PSEUDONYMIZATION_KEY: PROFILE_DOC_KEY }, { keepData });

  async function upload(filename: string, body: string): Promise<void> {
    const res = await fetch(`${server.url}/admin/imports?filename=${filename}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', Cookie: admin.cookie, 'X-CSRF-Token': admin.csrfToken },
      body,
    });
    expect(res.status).toBe(200);
  }

  async function post(statements: Record<string, unknown>[]): Promise<void> {
    const res = await fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders(),
      body: JSON.stringify(statements),
    });
    expect(res.status).toBe(200);
  }

  /** The enrichment columns of stored statements, by id, read back from ClickHouse. */
  async function enrichedRows(ids: string[]): Promise<Map<string, Record<string, unknown>>> {
    await server.settle();
    const rows = await queryRows<Record<string, unknown> & { id: string }>(
      server.warehouse.client,
      `SELECT id, platform, ${ENRICHMENT_COLUMNS.join(', ')}
         FROM ${TABLES.statements} WHERE id IN {ids:Array(UUID)}`,
      { ids },
    );
    return new Map(rows.map(({ id, ...columns }) => [id, { ...columns, uai_known: Number(columns.uai_known) }]));
  }

  async function metric(name: string): Promise<number> {
    const text = await scrapeMetrics(server.url);
    return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  }

  beforeAll(async () => {
    server = await start();
    await resetDirectory(server.store, server.warehouse);
    admin = await signIn(server.url);
    // Through the administration page: the snapshot the LRS enriches with must follow the import.
    for (const file of ANNUAIRES) await upload(file, readFileSync(join(BUNDLED_DIR, file), 'utf8'));
  });
  afterAll(async () => {
    await server?.close();
  });

  it("stores the profile document's examples with the columns it shows, the raw statement unchanged", async () => {
    const sent: Record<string, unknown>[] = examples.map((e) => ({ ...e.statement, id: randomUUID() }));
    await post(sent);
    const rows = await enrichedRows(sent.map((s) => s.id as string));
    examples.forEach((e, i) => {
      const { platform, ...columns } = rows.get(sent[i]!.id as string)!;
      expect({ name: e.name, ...columns }).toEqual({ name: e.name, ...e.enriched });
      expect(platform).toBe((e.statement.context as { platform: string }).platform);
    });

    // LRS readers still get the statement as sent, identifiers included.
    const visit = sent[0]!;
    const res = await fetch(`${server.url}/xapi/statements?statementId=${String(visit.id)}`, {
      headers: xapiHeaders(),
    });
    const read = (await res.json()) as Record<string, unknown>;
    expect(read.actor).toEqual(visit.actor);
    expect(read.context).toEqual(visit.context);
  });

  it('counts statements with an unknown UAI and statements outside the profile in /metrics', async () => {
    const unknownBefore = await metric('ent_statements_unknown_uai_total');
    const outsideBefore = await metric('ent_statements_outside_profile_total');
    const outside = { ...example('outside-profile').statement, id: randomUUID() };
    await post([outside, { ...example('visit').statement, id: randomUUID() }]);
    expect(await metric('ent_statements_unknown_uai_total')).toBe(unknownBefore + 1);
    expect(await metric('ent_statements_outside_profile_total')).toBe(outsideBefore + 1);
    // Stored, flagged, and queryable like any statement.
    const row = (await enrichedRows([outside.id])).get(outside.id);
    expect(row).toMatchObject({ uai: '0999999Z', uai_known: 0, ent_service: 'autre' });
  });

  it('enriches a statement posted right after an admin import of a new establishment', async () => {
    const visit = example('visit').statement;
    const withNewUai = () => {
      const context = visit.context as { extensions: Record<string, unknown> };
      const extensions = { ...context.extensions, 'https://ent-observatory.fr/xapi/extensions/uai': NEW_UAI };
      return { ...visit, id: randomUUID(), context: { ...context, extensions } };
    };
    const before = withNewUai();
    await post([before]);

    const [header, line] = readFileSync(join(BUNDLED_DIR, ANNUAIRES[0]!), 'utf8').split(/\r?\n/);
    const uai = line!.split(';')[0]!;
    await upload('nouveau-college.csv', `${header}\n${line!.replace(uai, NEW_UAI)}\n`);
    const after = withNewUai();
    await post([after]);

    const rows = await enrichedRows([before.id, after.id]);
    expect(rows.get(before.id)).toMatchObject({ uai: NEW_UAI, uai_known: 0, academie: '' });
    expect(rows.get(after.id)).toMatchObject({ uai: NEW_UAI, uai_known: 1, academie: '14', departement: '035' });
  });

  it('sees a directory changed by another process (a CLI import) at its next check, and only then reloads', async () => {
    const snapshots = server.app.get(DirectorySnapshotService);
    expect(await snapshots.refreshIfChanged()).toBe(false);
    const [header, line] = readFileSync(join(BUNDLED_DIR, ANNUAIRES[1]!), 'utf8').split(/\r?\n/);
    const file = join(workerDataDir(), 'ecole-cli.csv');
    writeFileSync(file, `${header}\n${line!.replace(line!.split(';')[0]!, CLI_UAI)}\n`);
    await importDirectory(server.store, server.warehouse, [file]); // what `npm run cli -- directory:import` runs
    expect(snapshots.current.has(CLI_UAI)).toBe(false);
    expect(await snapshots.refreshIfChanged()).toBe(true);
    expect(snapshots.current.get(CLI_UAI)).toMatchObject({ academie: '24', departement: '094' });
  });

  it('prepares a large batch on the threads exactly as a small one in the request, with the directory of now', async () => {
    const copies = 12; // about 40 kB: past THREAD_MIN_BYTES, so the body goes to a preparation thread
    const batch = () =>
      Array.from({ length: copies }, () => examples.map((e) => ({ ...e.statement, id: randomUUID() }))).flat();
    const sent = batch();
    expect(server.app.get(StatementPreparer).onThread(Buffer.from(JSON.stringify(sent)))).toBe(true);
    const unknownBefore = await metric('ent_statements_unknown_uai_total');
    await post(sent);
    const rows = await enrichedRows(sent.map((s) => s.id as string));
    sent.forEach((s, i) => {
      const e = examples[i % examples.length]!;
      const { platform: _platform, ...columns } = rows.get(s.id)!;
      expect({ name: e.name, ...columns }).toEqual({ name: e.name, ...e.enriched });
    });
    // The counters are fed from the threads' notes as from the request's.
    const unknownPerCopy = examples.filter((e) => e.enriched.uai !== '' && e.enriched.uai_known === 0).length;
    expect(unknownPerCopy).toBeGreaterThan(0);
    expect(await metric('ent_statements_unknown_uai_total')).toBe(unknownBefore + copies * unknownPerCopy);
    // Operators see the threads running (docs/operations.md).
    const threads = server.app.get<Env>(ENV).XAPI_PREPARE_THREADS;
    expect(threads).toBeGreaterThan(0);
    expect(await metric('lrs_prepare_threads')).toBe(threads);

    // A directory change reaches threads already running: an establishment imported now enriches the next batch.
    const uai = '0949998Z';
    const [header, line] = readFileSync(join(BUNDLED_DIR, ANNUAIRES[1]!), 'utf8').split(/\r?\n/);
    const file = join(workerDataDir(), 'ecole-threads.csv');
    writeFileSync(file, `${header}\n${line!.replace(line!.split(';')[0]!, uai)}\n`);
    await importDirectory(server.store, server.warehouse, [file]);
    expect(await server.app.get(DirectorySnapshotService).refreshIfChanged()).toBe(true);
    const visit = example('visit').statement;
    const context = visit.context as { extensions: Record<string, unknown> };
    const extensions = { ...context.extensions, 'https://ent-observatory.fr/xapi/extensions/uai': uai };
    const visits = Array.from({ length: 60 }, () => ({
      ...visit,
      id: randomUUID(),
      context: { ...context, extensions },
    }));
    expect(Buffer.byteLength(JSON.stringify(visits))).toBeGreaterThan(THREAD_MIN_BYTES);
    await post(visits);
    for (const row of (await enrichedRows(visits.map((v) => v.id))).values()) {
      expect(row).toMatchObject({ uai, uai_known: 1, academie: '24', departement: '094' });
    }
  });

  it('enriches statements recovered from the journal at start like those written by requests', async () => {
    await server.close();
    const e = example('parent-for-child');
    const statement = prepareStatement(
      { ...e.statement, id: randomUUID() },
      {
        authority: { account: { homePage: 'https://lrs.test', name: 'test-key' } },
        stored: new Date(),
        version: '1.0.3',
      },
    );
    // A journal file left by a process that stopped before moving it (what an acknowledged write leaves).
    const journal = join(workerDataDir(), 'journal');
    mkdirSync(journal, { recursive: true });
    writeFileSync(join(journal, `gen-${Date.now() - 60_000}.ndjson`), `${JSON.stringify(statement)}\n`);
    server = await start(true);
    admin = await signIn(server.url);
    const { platform: _platform, ...columns } = (await enrichedRows([statement.id])).get(statement.id)!;
    expect(columns).toEqual(e.enriched);
  });
});
