import { describe, expect, it } from '@jest/globals';
import { parseFilters } from './filters';
import { ancestorsOf, chosenPlace, placeInScope, scopeOf, withPlace } from './scope';

describe('territories of the filters', () => {
  it('climbs from a département to its académie, région and France for the breadcrumb', () => {
    expect(ancestorsOf('DEPARTEMENT', '035').map((p) => p.name)).toEqual(['France', 'Bretagne', 'Académie de Rennes']);
    expect(ancestorsOf('ACADEMIE', '24').map((p) => p.name)).toEqual(['France', 'Ile-de-France']);
    expect(ancestorsOf('REGION', '53').map((p) => p.name)).toEqual(['France']);
  });

  it('keeps one territory at a time: choosing one clears the others', () => {
    const f = parseFilters(new URLSearchParams('academie=14&profil=ELEVE'), '2026-11-30');
    const next = withPlace(f, { level: 'DEPARTEMENT', code: '035', name: 'Ille-et-Vilaine' });
    expect(next).toMatchObject({ academie: undefined, departement: '035', profile: ['ELEVE'] });
    expect(chosenPlace(next)).toEqual({ level: 'DEPARTEMENT', code: '035', name: 'Ille-et-Vilaine' });
    expect(chosenPlace(withPlace(next, undefined))).toBeUndefined();
  });

  it('offers an academy user only the territories of their académie', () => {
    const rennes = { kind: 'academie' as const, code: '14' };
    expect(placeInScope(rennes, 'DEPARTEMENT', '035')).toBe(true);
    expect(placeInScope(rennes, 'DEPARTEMENT', '094')).toBe(false);
    expect(placeInScope(rennes, 'ACADEMIE', '24')).toBe(false);
    expect(placeInScope({ kind: 'uai', code: '0352167R' }, 'ETABLISSEMENT', '0352167R')).toBe(true);
    expect(placeInScope({ kind: 'uai', code: '0352167R' }, 'DEPARTEMENT', '035')).toBe(false);
  });
});

describe('the scope of a signed-in user', () => {
  it('is national for the ministry, one académie for an academy user, one UAI for a head of school', () => {
    expect(scopeOf({ roles: [{ role: 'national', scope: '' }] })).toEqual({ kind: 'national' });
    expect(scopeOf({ roles: [{ role: 'academy', scope: '14' }] })).toEqual({ kind: 'academie', code: '14' });
    expect(scopeOf({ roles: [{ role: 'establishment', scope: '0352167R' }] })).toEqual({
      kind: 'uai',
      code: '0352167R',
    });
  });
});
