import type { World, WorldEstablishment } from './world.js';

/**
 * A small world for tests, shaped like the bundled directory: Ille-et-Vilaine (académie 14, zone B, Toutatice)
 * with schools feeding two sector collèges, a private collège and a lycée; Val-de-Marne (académie 24, zone C,
 * another ENT) with primary schools only.
 */
export function testWorld(): World {
  const e = (
    uai: string,
    type: string,
    academie: string,
    extra: Partial<WorldEstablishment> = {},
  ): WorldEstablishment => ({
    uai,
    type,
    sector: 'public',
    rep: 'none',
    academie,
    departement: academie === '14' ? '035' : '094',
    communeCode: academie === '14' ? '35238' : '94028',
    platform: academie === '14' ? 'toutatice' : 'ent-94',
    pupils: null,
    levels: {},
    ...extra,
  });
  const school = { CP: 50, CE1: 52, CE2: 55, CM1: 53, CM2: 56, PRE: 150 };
  return {
    establishments: [
      e('0350001A', 'ecole_primaire', '14', { levels: school }),
      e('0350002B', 'ecole_primaire', '14', { levels: school, rep: 'REP' }),
      e('0350003C', 'ecole_elementaire', '14', { levels: { CP: 40, CE1: 42, CE2: 45, CM1: 41, CM2: 44 } }),
      e('0350004D', 'ecole_maternelle', '14', { pupils: 120 }),
      e('0350005E', 'ecole_primaire', '14', { levels: school, sector: 'private' }),
      e('0350010K', 'college', '14', { levels: { '6e': 150, '5e': 152, '4e': 148, '3e': 151 } }),
      e('0350011L', 'college', '14', { levels: { '6e': 120, '5e': 118, '4e': 121, '3e': 117 }, rep: 'REP+' }),
      e('0350012M', 'college', '14', { pupils: 480, sector: 'private' }),
      e('0350020U', 'lycee', '14', { pupils: 1100 }),
      e('0940001A', 'ecole_elementaire', '24'),
      e('0940002B', 'ecole_elementaire', '24', { rep: 'REP' }),
      e('0940003C', 'ecole_maternelle', '24'),
      e('0940004D', 'ecole_primaire', '24', { rep: 'REP+' }),
    ],
    sectorColleges: {
      '0350001A': ['0350010K'],
      '0350002B': ['0350011L'],
      '0350003C': ['0350010K', '0350011L'],
    },
    platforms: [
      { id: 'toutatice', homepage: 'https://www.toutatice.fr' },
      { id: 'ent-94', homepage: 'https://ent-ecoles-94.example.fr' },
    ],
  };
}
