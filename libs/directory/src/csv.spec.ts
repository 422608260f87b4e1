import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeHeader, readCsv, resolveColumns } from './csv.js';
import { parseLevel } from './datasets/roster.js';
import { schoolYear } from './datasets/dataset.js';
import { establishmentType } from './establishment-type.js';
import { parseAddress } from './sector.js';

const dir = mkdtempSync(join(tmpdir(), 'directory-csv-'));
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('reading open-data CSV files', () => {
  it('reads a UTF-8 file with BOM, CRLF line ends, semicolons and a quoted field spanning lines', async () => {
    const table = await readCsv(
      file('bom.csv', '\uFEFFuai;nom\r\n0350122T;"École ; les\r\nLucioles"\r\n\r\n0350165P;Cardroc\r\n'),
    );
    expect(table.header).toEqual(['uai', 'nom']);
    expect(table.encoding).toBe('utf-8');
    expect(table.records).toEqual([
      { line: 3, values: ['0350122T', 'École ; les\nLucioles'] },
      { line: 5, values: ['0350165P', 'Cardroc'] },
    ]);
  });

  it('detects a comma-separated file', async () => {
    const table = await readCsv(file('comma.csv', 'code,name\n035,Ille-et-Vilaine\n'));
    expect(table.delimiter).toBe(',');
    expect(table.records[0]?.values).toEqual(['035', 'Ille-et-Vilaine']);
  });

  it('decodes a file that is not valid UTF-8 as Latin-1 and says so', async () => {
    const table = await readCsv(file('latin1.csv', Buffer.from('uai;nom\n0350122T;Collège Émile\n', 'latin1')));
    expect(table.encoding).toBe('latin-1');
    expect(table.records[0]?.values).toEqual(['0350122T', 'Collège Émile']);
  });

  it('maps columns by name whatever their position or spelling, and names the missing ones', () => {
    expect(normalizeHeader("Nombre d'élèves en CP hors ULIS")).toBe('nombre_d_eleves_en_cp_hors_ulis');
    const columns = { postal: { names: ['Code_postal'], required: true }, uai: { names: ['uai'], required: true } };
    expect(resolveColumns(['x', 'Code postal', 'UAI'], columns)).toEqual({ missing: [], index: { postal: 1, uai: 2 } });
    expect(resolveColumns(['x'], columns)).toEqual({ missing: ['Code_postal', 'uai'] });
  });
});

describe('normalising directory values', () => {
  const ecole = { type: 'Ecole', nature: '151', maternelle: '0', elementaire: '0' };
  it.each([
    [{ ...ecole, maternelle: '1', elementaire: '1' }, 'ecole_primaire'],
    [{ ...ecole, elementaire: '1' }, 'ecole_elementaire'],
    [{ ...ecole, nature: '101', maternelle: '1' }, 'ecole_maternelle'],
    [{ ...ecole, nature: '103' }, 'ecole_maternelle'],
    [{ ...ecole, type: 'Collège', nature: '340' }, 'college'],
    [{ ...ecole, type: 'Lycée', nature: '306' }, 'lycee'],
    [{ ...ecole, type: 'Lycée', nature: '320' }, 'lp'],
    [{ ...ecole, type: 'Lycée', nature: '334' }, 'lp'],
    [{ ...ecole, type: 'EREA', nature: '370' }, 'erea'],
    [{ ...ecole, type: 'Médico-social', nature: '240' }, 'other'],
  ])('types %j as %s', (raw, expected) => {
    expect(establishmentType(raw)).toBe(expected);
  });

  it('reads school years written as a rentrée or as a pair', () => {
    expect(schoolYear('2022', 'y')).toBe('2022-2023');
    expect(schoolYear('2018-2019', 'y')).toBe('2018-2019');
    expect(() => schoolYear('2018-2020', 'Annee_scolaire')).toThrow('bad school year in Annee_scolaire');
  });

  it('accepts the usual spellings of a level and rejects unknown ones', () => {
    expect(parseLevel('6ème')).toBe('6e');
    expect(parseLevel('cm2')).toBe('CM2');
    expect(parseLevel('2nde')).toBe('2nde');
    expect(() => parseLevel('CM3')).toThrow('unknown level "CM3"');
  });

  it('reads the number and street of a school address', () => {
    expect(parseAddress('48 bis rue Ginguené')).toEqual({ number: 48, street: 'RUE GINGUENE' });
    expect(parseAddress("1 rue D'ERLANGEN")).toEqual({ number: 1, street: 'RUE D ERLANGEN' });
    expect(parseAddress('Le Bourg')).toBeUndefined();
  });
});
