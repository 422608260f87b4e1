// What the ingest benchmarks share: the bench LRS credential, and POST loads of the ingest statements (autocannon).
import autocannon from 'autocannon';
import { statement } from './support.mjs';

export const LRS_CREDENTIAL = 'bench:bench-secret';

export const LRS_HEADERS = {
  authorization: `Basic ${Buffer.from(LRS_CREDENTIAL).toString('base64')}`,
  'x-experience-api-version': '1.0.3',
  'content-type': 'application/json',
};

/** Bodies rotated by the load tool: no ids, so every POST stores new statements. */
function bodies(perRequest, count) {
  return Array.from({ length: count }, (_, b) =>
    JSON.stringify(
      perRequest === 1 ? statement(b) : Array.from({ length: perRequest }, (_, i) => statement(b * perRequest + i)),
    ),
  );
}

/** POSTs to `url`'s /xapi/statements from `connections` clients for `duration` seconds (or `amount` requests). */
export function postLoad(url, { connections, perRequest, duration, amount }) {
  const pool = bodies(perRequest, 64);
  let next = 0;
  return autocannon({
    url: `${url}/xapi/statements`,
    connections,
    ...(amount ? { amount } : { duration }),
    requests: [
      { method: 'POST', headers: LRS_HEADERS, setupRequest: (req) => ({ ...req, body: pool[next++ % pool.length] }) },
    ],
  });
}
