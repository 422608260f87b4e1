import { statementToRow } from './analytics.js';
import {
  type EnrichmentContext,
  type EstablishmentTerritory,
  createPseudonymKey,
  enrichRow,
  enrichStatement,
  normaliseDevice,
  normaliseProfile,
  pseudonymize,
} from './enrich.js';
import { DNMA_SERVICES, ENT_ACTIVITY_TYPES, ENT_CONTEXT_EXTENSIONS as X, serviceActivityType } from './ent-profile.js';
import { prepareStatement } from './prepare.js';
import type { StoredStatement } from './types.js';

const RENNES_REP_PLUS: EstablishmentTerritory = {
  academie: '14',
  departement: '035',
  region: '53',
  sector: 'public',
  rep: 'REP+',
};
const snapshot = new Map([['0350963G', RENNES_REP_PLUS]]);
const ctx = (key = 'une-cle-de-test-suffisamment-longue-0001'): EnrichmentContext => ({
  snapshot,
  key: createPseudonymKey(key),
});

function stored(overrides: Record<string, unknown> = {}, extensions: Record<string, unknown> = {}): StoredStatement {
  return prepareStatement(
    {
      actor: { account: { homePage: 'https://www.toutatice.fr', name: 'u-1' } },
      verb: { id: 'http://activitystrea.ms/schema/1.0/access' },
      object: { id: 'https://www.toutatice.fr/accueil', definition: { type: serviceActivityType('accueil') } },
      context: { platform: 'toutatice', extensions: { [X.uai]: '0350963G', ...extensions } },
      ...overrides,
    },
    { authority: { account: { homePage: 'https://lrs.test', name: 'k' } }, stored: new Date(), version: '1.0.3' },
  );
}

describe('territory from the UAI', () => {
  it('fills académie, département, région, sector and REP status of a known UAI, whatever its case and spaces', () => {
    const e = enrichStatement(stored({}, { [X.uai]: ' 0350963g ' }), ctx());
    expect(e).toMatchObject({ uai: '0350963G', uai_known: 1, ...RENNES_REP_PLUS });
  });

  it('keeps an unknown UAI, flags it and leaves the territory empty', () => {
    const e = enrichStatement(stored({}, { [X.uai]: '0999999z' }), ctx());
    expect(e).toMatchObject({ uai: '0999999Z', uai_known: 0, academie: '', departement: '', region: '', sector: '' });
  });

  it('leaves everything territorial empty without a UAI (or with one that is not text)', () => {
    expect(enrichStatement(stored({}, { [X.uai]: 350963 }), ctx())).toMatchObject({ uai: '', uai_known: 0, rep: '' });
  });
});

describe('profile spellings', () => {
  it.each([
    ['eleve', 'ELEVE'],
    ['Élève', 'ELEVE'],
    ['ELEVE', 'ELEVE'],
    ['student', 'ELEVE'],
    ['Learner', 'ELEVE'],
    ['pupil', 'ELEVE'],
    ['National_ELV', 'ELEVE'],
    ['parent', 'PARENT'],
    ['Responsable légal', 'PARENT'],
    ['guardian', 'PARENT'],
    ['National_TUT', 'PARENT'],
    ['enseignant', 'ENSEIGNANT'],
    ['teacher', 'ENSEIGNANT'],
    ['professeur', 'ENSEIGNANT'],
    ['National_ENS', 'ENSEIGNANT'],
    ['National_DOC', 'ENSEIGNANT'],
    ['admin_vie_scol_tech', 'PERSONNEL'],
    ['personnel', 'PERSONNEL'],
    ['staff', 'PERSONNEL'],
    ['National_DIR', 'PERSONNEL'],
    ['national-evs', 'PERSONNEL'],
    ['National_ETA', 'PERSONNEL'],
    ['National_ACA', 'PERSONNEL'],
    ['National_COL', 'PERSONNEL'],
    ['astronaute', 'AUTRE'],
    ['', 'AUTRE'],
  ])('"%s" is %s', (sent, profile) => {
    expect(normaliseProfile(sent)).toBe(profile);
    expect(enrichStatement(stored({}, { [X.profile]: sent }), ctx()).ent_profile).toBe(profile);
  });

  it('takes the first known profile of an array (SDET ENTPersonProfils) and AUTRE when none is given', () => {
    expect(normaliseProfile(['National_XYZ', 'National_ENS', 'National_ELV'])).toBe('ENSEIGNANT');
    expect(normaliseProfile(undefined)).toBe('AUTRE');
    expect(normaliseProfile(42)).toBe('AUTRE');
  });
});

