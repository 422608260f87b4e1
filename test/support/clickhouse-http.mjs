// ClickHouse's HTTP interface, served by chdb in its own process: the server mode's test harness.
//
// No ClickHouse server package >= 23.8 installs on these machines (Debian's is 18.16), so server mode is tested
// against the real engine (chdb, ClickHouse 26.x) behind the subset of the HTTP protocol @clickhouse/client speaks:
// POST / with the query in the body (or in `query` with the data in the body), `param_<name>` query parameters,
// settings as URL parameters, answers in the query's FORMAT, errors as `Code: N. DB::Exception: …` with a 500, and
// GET /ping. Each request runs on one of a few chdb sessions of the same data directory (settings and parameters
// are set on that session for the request only: they are reset after it).
//
// Usage: node test/support/clickhouse-http.mjs <data dir> <port>   (prints "listening <port>" when ready)
//
// With CHDB_CLUSTER=<name> in the environment, the engine is given a cluster of that name (remote_servers: one
// shard, one replica, this node, which ClickHouse then reaches in-process), so that Distributed tables are real, and
// a cluster `<name>_two_shards` whose two shards are both this node (only for what must refuse several shards). It
// has no ClickHouse Keeper, so the harness stands in for the two things that need one: it strips `ON CLUSTER <name>`
// from each query (no distributed DDL queue) and turns `Replicated<Family>MergeTree(…)` into `<Family>MergeTree`
// without the path and replica arguments (no replication). Everything else the cluster DDL says runs as written.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Session } from 'chdb';

const [dataDir, portArg] = process.argv.slice(2);
if (!dataDir) {
  process.stderr.write('usage: clickhouse-http.mjs <data dir> [port]\n');
  process.exit(2);
}

/** URL parameters that are not settings (client-side or HTTP-only ones chdb rejects as settings). */
const NOT_SETTINGS = new Set([
  'query',
  'query_id',
  'database',
  'session_id',
  'role',
  'default_format',
  'wait_end_of_query',
  'send_progress_in_http_headers',
  'http_headers_progress_interval_ms',
  'enable_http_compression',
  'http_zlib_compression_level',
]);
const CLUSTER = process.env.CHDB_CLUSTER;
if (CLUSTER !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(CLUSTER)) throw new Error('CHDB_CLUSTER: not a name');
const connectionArgs = [];
/** One shard of one replica: this node. */
const SHARD = '<shard><replica><host>localhost</host><port>9000</port></replica></shard>';
if (CLUSTER) {
  const config = join(dataDir, 'cluster.xml');
  writeFileSync(
    config,
    `<clickhouse><tcp_port>9000</tcp_port><macros><shard>01</shard><replica>r1</replica></macros>
<remote_servers><${CLUSTER}>${SHARD}</${CLUSTER}><${CLUSTER}_two_shards>${SHARD}${SHARD}</${CLUSTER}_two_shards></remote_servers></clickhouse>`,
  );
  connectionArgs.push(`--config-file=${config}`);
}

/** What a cluster without Keeper cannot run, made single-node (see the top of this file). */
function withoutKeeper(sql) {
  if (!CLUSTER) return sql;
  return sql
    .replace(new RegExp(`\\s+ON\\s+CLUSTER\\s+(\`${CLUSTER}\`|${CLUSTER}|'${CLUSTER}')`, 'g'), '')
    .replace(/\bReplicated(\w*MergeTree)\s*\(\s*'[^']*'\s*,\s*'[^']*'\s*(,\s*)?/g, '$1(')
    .replace(/\bReplicated(\w*MergeTree)\b/g, '$1');
}

const SESSIONS = 4;
const sessions = Array.from({ length: SESSIONS }, () => ({
  session: new Session(dataDir, { connectionArgs }),
  busy: 0,
  queue: Promise.resolve(),
}));

/** One request at a time per session (its SETs must not leak into another request's query). */
function onSession(run) {
  const s = sessions.reduce((a, b) => (b.busy < a.busy ? b : a));
  s.busy += 1;
  const result = s.queue.then(() => run(s.session));
  s.queue = result.then(
    () => undefined,
    () => undefined,
  );
  return result.finally(() => (s.busy -= 1));
}

const literal = (v) => `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function statementOf(url, body) {
  const params = url.searchParams;
  const sets = [];
  const resets = [];
  for (const [key, value] of params) {
    if (key.startsWith('param_')) sets.push(`SET ${key} = ${literal(value)}`);
    else if (!NOT_SETTINGS.has(key) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      sets.push(`SET ${key} = ${literal(value)}`);
      resets.push(`SET ${key} = DEFAULT`);
    }
  }
  const query = params.get('query');
  const sql = withoutKeeper(query ? `${query}\n${body}` : body);
  return { sets, resets, sql };
}

function chError(e) {
  const message = e instanceof Error ? e.message : String(e);
  return /^Code: \d+/.test(message) ? message : `Code: 1001. DB::Exception: ${message}. (STD_EXCEPTION)`;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/ping') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('Ok.\n');
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const { sets, resets, sql } = statementOf(url, Buffer.concat(chunks).toString('utf8'));
    onSession(async (session) => {
      if (sets.length > 0) await session.queryAsync(sets.join('; '));
      try {
        const result = await session.queryAsync(sql);
        return Buffer.from(result.bytes());
      } finally {
        if (resets.length > 0) await session.queryAsync(resets.join('; ')).catch(() => undefined);
      }
    }).then(
      (bytes) => {
        res.writeHead(200, {
          'content-type': 'text/plain; charset=UTF-8',
          'x-clickhouse-summary': JSON.stringify({ read_rows: '0', read_bytes: '0', written_rows: '0' }),
          'x-clickhouse-query-id': url.searchParams.get('query_id') ?? '',
        });
        res.end(bytes);
      },
      (e) => {
        const text = chError(e);
        res.writeHead(500, {
          'content-type': 'text/plain; charset=UTF-8',
          'x-clickhouse-exception-code': /^Code: (\d+)/.exec(text)?.[1] ?? '1001',
        });
        res.end(text);
      },
    );
  });
});

server.listen(Number(portArg ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    Promise.all(sessions.map((s) => s.queue)).then(() => {
      for (const s of sessions) s.session.close();
      process.exit(0);
    });
  });
}
