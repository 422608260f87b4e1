import { XmlDocument, type XmlElement } from 'libxml2-wasm';
import { SOCLE_COMPONENTS } from '@ent-observatory/xapi';
import { LSU_NAMESPACE, lsuBilansCycle } from './lsu.js';
import type { ClassFollowUp, PupilSummary } from './model.js';

const pupil = (id: string, name: string, levels: number[]): PupilSummary => ({
  pupilId: id,
  displayName: name,
  lastActivityAt: null,
  visits: 0,
  visitsPerWeek: [],
  homework: { assigned: 0, done: 0, late: 0, missing: 0, pending: 0 },
  scores: [],
  socle: levels.map((level, i) => ({
    component: SOCLE_COMPONENTS[i]!,
    level,
    at: '2026-11-26T15:00:00.000Z',
    cycle: 3,
  })),
  alerts: [],
});

const page: ClassFollowUp = {
  class: {
    id: '0352167R:2026-2027:6e A',
    uai: '0352167R',
    name: '6e A',
    level: '6e',
    schoolYear: '2026-2027',
    kind: 'class',
    academie: '14',
    establishmentName: 'Collège Jacques Brel',
  },
  from: '2026-09-01',
  to: '2026-11-27',
  pupils: [
    pupil('el-1', 'Léa Martin', [4, 0, 3, 3, 2, 4, 3, 1]),
    pupil('el-2', 'Hugo Bernard', [2, 2, 2]),
    pupil('el-3', 'Chloé <Petit> & co', [1, 2, 3, 4, 1, 2, 3, 4]),
  ],
  workload: [],
};

const NS = { l: LSU_NAMESPACE };

describe('the class socle export in the LSU import format', () => {
  const out = lsuBilansCycle(page, { createdOn: '2026-11-30', headName: 'Chef d’établissement' });
  const doc = XmlDocument.fromString(out.xml);
  afterAll(() => doc.dispose());
  const all = (xpath: string) => doc.find(xpath, NS) as XmlElement[];
  const attr = (el: XmlElement, name: string) => el.attr(name)?.value;

  it('is lsun-bilans in the LSU namespace, schema version 10.0, with the establishment in the header', () => {
    expect(doc.root.name).toBe('lsun-bilans');
    expect(doc.root.namespaceUri).toBe(LSU_NAMESPACE);
    expect(attr(doc.root, 'schemaVersion')).toBe('10.0');
    expect(all('/l:lsun-bilans/l:entete/*').map((e) => e.name)).toEqual(['editeur', 'application', 'etablissement']);
    expect(all('/l:lsun-bilans/l:entete/l:etablissement')[0]?.content).toBe('0352167R');
  });

  it('has one bilan-cycle per fully positioned pupil with every required attribute, referring to its eleve', () => {
    const eleves = all('/l:lsun-bilans/l:donnees/l:eleves/l:eleve');
    expect(eleves.map((e) => [attr(e, 'id-be'), attr(e, 'code-division')])).toEqual([
      ['el-1', '6eA'],
      ['el-3', '6eA'],
    ]);
    const bilans = all('/l:lsun-bilans/l:donnees/l:bilans-cycle/l:bilan-cycle');
    expect(bilans).toHaveLength(2);
    const resp = attr(all('/l:lsun-bilans/l:donnees/l:responsables-etab/l:responsable-etab')[0]!, 'id');
    bilans.forEach((b, i) => {
      expect({
        eleve: attr(b, 'eleve-ref'),
        cycle: attr(b, 'cycle'),
        millesime: attr(b, 'millesime'),
        created: attr(b, 'date-creation'),
        resp: attr(b, 'responsable-etab-ref'),
      }).toEqual({ eleve: attr(eleves[i]!, 'id'), cycle: '3', millesime: '2026', created: '2026-11-30', resp });
      expect((b.get('l:synthese', NS) as XmlElement).content.trim().length).toBeGreaterThan(0);
    });
  });

  it('gives exactly the 8 CodeDomaineSocle codes, each positioned 0–4', () => {
    const domaines = all('//l:bilan-cycle[1]/l:socle/l:domaine');
    expect(domaines.map((d) => attr(d, 'code'))).toEqual([...SOCLE_COMPONENTS]);
    expect(domaines.map((d) => attr(d, 'positionnement'))).toEqual(['4', '0', '3', '3', '2', '4', '3', '1']);
    for (const d of all('//l:domaine')) expect(attr(d, 'positionnement')).toMatch(/^[0-4]$/);
  });

  it('reports the pupils it leaves out and the components they lack', () => {
    expect(out.exported).toBe(2);
    expect(out.skipped).toEqual([
      {
        pupilId: 'el-2',
        displayName: 'Hugo Bernard',
        missing: ['CPD_ART', 'MET_APP', 'FRM_CIT', 'SYS_NAT', 'REP_MND'],
      },
    ]);
  });
});
