import { Inject, Injectable } from '@nestjs/common';
import { TYPE_LABELS, type EstablishmentType } from '@ent-observatory/directory';
import type { IndicatorFilter } from '@ent-observatory/indicators';
import type { Store } from '@ent-observatory/store';
import { notFound } from '../common/graphql-errors.js';
import { STORE } from '../common/tokens.js';
import { TerritoryLevelEnum } from './dto/observatory-filter.input.js';
import type { ObservatoryEstablishment, Territory } from './models/cells.model.js';
import { REP_ENUM, SECTOR_ENUM } from './observatory-filter.js';

/** The level below each one, for the territory view's map and table. */
export const CHILD_LEVEL: Record<TerritoryLevelEnum, TerritoryLevelEnum> = {
  NATIONAL: TerritoryLevelEnum.REGION,
  REGION: TerritoryLevelEnum.ACADEMIE,
  ACADEMIE: TerritoryLevelEnum.DEPARTEMENT,
  DEPARTEMENT: TerritoryLevelEnum.ETABLISSEMENT,
  ETABLISSEMENT: TerritoryLevelEnum.ETABLISSEMENT,
};

/** Territory names and establishments from the directory (PostgreSQL): labels around the figures. */
@Injectable()
export class ObservatoryPlaces {
  constructor(@Inject(STORE) private readonly store: Store) {}

  /** The territory a filter covers: its most precise territory field, else the caller's scope. */
  async territoryOf(f: IndicatorFilter): Promise<Territory> {
    if (f.uai) return { level: TerritoryLevelEnum.ETABLISSEMENT, code: f.uai, name: await this.name('uai', f.uai) };
    if (f.departement) {
      return {
        level: TerritoryLevelEnum.DEPARTEMENT,
        code: f.departement,
        name: await this.name('departement', f.departement),
      };
    }
    if (f.academie) {
      return { level: TerritoryLevelEnum.ACADEMIE, code: f.academie, name: await this.name('academie', f.academie) };
    }
    if (f.region)
      return { level: TerritoryLevelEnum.REGION, code: f.region, name: await this.name('region', f.region) };
    const scope = f.scope;
    if (scope?.academies.length === 1 && scope.uais.length === 0) {
      const code = scope.academies[0] as string;
      return { level: TerritoryLevelEnum.ACADEMIE, code, name: await this.name('academie', code) };
    }
    if (scope?.uais.length === 1 && scope.academies.length === 0) {
      const code = scope.uais[0] as string;
      return { level: TerritoryLevelEnum.ETABLISSEMENT, code, name: await this.name('uai', code) };
    }
    return { level: TerritoryLevelEnum.NATIONAL, code: '', name: scope ? 'Votre périmètre' : 'France' };
  }

  /** Names of the territories of a level, by code. */
  async names(level: TerritoryLevelEnum): Promise<Map<string, string>> {
    const table = { REGION: 'regions', ACADEMIE: 'academies', DEPARTEMENT: 'departements' } as const;
    if (level === TerritoryLevelEnum.NATIONAL || level === TerritoryLevelEnum.ETABLISSEMENT) return new Map();
    const rows = await this.store.query<{ code: string; name: string }>(`SELECT code, name FROM ${table[level]}`);
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  async establishment(uai: string): Promise<ObservatoryEstablishment> {
    const rows = await this.store.query<{
      uai: string;
      name: string;
      type: string;
      sector: string;
      rep: string;
      commune: string;
      departement: string;
      academie: string;
      region: string;
      platform: string | null;
    }>(
      `SELECT e.uai, e.name, e.type, e.sector, e.rep, e.commune_name AS commune, e.departement_code AS departement,
         e.academie_code AS academie, e.region_code AS region,
         (SELECT p.platform_id FROM establishment_platforms p WHERE p.uai = e.uai) AS platform
       FROM establishments e WHERE e.uai = $1`,
      [uai],
    );
    const e = rows[0];
    if (!e) throw notFound(`no establishment ${uai} in the directory`);
    return {
      ...e,
      typeLabel: TYPE_LABELS[e.type as EstablishmentType] ?? e.type,
      sector: SECTOR_ENUM[e.sector] ?? null,
      rep: REP_ENUM[e.rep] ?? REP_ENUM.none!,
      platform: e.platform ?? '',
    };
  }

  /** Holiday zone of every académie (A, B, C; '' overseas). */
  async academyZones(): Promise<{ code: string; zone: string }[]> {
    return this.store.query<{ code: string; zone: string }>('SELECT code, holiday_zone AS zone FROM academies');
  }

  /** The sector collège of each primary school (the first when a sector is shared). */
  async sectorColleges(): Promise<{ schools: string[]; colleges: string[] }> {
    const rows = await this.store.query<{ school: string; college: string }>(
      `SELECT DISTINCT ON (school_uai) school_uai AS school, college_uai AS college
       FROM sector_colleges ORDER BY school_uai, college_uai`,
    );
    return { schools: rows.map((r) => r.school), colleges: rows.map((r) => r.college) };
  }

  async establishmentsFacts(
    uais: string[],
  ): Promise<{ uai: string; departement: string; sector: string; rep: string }[]> {
    return this.store.query(
      'SELECT uai, departement_code AS departement, sector, rep FROM establishments WHERE uai = ANY($1::text[])',
      [uais],
    );
  }

  async establishmentNames(uais: string[]): Promise<Map<string, string>> {
    if (uais.length === 0) return new Map();
    const rows = await this.store.query<{ uai: string; name: string }>(
      'SELECT uai, name FROM establishments WHERE uai = ANY($1::text[])',
      [uais],
    );
    return new Map(rows.map((r) => [r.uai, r.name]));
  }

  private async name(kind: 'uai' | 'departement' | 'academie' | 'region', code: string): Promise<string> {
    const sql = {
      uai: 'SELECT name FROM establishments WHERE uai = $1',
      departement: 'SELECT name FROM departements WHERE code = $1',
      academie: 'SELECT name FROM academies WHERE code = $1',
      region: 'SELECT name FROM regions WHERE code = $1',
    }[kind];
    const rows = await this.store.query<{ name: string }>(sql, [code]);
    return rows[0]?.name ?? code;
  }
}
