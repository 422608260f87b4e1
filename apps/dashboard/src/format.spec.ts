import { describe, expect, it } from '@jest/globals';
import { freshnessNote } from './format';

describe('what a view says of the freshness of its figures', () => {
  it('says nothing when they count every statement up to a minute before they were computed', () => {
    expect(freshnessNote({ asOf: '2026-12-06T09:59:30.000Z', generatedAt: '2026-12-06T10:00:00.000Z' })).toBeNull();
  });

  it('gives the Paris time they stop at while a recomputation is behind', () => {
    expect(freshnessNote({ asOf: '2026-12-06T09:40:00.000Z', generatedAt: '2026-12-06T10:00:00.000Z' })).toBe(
      'chiffres arrêtés au 6 décembre à 10:40, les derniers relevés sont en cours de calcul',
    );
  });

  it('says the first computation is running when some statements were never counted', () => {
    expect(freshnessNote({ asOf: null, generatedAt: '2026-12-06T10:00:00.000Z' })).toMatch(/^premier calcul/);
  });
});
