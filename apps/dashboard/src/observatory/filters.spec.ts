import { describe, expect, it } from '@jest/globals';
import {
  type Filters,
  parisToday,
  parseFilters,
  periodPresets,
  presetPeriod,
  serialiseFilters,
  toObservatoryFilter,
} from './filters';

const TODAY = '2026-11-30';
const parse = (q: string) => parseFilters(new URLSearchParams(q), TODAY);

describe('filters kept in the URL', () => {
  it('defaults to the current school year, up to today', () => {
    const f = parse('');
    expect(f).toMatchObject({ period: '2026-2027', from: '2026-09-01', to: '2026-11-30', profile: [], dnma: false });
    expect(serialiseFilters(f, TODAY)).toBe('');
  });

  it('reads a past school year or one of its terms as whole periods', () => {
    expect(parse('periode=2025-2026')).toMatchObject({ from: '2025-09-01', to: '2026-08-31' });
    expect(parse('periode=2025-2026-T1')).toMatchObject({ from: '2025-09-01', to: '2025-12-31' });
    expect(parse('periode=2025-2026-T2')).toMatchObject({ from: '2026-01-01', to: '2026-03-31' });
    expect(parse('periode=2025-2026-T3')).toMatchObject({ from: '2026-04-01', to: '2026-08-31' });
  });

  it('offers the current and previous school years with their terms, in French', () => {
    const presets = periodPresets(TODAY);
    expect(presets.map((p) => p.key)).toEqual([
      '2026-2027',
      '2026-2027-T1',
      '2026-2027-T2',
      '2026-2027-T3',
      '2025-2026',
      '2025-2026-T1',
      '2025-2026-T2',
      '2025-2026-T3',
    ]);
    expect(presetPeriod('2025-2026')?.label).toBe('Année scolaire 2025-2026');
    expect(presetPeriod('2025-2026-T1')?.label).toBe('1er trimestre 2025-2026 (sept.–déc.)');
    expect(presetPeriod('2025-2026-T2')?.label).toBe('2e trimestre 2025-2026 (janv.–mars)');
  });

  it('takes two dates given by hand, and ignores them when they are wrong or reversed', () => {
    expect(parse('du=2026-01-05&au=2026-01-11')).toMatchObject({
      period: 'custom',
      from: '2026-01-05',
      to: '2026-01-11',
    });
    expect(parse('du=2026-01-11&au=2026-01-05').period).toBe('2026-2027');
    expect(parse('du=2026-13-45&au=2026-01-05').period).toBe('2026-2027');
    expect(parse('periode=2025-2027').period).toBe('2026-2027');
  });

  it('keeps only values the API knows, so an edited link still opens', () => {
    const f = parse('profil=eleve,PARENT,pirate&appareil=smartphone&rep=REP_PLUS,XX&secteur=private&uai=0352167r');
    expect(f.profile).toEqual(['ELEVE', 'PARENT']);
    expect(f.device).toEqual(['SMARTPHONE']);
    expect(f.rep).toEqual(['REP_PLUS']);
    expect(f.sector).toBe('PRIVATE');
    expect(f.uai).toBe('0352167R');
    expect(parse('academie=Rennes&departement=35').academie).toBeUndefined();
    expect(parse('departement=35').departement).toBeUndefined();
    expect(parse('departement=02A').departement).toBe('02A');
  });

  it('writes filters back into a query string that reads the same', () => {
    const f: Filters = {
      ...parse(''),
      period: '2025-2026-T2',
      from: '2026-01-01',
      to: '2026-03-31',
      academie: '14',
      profile: ['ELEVE', 'ENSEIGNANT'],
      service: ['cahier_textes'],
      device: ['TABLETTE'],
      sector: 'PUBLIC',
      rep: ['REP', 'REP_PLUS'],
      dnma: true,
    };
    const q = serialiseFilters(f, TODAY);
    expect(q).toBe(
      'periode=2025-2026-T2&academie=14&profil=ELEVE%2CENSEIGNANT&service=cahier_textes&appareil=TABLETTE&secteur=PUBLIC&rep=REP%2CREP_PLUS&source=dnma',
    );
    // lists come back in the API's order, whatever the order in the link
    expect(parse(q)).toEqual({ ...f, rep: ['REP_PLUS', 'REP'] });
  });

  it('sends the API only what is set', () => {
    expect(toObservatoryFilter(parse(''))).toEqual({ from: '2026-09-01', to: '2026-11-30' });
    expect(toObservatoryFilter(parse('departement=035&profil=PARENT&source=dnma'))).toEqual({
      from: '2026-09-01',
      to: '2026-11-30',
      departement: '035',
      profile: ['PARENT'],
      source: 'DNMA',
    });
  });

  it('knows today in Paris, not in UTC', () => {
    expect(parisToday(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(parse('').period).toBe('2026-2027');
    expect(parseFilters(new URLSearchParams(''), '2027-01-01').to).toBe('2027-01-01');
  });
});
