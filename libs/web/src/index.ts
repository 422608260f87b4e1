export { AccessibilityStatement } from './AccessibilityStatement';
export { AppShell, type NavItem } from './AppShell';
export { GraphQLRequestError, apiFetch, graphql } from './graphql';
export { Link, navigate, useFocusMainOnNavigate, useLocation, type Location } from './router';
export {
  SessionProvider,
  SignInError,
  hasRole,
  roleLabel,
  scopesOf,
  useSession,
  useUser,
  type Role,
  type RoleGrant,
  type SessionState,
  type SessionUser,
} from './session';
export { SignInPage } from './SignInPage';
export { StatusPage } from './StatusPage';
export { startApp } from './start';
export { useQuery, type QueryState } from './useQuery';
