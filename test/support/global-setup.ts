import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Each run starts from empty embedded stores (same root as paths.ts; jest loads this file outside its resolver). */
export default function globalSetup(): void {
  rmSync(join(tmpdir(), 'ent-observatory-tests'), { recursive: true, force: true });
}
