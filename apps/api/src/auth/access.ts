import { SetMetadata } from '@nestjs/common';
import type { Role, RoleGrant } from '@ent-observatory/store';

/** Who is signed in, as every guarded handler sees it. */
export interface Principal {
  userId: string;
  email: string;
  displayName: string;
  roles: RoleGrant[];
}

/**
 * What a request reads or changes, in the terms scopes are written in. Every field given must be within the
 * caller's scope; a target with no field is only a role check.
 */
export interface Target {
  region?: string | undefined;
  academie?: string | undefined;
  departement?: string | undefined;
  uai?: string | undefined;
  classId?: string | undefined;
  courseId?: string | undefined;
}

/**
 * How a handler is reached. Deny by default: a handler without a rule is refused (and the app refuses to start,
 * see AccessGuard's registry check).
 * - `public`: anyone (health, sign-in);
 * - `lrs`: xAPI clients, authorised by LrsAuthGuard with HTTP Basic LRS credentials and @LrsScopes;
 * - `roles`: a signed-in user with one of these roles, whose scope covers the `target` computed from the
 *   handler's arguments (GraphQL args, or the HTTP query for routes).
 */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'lrs' }
  | {
      kind: 'roles';
      roles: readonly Role[];
      target?: (args: Record<string, unknown>) => Target | undefined;
      /** Integration routes: also HTTP Basic (account email:password, or an LRS key with scope `all`). */
      basic?: boolean;
    };

export const ACCESS_KEY = 'ent:access';

export const Public = () => SetMetadata<string, AccessRule>(ACCESS_KEY, { kind: 'public' });
export const LrsRoute = () => SetMetadata<string, AccessRule>(ACCESS_KEY, { kind: 'lrs' });

/** Signed-in users with one of `roles`; `target` extracts what the call is about from its arguments. */
export const Allow = (roles: readonly Role[], target?: (args: Record<string, unknown>) => Target | undefined) =>
  SetMetadata<string, AccessRule>(ACCESS_KEY, target ? { kind: 'roles', roles, target } : { kind: 'roles', roles });

/** Like Allow, for integration routes that scripts call with HTTP Basic as well as browsers with a session. */
export const AllowApi = (roles: readonly Role[]) =>
  SetMetadata<string, AccessRule>(ACCESS_KEY, { kind: 'roles', roles, basic: true });

/** Every role that signs in: for handlers about the caller themself (`me`, sign-out). */
export const ANY_SIGNED_IN: readonly Role[] = [
  'admin',
  'national',
  'academy',
  'establishment',
  'teacher',
  'trainer',
  'learner',
  'parent',
  'pupil',
];
