import { foldText } from './csv.js';
import type { EstablishmentStatus, EstablishmentType, Rep, Sector } from './model.js';

/** Lycée natures (code_nature) that are vocational: LP (320) and SEP, the vocational section of a lycée (334). */
const VOCATIONAL_NATURES = new Set(['320', '334']);
const MATERNELLE_NATURES = new Set(['101', '102', '103']);

export interface RawType {
  /** Type_etablissement: Ecole, Collège, Lycée, EREA, Médico-social, ... */
  type: string;
  /** code_nature: 101 école maternelle, 151 école élémentaire, 340 collège, 300 LGT, 320 LP, 370 EREA, ... */
  nature: string;
  /** Ecole_maternelle / Ecole_elementaire flags ('1'/'0'). */
  maternelle: string;
  elementaire: string;
}

/**
 * The rule: an école with both pre-school and elementary classes is primaire, with only one of them maternelle
 * or élémentaire (flags, else its nature); collège, EREA by type or nature; a lycée is LP when its nature is
 * vocational (LP, SEP), lycée (général/technologique/polyvalent) otherwise; everything else (services,
 * médico-social, CIO, STS/CPGE-only schools) is other.
 */
export function establishmentType(raw: RawType): EstablishmentType {
  const type = foldText(raw.type);
  const nature = raw.nature;
  if (type === 'ecole' || /^1\d\d$/.test(nature)) {
    const maternelle = raw.maternelle === '1';
    const elementaire = raw.elementaire === '1';
    if (maternelle && elementaire) return 'ecole_primaire';
    if (maternelle) return 'ecole_maternelle';
    if (elementaire) return 'ecole_elementaire';
    return MATERNELLE_NATURES.has(nature) ? 'ecole_maternelle' : 'ecole_elementaire';
  }
  if (type === 'college' || nature === '340' || nature === '350' || nature === '352') return 'college';
  if (type === 'erea' || nature === '370') return 'erea';
  if (type === 'lycee' || /^3[0-3]\d$/.test(nature)) return VOCATIONAL_NATURES.has(nature) ? 'lp' : 'lycee';
  return 'other';
}

export function sectorOf(value: string): Sector | undefined {
  const v = foldText(value);
  if (v === 'public') return 'public';
  if (v === 'prive') return 'private';
  if (v === '') return 'unknown';
  return undefined;
}

export function repOf(value: string): Rep | undefined {
  const v = value.toUpperCase().replace(/\s+/g, '');
  if (v === 'REP+') return 'REP+';
  if (v === 'REP') return 'REP';
  if (v === '' || v === 'HORSEP' || v === 'SANSOBJET') return 'none';
  return undefined;
}

export function statusOf(value: string): EstablishmentStatus | undefined {
  const v = foldText(value);
  if (v === '' || v === 'ouvert') return 'open';
  if (v === 'a fermer') return 'closing';
  if (v === 'ferme') return 'closed';
  return undefined;
}