describe('device spellings', () => {
  it.each([
    ['ordinateur', 'ordinateur'],
    ['Computer', 'ordinateur'],
    ['desktop', 'ordinateur'],
    ['laptop', 'ordinateur'],
    ['PC', 'ordinateur'],
    ['smartphone', 'smartphone'],
    ['mobile', 'smartphone'],
    ['phone', 'smartphone'],
    ['Téléphone', 'smartphone'],
    ['tablette', 'tablette'],
    ['Tablet', 'tablette'],
    ['autre', 'autre'],
    ['autresappareil', 'autre'],
    ['console de jeux', 'autre'],
  ])('"%s" is %s', (sent, device) => {
    expect(normaliseDevice(sent)).toBe(device);
    expect(enrichStatement(stored({}, { [X.device]: sent }), ctx()).device).toBe(device);
  });

  it('is empty when no device is reported', () => {
    expect(normaliseDevice(undefined)).toBe('');
    expect(normaliseDevice('  ')).toBe('');
    expect(enrichStatement(stored(), ctx()).device).toBe('');
  });
});

describe('service', () => {
  it.each(DNMA_SERVICES.map((s) => [s]))('the object type of service %s names it', (service) => {
    const s = stored({ object: { id: 'https://ent.test/s', definition: { type: serviceActivityType(service) } } });
    expect(enrichStatement(s, ctx()).ent_service).toBe(service);
  });

  it.each([
    ['https://ent-observatory.fr/xapi/activities/service/Cahier-Textes', 'cahier_textes'],
    ['https://ent-observatory.fr/xapi/activities/service/cahier-de-textes', 'cahier_textes'],
    ['https://ent-observatory.fr/xapi/activities/service/VIE_SCOLAIRE/', 'services_vie_scolaire'],
    ['https://ent-observatory.fr/xapi/activities/service/messagerie', 'courrier_electronique'],
    ['https://ent-observatory.fr/xapi/activities/service/ressource multimedia', 'ressource_multimedia'],
    ['https://ent-observatory.fr/xapi/activities/service/meteo', 'autre'],
    ['https://ent-observatory.fr/xapi/activities/homework', 'autre'],
    ['http://adlnet.gov/expapi/activities/course', 'autre'],
  ])('type %s is %s', (type, service) => {
    const s = stored({ object: { id: 'https://ent.test/s', definition: { type } } });
    expect(enrichStatement(s, ctx()).ent_service).toBe(service);
  });

  it("takes pupils' work's service from the parent activity, else the grouping one", () => {
    const homework = { id: 'https://ent.test/devoir/1', definition: { type: ENT_ACTIVITY_TYPES.homework } };
    const service = (name: (typeof DNMA_SERVICES)[number]) => ({
      id: `https://ent.test/${name}`,
      definition: { type: serviceActivityType(name) },
    });
    const viaParent = stored({
      object: homework,
      context: {
        contextActivities: { parent: [{ id: 'https://ent.test/x' }, service('cahier_textes')] },
        extensions: {},
      },
    });
    const viaGrouping = stored({
      object: homework,
      context: { contextActivities: { parent: { id: 'https://ent.test/x' }, grouping: service('notes') } },
    });
    expect(enrichStatement(viaParent, ctx()).ent_service).toBe('cahier_textes');
    expect(enrichStatement(viaGrouping, ctx()).ent_service).toBe('notes');
  });

  it('counts a statement naming no service as "autre"', () => {
    const s = stored({ object: { id: 'https://quiz.test/1' }, context: { platform: 'quiz' } });
    expect(enrichStatement(s, ctx())).toMatchObject({ ent_service: 'autre', ent_profile: 'AUTRE', uai: '' });
  });
});

