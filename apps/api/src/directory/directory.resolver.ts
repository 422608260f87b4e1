import { Inject } from '@nestjs/common';
import { Int, Query, Resolver } from '@nestjs/graphql';
import {
  type TerritoryCounts,
  classMembers,
  establishment,
  searchEstablishments,
  territoryTree,
} from '@ent-observatory/directory';
import type { Store } from '@ent-observatory/store';
import { Allow, type Principal } from '../auth/access.js';
import { CurrentPrincipal } from '../auth/access.guard.js';
import { ScopeService } from '../auth/scope.service.js';
import { Arg, Formats } from '../common/input/index.js';
import { Cost } from '../graphql-limits/cost.js';
import { STORE } from '../common/tokens.js';
import {
  ClassMemberModel,
  EstablishmentDetailModel,
  EstablishmentPage,
  EstablishmentSearchInput,
  RegionModel,
  type TypeCount,
} from './models.js';

/** Everyone who looks at territories and establishments; learners and trainers have no territory. */
const TERRITORY_ROLES = ['admin', 'national', 'academy', 'establishment', 'teacher'] as const;
const MAX_PAGE = 200;
/** Beyond the whole French directory (≈ 65,000): deeper pages are a scan, not a use. */
const MAX_OFFSET = 100_000;

/**
 * The school directory. Explicit targets (a UAI, an académie or département filter) are checked by AccessGuard
 * before anything is read; lists are then restricted to the caller's scope by the directory's own SQL.
 */
@Resolver()
export class DirectoryResolver {
  constructor(
    @Inject(STORE) private readonly store: Store,
    @Inject(ScopeService) private readonly scopes: ScopeService,
  ) {}

  @Query(() => [RegionModel], {
    description: 'Régions académiques → académies → départements of your scope, with establishments and pupils',
  })
  @Allow(TERRITORY_ROLES)
  @Cost(10)
  async territories(@CurrentPrincipal() principal: Principal): Promise<RegionModel[]> {
    const tree = await territoryTree(this.store, await this.scopes.directoryScopeOf(principal));
    return tree.map((r) => ({
      ...counts(r),
      academies: r.academies.map((a) => ({ ...counts(a), departements: a.departements.map(counts) })),
    }));
  }

  @Query(() => EstablishmentPage, { description: 'Establishments of your scope matching every given criterion' })
  @Allow(TERRITORY_ROLES, (args) => {
    const search = (args.search ?? {}) as EstablishmentSearchInput;
    return { academie: search.academie, departement: search.departement, uai: search.uai?.toUpperCase() };
  })
  @Cost((args) => 5 + Number(args.limit ?? 20) / 20)
  async establishments(
    @CurrentPrincipal() principal: Principal,
    @Arg('search', EstablishmentSearchInput, { type: () => EstablishmentSearchInput, nullable: true })
    search: EstablishmentSearchInput = {},
    @Arg('limit', Formats.int(1, MAX_PAGE), { type: () => Int, defaultValue: 20 }) limit: number,
    @Arg('offset', Formats.int(0, MAX_OFFSET), { type: () => Int, defaultValue: 0 }) offset: number,
  ): Promise<EstablishmentPage> {
    const scope = await this.scopes.directoryScopeOf(principal);
    return searchEstablishments(this.store, { ...search, limit, offset }, scope);
  }

  @Query(() => EstablishmentDetailModel, {
    nullable: true,
    description: 'One establishment: enrolments per level and year, sector collège or feeder schools, classes',
  })
  @Allow(TERRITORY_ROLES, (args) => ({ uai: String(args.uai).toUpperCase() }))
  @Cost(5)
  async establishment(
    @CurrentPrincipal() principal: Principal,
    @Arg('uai', Formats.uai) uai: string,
  ): Promise<EstablishmentDetailModel | null> {
    const detail = await establishment(this.store, uai);
    return detail ? { ...detail, classes: detail.classes.filter((c) => seesClass(principal, c)) } : null;
  }

  @Query(() => [ClassMemberModel], { description: 'Members of a class or group (pseudonymous ids)' })
  @Allow(['admin', 'establishment', 'teacher'], (args) => ({ classId: String(args.classId) }))
  @Cost(5)
  classMembers(@Arg('classId', Formats.classId) classId: string): Promise<ClassMemberModel[]> {
    return classMembers(this.store, classId);
  }
}

/**
 * Classes are about individual pupils: the head of school (and admins) see every class of their establishment, a
 * teacher only their own; territorial roles see none (their figures are aggregates, k-anonymised elsewhere).
 */
function seesClass(principal: Principal, c: { id: string; uai: string }): boolean {
  return principal.roles.some(
    (g) =>
      g.role === 'admin' ||
      (g.role === 'establishment' && g.scope === c.uai) ||
      (g.role === 'teacher' && g.scope === c.id),
  );
}

function counts<T extends TerritoryCounts & { code: string; name: string }>(node: T) {
  const byType: TypeCount[] = Object.entries(node.byType)
    .filter(([, n]) => n > 0)
    .map(([type, n]) => ({ type: type as TypeCount['type'], establishments: n }));
  return { code: node.code, name: node.name, establishments: node.establishments, pupils: node.pupils, byType };
}
