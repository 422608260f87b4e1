import { rmSync } from 'node:fs';
import { join } from 'node:path';

/** Each run starts from empty embedded stores (same root as paths.ts; jest loads this file outside its resolver). */
export default function globalSetup(): void {
  // Storage is UTC; tests must not depend on the machine's zone (display zones are set explicitly).
  process.env.TZ = 'UTC';
  rmSync(join(process.cwd(), 'tmp', 'ent-observatory-tests'), { recursive: true, force: true });
}
