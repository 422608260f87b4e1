import { randomBytes } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Args, Field, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { type Agent, validateAgent } from '@ent-observatory/xapi';
import { type LrsCredentialRow, SCOPED_ROLES, type RoleGrant } from '@ent-observatory/store';
import { ErasureService } from '@ent-observatory/lrs';
import { Allow, type Principal } from '../auth/access.js';
import { CurrentPrincipal } from '../auth/access.guard.js';
import { badInput, notFound } from '../common/graphql-errors.js';
import { Arg, type Format, Formats, listOf } from '../common/input/index.js';
import { Cost } from '../graphql-limits/cost.js';
import { passwordProblem } from '../auth/password-policy.js';
import { CreatedLrsCredential, LrsCredentialModel, NewUserInput, RoleGrantInput, UserModel } from '../auth/models.js';
import { SessionService } from '../auth/session.service.js';
import { CredentialsService, LRS_SCOPES, authorityFor } from '../lrs/credentials.service.js';

const ADMIN = ['admin'] as const;
const MAX_ROLES = 20;
/** What the scope of each scoped role must look like; a malformed scope would grant nothing, silently. */
const SCOPE_FORMATS: Partial<Record<RoleGrant['role'], Format>> = {
  academy: Formats.academie,
  establishment: Formats.uai,
  teacher: Formats.classId,
  trainer: Formats.courseId,
};

/**
 * The administration page shows these errors next to its forms, as they are: in French. The scope each role expects,
 * in the administrator's words (the same rules as SCOPE_FORMATS).
 */
const ROLE_NAMES: Record<RoleGrant['role'], string> = {
  admin: 'administration',
  national: 'national',
  academy: 'académie',
  establishment: 'établissement',
  teacher: 'enseignant',
  trainer: 'formateur',
  learner: 'apprenant',
  parent: 'parent',
  pupil: 'élève',
};
const SCOPE_EXPECTED: Partial<Record<RoleGrant['role'], string>> = {
  academy: 'le code de l’académie en 2 chiffres (Rennes : 14, Créteil : 24)',
  establishment: 'un UAI de 7 chiffres et une lettre, par exemple 0352167R',
  teacher: 'l’identifiant d’une classe, UAI:année:nom, par exemple 0350122T:2025-2026:CM1-CM2 A',
  trainer: 'l’identifiant d’un parcours, en minuscules et tirets, par exemple decouverte-ent',
  parent: 'l’identifiant de l’enfant dans la liste de classe importée',
  pupil: 'l’identifiant de l’élève dans la liste de classe importée',
};