describe('pseudonyms', () => {
  it('are 32 hex characters, stable for one key and different under another', () => {
    const a = enrichStatement(stored(), ctx()).actor_pseudonym;
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(enrichStatement(stored(), ctx()).actor_pseudonym).toBe(a);
    expect(enrichStatement(stored(), ctx('une-autre-cle-de-test-assez-longue-0002')).actor_pseudonym).not.toBe(a);
  });

  it('are the same whether they come from the cache or are computed afresh, and the cache stays bounded', () => {
    const cached = createPseudonymKey('une-cle-de-test-suffisamment-longue-0001', 2);
    const fresh = createPseudonymKey('une-cle-de-test-suffisamment-longue-0001', 0);
    for (const input of ['a', 'b', 'a', 'c', 'a', 'b']) {
      expect(pseudonymize(cached, input)).toBe(pseudonymize(fresh, input));
      expect(cached.cache.size).toBeLessThanOrEqual(2);
    }
  });

  it('differ between two accounts and never contain the account', () => {
    const other = stored({ actor: { account: { homePage: 'https://www.toutatice.fr', name: 'u-2' } } });
    const a = enrichStatement(stored(), ctx());
    expect(enrichStatement(other, ctx()).actor_pseudonym).not.toBe(a.actor_pseudonym);
    expect(JSON.stringify(a)).not.toContain('u-1');
  });

  it('follow the person extension: one person on two platforms has one pseudonym', () => {
    const person = { [X.person]: 'educonnect:4d1e7c2a' };
    const onToutatice = stored({}, person);
    const onAnother = stored(
      {
        actor: { account: { homePage: 'https://ent-ecoles-94.example.fr', name: 'eleve-7' } },
        context: { platform: 'ent-val-de-marne-illustratif', extensions: person },
      },
      {},
    );
    const a = enrichStatement(onToutatice, ctx()).actor_pseudonym;
    expect(enrichStatement(onAnother, ctx()).actor_pseudonym).toBe(a);
    expect(a).not.toBe(enrichStatement(stored(), ctx()).actor_pseudonym);
  });

  it("give a parent's child the pseudonym of the child's own statements", () => {
    const child = { homePage: 'https://www.toutatice.fr', name: 'u-child' };
    const own = enrichStatement(stored({ actor: { account: child } }), ctx()).actor_pseudonym;
    const parent = stored(
      { actor: { account: { homePage: 'https://www.toutatice.fr', name: 'u-parent' } } },
      { [X.profile]: 'parent', [X.child]: child },
    );
    const asAgent = stored({}, { [X.child]: { objectType: 'Agent', account: child } });
    const withPerson = stored({}, { [X.child]: { ...child, person: 'educonnect:9' } });
    expect(enrichStatement(parent, ctx()).child_pseudonym).toBe(own);
    expect(enrichStatement(asAgent, ctx()).child_pseudonym).toBe(own);
    expect(enrichStatement(withPerson, ctx()).child_pseudonym).toBe(
      pseudonymize(createPseudonymKey('une-cle-de-test-suffisamment-longue-0001'), 'person:educonnect:9'),
    );
    expect(enrichStatement(stored(), ctx()).child_pseudonym).toBe('');
  });
});

describe('extensions are free JSON', () => {
  const odd = [null, 0, 12.5, true, [], [null], {}, { account: null }, { account: 'x' }, { homePage: 3, name: [] }, ''];

  it.each(Object.entries(X))('any value of the %s extension is enriched without an error', (_name, iri) => {
    for (const value of odd) {
      const e = enrichStatement(stored({}, { [iri]: value }), ctx());
      expect(e.actor_pseudonym).toMatch(/^[0-9a-f]{32}$/);
      expect(e.ent_service).toBe('accueil');
    }
  });

  it('gives no child pseudonym for a child that names nobody', () => {
    for (const child of odd) expect(enrichStatement(stored({}, { [X.child]: child }), ctx()).child_pseudonym).toBe('');
  });
});

describe('enrichRow', () => {
  it('fills the enrichment columns of the row and leaves the rest (raw statement included) unchanged', () => {
    const s = stored({}, { [X.class]: ' 0350963G:2025-2026:5e A ', [X.level]: '5e' });
    const plain = statementToRow(s);
    const row = enrichRow(statementToRow(s), s, ctx());
    expect(row.raw).toBe(plain.raw);
    expect(row.actor_ifi).toBe(plain.actor_ifi);
    expect(plain).toMatchObject({ actor_pseudonym: '', ent_service: '', uai: '' });
    expect(row).toMatchObject({
      class_id: '0350963G:2025-2026:5e A',
      school_level: '5e',
      ent_service: 'accueil',
      uai_known: 1,
    });
  });
});
