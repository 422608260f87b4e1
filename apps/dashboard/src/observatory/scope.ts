import type { SessionUser } from '@ent-observatory/web';
import type { Filters } from './filters';
import { ACADEMIES, DEPARTEMENTS, REGIONS } from './territories';

export type Level = 'NATIONAL' | 'REGION' | 'ACADEMIE' | 'DEPARTEMENT' | 'ETABLISSEMENT';

export interface Place {
  level: Level;
  code: string;
  name: string;
}

/** What a user may look at: everything (ministry), one académie, or one establishment. */
export type Scope = { kind: 'national' } | { kind: 'academie'; code: string } | { kind: 'uai'; code: string };

export function scopeOf(user: Pick<SessionUser, 'roles'>): Scope {
  if (user.roles.some((g) => g.role === 'admin' || g.role === 'national')) return { kind: 'national' };
  const academie = user.roles.find((g) => g.role === 'academy')?.scope;
  if (academie) return { kind: 'academie', code: academie };
  const uai = user.roles.find((g) => g.role === 'establishment')?.scope;
  if (uai) return { kind: 'uai', code: uai };
  return { kind: 'national' };
}

/** "Académie de Rennes", "Académie d’Aix-Marseille": the API names an académie by its city alone. */
export const academieTitle = (name: string) =>
  /^[AEIOUÉÈ]/i.test(name) ? `Académie d’${name}` : `Académie de ${name}`;

/** How a territory is named in titles. */
export const placeTitle = (place: Place) => (place.level === 'ACADEMIE' ? academieTitle(place.name) : place.name);

export const regionName = (code: string) => REGIONS.find((r) => r.code === code)?.name ?? `Région ${code}`;
export const academieName = (code: string) => ACADEMIES.find((a) => a.code === code)?.name ?? code;
export const departementName = (code: string) => DEPARTEMENTS.find((d) => d.code === code)?.name ?? code;

/** The territory the filters name (the most precise one), or undefined for "my whole scope". */
export function chosenPlace(f: Filters): Place | undefined {
  if (f.uai) return { level: 'ETABLISSEMENT', code: f.uai, name: f.uai };
  if (f.departement) return { level: 'DEPARTEMENT', code: f.departement, name: departementName(f.departement) };
  if (f.academie) return { level: 'ACADEMIE', code: f.academie, name: academieTitle(academieName(f.academie)) };
  if (f.region) return { level: 'REGION', code: f.region, name: regionName(f.region) };
  return undefined;
}

/** The places above one (France → région → académie → département), for the breadcrumb and drilling up. */
export function ancestorsOf(level: Level, code: string): Place[] {
  const chain: Place[] = [{ level: 'NATIONAL', code: '', name: 'France' }];
  let academie: string | undefined;
  let region: string | undefined;
  if (level === 'DEPARTEMENT') academie = DEPARTEMENTS.find((d) => d.code === code)?.academie;
  if (level === 'ACADEMIE') academie = code;
  if (academie) region = ACADEMIES.find((a) => a.code === academie)?.region;
  if (level === 'REGION') region = code;
  if (region && level !== 'REGION') chain.push({ level: 'REGION', code: region, name: regionName(region) });
  if (academie && level !== 'ACADEMIE') {
    chain.push({ level: 'ACADEMIE', code: academie, name: academieTitle(academieName(academie)) });
  }
  return chain;
}

/** Filters set to one territory (the others cleared: the API wants at most one, and they must agree). */
export function withPlace(f: Filters, place: Place | undefined): Filters {
  const out: Filters = { ...f, region: undefined, academie: undefined, departement: undefined, uai: undefined };
  switch (place?.level) {
    case 'REGION':
      return { ...out, region: place.code };
    case 'ACADEMIE':
      return { ...out, academie: place.code };
    case 'DEPARTEMENT':
      return { ...out, departement: place.code };
    case 'ETABLISSEMENT':
      return { ...out, uai: place.code };
    default:
      return out;
  }
}

/** Whether a place is inside a scope (an academy user never sees the links to other académies). */
export function placeInScope(scope: Scope, level: Level, code: string): boolean {
  if (scope.kind === 'national') return true;
  if (scope.kind === 'uai') return level === 'ETABLISSEMENT' && code === scope.code;
  if (level === 'ACADEMIE') return code === scope.code;
  if (level === 'DEPARTEMENT') return DEPARTEMENTS.find((d) => d.code === code)?.academie === scope.code;
  return level === 'ETABLISSEMENT';
}