/** Accounts, roles and LRS credentials: admins only. */
@Resolver()
export class AdminResolver {
  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
    @Inject(ErasureService) private readonly erasure: ErasureService,
  ) {}

  @Query(() => [UserModel], { description: 'Every account, by email' })
  @Allow(ADMIN)
  users(): Promise<UserModel[]> {
    return this.sessions.users.list();
  }

  @Mutation(() => UserModel)
  @Allow(ADMIN)
  async createUser(@Arg('input', NewUserInput) input: NewUserInput): Promise<UserModel> {
    const weak = await passwordProblem(input.password, input);
    if (weak) throw badInput(`input.password: ${weak}`);
    if (await this.sessions.users.findByEmail(input.email))
      throw badInput(`L’adresse ${input.email} a déjà un compte.`);
    return this.sessions.users.create({ ...input, roles: checkedRoles(input.roles) });
  }

  @Mutation(() => UserModel, {
    description:
      'Sets a new password (the password policy applies, as at creation) and ends the user’s sessions: for a user who lost theirs',
  })
  @Allow(ADMIN)
  async resetUserPassword(
    @Arg('id', Formats.uuid) id: string,
    @Arg('password', Formats.password) password: string,
  ): Promise<UserModel> {
    const user = await this.sessions.users.findById(id);
    if (!user) throw notFound(`no user with id ${id}`);
    const weak = await passwordProblem(password, user);
    if (weak) throw badInput(`password: ${weak}`);
    await this.sessions.users.setPassword(id, password);
    await this.sessions.closeAllOf(id);
    return user;
  }

  @Mutation(() => UserModel, { description: 'Disabling ends the user’s sessions at once; not for one’s own account' })
  @Allow(ADMIN)
  async setUserEnabled(
    @CurrentPrincipal() principal: Principal,
    @Arg('id', Formats.uuid) id: string,
    @Args('enabled') enabled: boolean,
  ): Promise<UserModel> {
    if (!enabled && principal.userId === id) {
      throw badInput('Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre administrateur.');
    }
    if (!enabled) await this.keepAnAdmin(id);
    if (!(await this.sessions.users.setEnabled(id, enabled))) throw notFound(`no user with id ${id}`);
    if (!enabled) await this.sessions.closeAllOf(id);
    return (await this.sessions.users.findById(id))!;
  }

  @Mutation(() => UserModel, { description: 'Replaces all the roles of a user; their sessions end' })
  @Allow(ADMIN)
  async setUserRoles(
    @Arg('id', Formats.uuid) id: string,
    @Arg('roles', listOf(RoleGrantInput, MAX_ROLES), { type: () => [RoleGrantInput] }) roles: RoleGrantInput[],
  ): Promise<UserModel> {
    if (!(await this.sessions.users.findById(id))) throw notFound(`no user with id ${id}`);
    const checked = checkedRoles(roles);
    if (!checked.some((r) => r.role === 'admin')) await this.keepAnAdmin(id);
    await this.sessions.users.setRoles(id, checked);
    await this.sessions.closeAllOf(id);
    return (await this.sessions.users.findById(id))!;
  }

  /** Refuses a change that would leave no enabled admin but `id`'s (disabling it, or removing its admin role). */
  private async keepAnAdmin(id: string): Promise<void> {
    const others = (await this.sessions.users.list()).filter(
      (u) => u.id !== id && u.enabled && u.roles.some((r) => r.role === 'admin'),
    );
    if (others.length === 0) {
      throw badInput('C’est le dernier compte administrateur actif : nommez d’abord un autre administrateur.');
    }
  }

  @Query(() => [LrsCredentialModel], { description: 'LRS credentials (keys, never secrets)' })
  @Allow(ADMIN)
  async lrsCredentials(): Promise<LrsCredentialModel[]> {
    return (await this.credentials.repo.list()).map(credentialModel);
  }

  @Mutation(() => CreatedLrsCredential, { description: 'A new key and secret; the secret is shown only here' })
  @Allow(ADMIN)
  async createLrsCredential(
    @Arg('label', Formats.text(120)) label: string,
    @Arg('scopes', listOf(Formats.text(40), LRS_SCOPES.length), { type: () => [String] }) scopes: string[],
  ): Promise<CreatedLrsCredential> {
    const unknown = scopes.filter((s) => !(LRS_SCOPES as readonly string[]).includes(s));
    if (scopes.length === 0 || unknown.length > 0) {
      throw badInput(
        `scopes: choose among ${LRS_SCOPES.join(', ')}${unknown.length ? ` (not ${unknown.join(', ')})` : ''}`,
      );
    }
    if (!label.trim()) throw badInput('label: say who uses this credential (e.g. the ENT platform)');
    const key = `lrs-${randomBytes(6).toString('hex')}`;
    const secret = randomBytes(24).toString('base64url');
    await this.credentials.repo.upsert({ key, secret, scopes, authority: authorityFor(key), label: label.trim() });
    return { credential: credentialModel((await this.credentials.repo.find(key))!), secret };
  }

  @Mutation(() => ErasureResult, {
    description:
      'Right to erasure: removes one agent’s statements (and those voiding them) and documents from the LRS and analytics, and says how many',
  })
  @Allow(ADMIN)
  @Cost(100)
  async eraseAgent(
    @Arg('agent', Formats.json(10_000), { description: 'the xAPI Agent as JSON' }) agent: string,
  ): Promise<ErasureResult> {
    let value: unknown;
    try {
      value = JSON.parse(agent);
    } catch {
      throw badInput('agent: give the xAPI Agent as JSON, e.g. {"account":{"homePage":"…","name":"…"}}');
    }
    const problems = validateAgent(value, 'agent');
    if (problems.length > 0) throw badInput(`agent: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
    return this.erasure.erase(value as Agent);
  }

  @Mutation(() => LrsCredentialModel, { description: 'Disables a credential at once; statements it stored stay' })
  @Allow(ADMIN)
  async revokeLrsCredential(@Arg('key', Formats.lrsKey) key: string): Promise<LrsCredentialModel> {
    if (!(await this.credentials.repo.setEnabled(key, false))) throw notFound(`no LRS credential with key ${key}`);
    this.credentials.forget(key);
    return credentialModel((await this.credentials.repo.find(key))!);
  }
}

@ObjectType()
export class ErasureResult {
  @Field({ description: 'the agent identifier as stored' }) agent!: string;
  @Field(() => Int) statements!: number;
  @Field(() => Int) voidingStatements!: number;
  @Field(() => Int) stateDocuments!: number;
  @Field(() => Int) agentProfileDocuments!: number;
  @Field(() => Int) attachments!: number;
}

function checkedRoles(roles: RoleGrantInput[]): RoleGrant[] {
  return roles.map(({ role, scope }) => {
    const s = scope.trim();
    if (SCOPED_ROLES.has(role) && !s) throw badInput(`Périmètre manquant : le rôle ${ROLE_NAMES[role]} en demande un.`);
    if (!SCOPED_ROLES.has(role) && s) throw badInput(`Le rôle ${ROLE_NAMES[role]} ne prend pas de périmètre.`);
    const format = SCOPE_FORMATS[role];
    if (format && !format.schema.safeParse(s).success) {
      throw badInput(`Périmètre « ${s} » invalide pour le rôle ${ROLE_NAMES[role]} : ${SCOPE_EXPECTED[role]}.`);
    }
    return { role, scope: role === 'establishment' ? s.toUpperCase() : s };
  });
}

function credentialModel(row: LrsCredentialRow): LrsCredentialModel {
  return { key: row.key, label: row.label, scopes: row.scopes, enabled: row.enabled, createdAt: row.createdAt };
}
