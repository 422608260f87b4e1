import { describe, expect, it } from '@jest/globals';
import { freshnessNote, retentionNote } from './format';

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

describe('retentionNote', () => {
  it('says nothing for a period within retention, or when data is kept forever', () => {
    expect(retentionNote({ retainedFrom: '2025-12-01', from: '2026-01-01' })).toBeNull();
    expect(retentionNote({ retainedFrom: null, from: '2020-01-01' })).toBeNull();
  });

  it('says from which day the figures count when the period begins before the horizon', () => {
    expect(retentionNote({ retainedFrom: '2025-12-01', from: '2025-09-01' })).toBe(
      'données expirées avant le lundi 1 décembre 2025 : les chiffres ne comptent que les jours suivants',
    );
  });
});
