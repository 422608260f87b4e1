import { SOCLE_COMPONENTS } from '@ent-observatory/xapi';
import type { ClassFollowUp } from './model.js';

/** The LSU import format's namespace and the schema version this export follows. */
export const LSU_NAMESPACE = 'urn:fr:edu:scolarite:lsun:bilans:import';
export const LSU_SCHEMA_VERSION = '10.0';

/** Cycle of a class level's end-of-cycle assessment (bilan de fin de cycle): 2 (CE2), 3 (6e), 4 (3e). */
const CYCLE_OF: Record<string, number> = { CP: 2, CE1: 2, CE2: 2, CM1: 3, CM2: 3, '6e': 3, '5e': 4, '4e': 4, '3e': 4 };

export interface LsuExport {
  xml: string;
  /** Pupils in the file. */
  exported: number;
  /** Pupils left out: the LSU needs the 8 components positioned (0 = dispensé); these lack some. */
  skipped: { pupilId: string; displayName: string; missing: string[] }[];
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/**
 * The socle positionings of a class as an LSU import file (`lsun-bilans`, `bilans-cycle`): one `bilan-cycle` per
 * pupil positioned on all 8 components (`domaine code="CPD_FRA" positionnement="0..4"`), with their latest level
 * of the period. `id-be` is the roster's member id (the INE when the roster carries it); the synthesis is left for
 * the teaching team to write in the LSU.
 */
export function lsuBilansCycle(page: ClassFollowUp, options: { createdOn: string; headName: string }): LsuExport {
  const cls = page.class;
  const cycle = CYCLE_OF[cls.level] ?? 3;
  const division = cls.name.replace(/\s+/g, '').slice(0, 8);
  const millesime = cls.schoolYear.slice(0, 4);
  const skipped: LsuExport['skipped'] = [];
  const pupils: string[] = [];
  const bilans: string[] = [];
  page.pupils.forEach((p, i) => {
    const levels = new Map(p.socle.map((s) => [s.component, s.level]));
    const missing = SOCLE_COMPONENTS.filter((c) => !levels.has(c));
    if (missing.length > 0) {
      skipped.push({ pupilId: p.pupilId, displayName: p.displayName, missing });
      return;
    }
    const ref = `EL_${i + 1}`;
    pupils.push(`      <eleve id="${ref}" id-be="${esc(p.pupilId)}" code-division="${esc(division)}"/>`);
    bilans.push(
      [
        `      <bilan-cycle eleve-ref="${ref}" cycle="${cycle}" millesime="${millesime}" date-creation="${options.createdOn}" responsable-etab-ref="RESP_1">`,
        '        <socle>',
        ...SOCLE_COMPONENTS.map((c) => `          <domaine code="${c}" positionnement="${levels.get(c)}"/>`),
        '        </socle>',
        '        <synthese>Positionnements relevés sur l’ENT ; synthèse à rédiger par l’équipe pédagogique.</synthese>',
        '      </bilan-cycle>',
      ].join('\n'),
    );
  });
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<lsun-bilans xmlns="${LSU_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" schemaVersion="${LSU_SCHEMA_VERSION}">`,
    '  <entete>',
    '    <editeur>Observatoire des ENT</editeur>',
    '    <application>Suivi des élèves</application>',
    `    <etablissement>${esc(cls.uai)}</etablissement>`,
    '  </entete>',
    '  <donnees>',
    '    <responsables-etab>',
    `      <responsable-etab id="RESP_1" libelle="${esc(options.headName)}"/>`,
    '    </responsables-etab>',
    '    <eleves>',
    ...pupils,
    '    </eleves>',
    '    <bilans-cycle>',
    ...bilans,
    '    </bilans-cycle>',
    '  </donnees>',
    '</lsun-bilans>',
    '',
  ].join('\n');
  return { xml, exported: bilans.length, skipped };
}
