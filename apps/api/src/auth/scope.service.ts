import { Inject, Injectable } from '@nestjs/common';
import type { DirectoryScope } from '@ent-observatory/directory';
import type { Store } from '@ent-observatory/store';
import { STORE } from '../common/tokens.js';
import type { Principal, Target } from './access.js';

/** Where an establishment, a département or a class sits in the territory tree. */
interface Place {
  region: string;
  academie: string;
  departement: string;
  uai?: string;
}

/**
 * What a list may contain for a principal: `all`, or only rows inside these académies / UAIs / classes (any of
 * them). Resolvers of lists apply it as a filter; targets named explicitly are checked by AccessGuard first.
 */
export type ScopeFilter =
  'all' | { academies: string[]; uais: string[]; classIds: string[]; courseIds: string[]; self: boolean };

/**
 * Decides whether a principal's roles cover a target (DESIGN.md, "The people who use it"): admin and national
 * see every territory; an academy user their académie; a head of school their establishment; a teacher their
 * classes (and the establishments of those classes); a trainer their courses; a learner only themself.
 * Class rosters are individual data: only the class's teachers, its head of school and admins see them.
 */
@Injectable()
export class ScopeService {
  constructor(@Inject(STORE) private readonly store: Store) {}

  async permits(principal: Principal, target: Target): Promise<boolean> {
    const checks: Promise<boolean>[] = [];
    if (target.region !== undefined)
      checks.push(Promise.resolve(this.coversTerritory(principal, { region: target.region })));
    if (target.academie !== undefined)
      checks.push(Promise.resolve(this.coversTerritory(principal, { academie: target.academie })));
    if (target.departement !== undefined) {
      checks.push(
        this.placeOfDepartement(target.departement).then((p) => (p ? this.coversPlace(principal, p) : false)),
      );
    }
    if (target.uai !== undefined) checks.push(this.coversUai(principal, target.uai));
    if (target.classId !== undefined) checks.push(this.coversClass(principal, target.classId));
    if (target.courseId !== undefined) {
      checks.push(Promise.resolve(has(principal, 'admin') || grantsOf(principal, 'trainer').includes(target.courseId)));
    }
    return (await Promise.all(checks)).every(Boolean);
  }

  /** The rows a principal's lists may show. */
  async filterOf(principal: Principal): Promise<ScopeFilter> {
    if (has(principal, 'admin') || has(principal, 'national')) return 'all';
    const classIds = grantsOf(principal, 'teacher');
    const classUais = classIds.length ? await this.uaisOfClasses(classIds) : [];
    return {
      academies: grantsOf(principal, 'academy'),
      uais: [...new Set([...grantsOf(principal, 'establishment'), ...classUais])],
      classIds,
      courseIds: grantsOf(principal, 'trainer'),
      self: has(principal, 'learner'),
    };
  }

  /**
   * The same filter in the directory's terms (its fields combine with AND): undefined for everything, an
   * académie when that is the whole scope, else the list of visible UAIs.
   */
  async directoryScopeOf(principal: Principal): Promise<DirectoryScope | undefined> {
    const filter = await this.filterOf(principal);
    if (filter === 'all') return undefined;
    if (filter.academies.length === 1 && filter.uais.length === 0) return { academie: filter.academies[0]! };
    if (filter.academies.length === 0) return { uais: filter.uais };
    const rows = await this.store.query<{ uai: string }>(
      'SELECT uai FROM establishments WHERE academie_code = ANY($1::text[])',
      [filter.academies],
    );
    return { uais: [...new Set([...rows.map((r) => r.uai), ...filter.uais])] };
  }

  private coversTerritory(principal: Principal, t: { region?: string; academie?: string }): boolean {
    if (has(principal, 'admin') || has(principal, 'national')) return true;
    if (t.academie !== undefined) return grantsOf(principal, 'academy').includes(t.academie);
    return false; // a whole région: national scope only
  }

  private async coversUai(principal: Principal, uai: string): Promise<boolean> {
    if (has(principal, 'admin') || has(principal, 'national')) return true;
    if (grantsOf(principal, 'establishment').includes(uai)) return true;
    const place = await this.placeOfUai(uai);
    if (place && grantsOf(principal, 'academy').includes(place.academie)) return true;
    const classIds = grantsOf(principal, 'teacher');
    return classIds.length > 0 && (await this.uaisOfClasses(classIds)).includes(uai);
  }

  private coversPlace(principal: Principal, place: Place): boolean {
    if (has(principal, 'admin') || has(principal, 'national')) return true;
    return grantsOf(principal, 'academy').includes(place.academie);
  }

  private async coversClass(principal: Principal, classId: string): Promise<boolean> {
    if (has(principal, 'admin') || grantsOf(principal, 'teacher').includes(classId)) return true;
    const uais = await this.uaisOfClasses([classId]);
    return uais.some((uai) => grantsOf(principal, 'establishment').includes(uai));
  }

  private async placeOfUai(uai: string): Promise<Place | undefined> {
    const rows = await this.store.query<Place>(
      'SELECT region_code AS region, academie_code AS academie, departement_code AS departement, uai FROM establishments WHERE uai = $1',
      [uai],
    );
    return rows[0];
  }

  private async placeOfDepartement(code: string): Promise<Place | undefined> {
    const rows = await this.store.query<Place>(
      `SELECT a.region_code AS region, d.academie_code AS academie, d.code AS departement
       FROM departements d LEFT JOIN academies a ON a.code = d.academie_code WHERE d.code = $1`,
      [code],
    );
    return rows[0];
  }

  private async uaisOfClasses(classIds: string[]): Promise<string[]> {
    const rows = await this.store.query<{ uai: string }>('SELECT DISTINCT uai FROM school_classes WHERE id = ANY($1)', [
      classIds,
    ]);
    return rows.map((r) => r.uai);
  }
}

function has(principal: Principal, role: Principal['roles'][number]['role']): boolean {
  return principal.roles.some((g) => g.role === role);
}

function grantsOf(principal: Principal, role: Principal['roles'][number]['role']): string[] {
  return principal.roles.filter((g) => g.role === role).map((g) => g.scope);
}
