import { Global, Injectable, Module, type SecurityHeadersOptions } from '@nestjs/common';
import { type Env, isOrigin } from '../config/env.js';

/**
 * The Content-Security-Policy of our pages (docs/security.md, "Headers"), fitted to our two SPAs:
 * - scripts only from our origin, no inline script: the Vite builds load one module per chunk from /assets;
 * - styles from our origin plus inline `style` attributes: React and recharts set sizes and colours inline; the
 *   DSFR's stylesheet, icons and fonts are served by us;
 * - frames from our origin (cmi5 AUs of the training space served by us), the origins of imported content the
 *   operator lists in CSP_FRAME_ORIGINS and, on training pages, those a trainer configured (FrameSources);
 *   our pages themselves may only be framed by our origin;
 * - no `upgrade-insecure-requests`: behind a TLS proxy, HSTS (sent by default, ignored over plain HTTP) does the
 *   same, and on a plain-HTTP demo the directive would break every asset.
 */
export function cspDirectives(env: Env, extraFrameOrigins: readonly string[] = []): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'frame-src': ["'self'", ...new Set([...env.CSP_FRAME_ORIGINS, ...extraFrameOrigins])],
    'frame-ancestors': ["'self'"],
    'form-action': ["'self'"],
    'object-src': ["'none'"],
    'manifest-src': ["'self'"],
  };
}

/** The header value, as a page that widens frame-src for itself sends it. */
export function contentSecurityPolicy(env: Env, extraFrameOrigins: readonly string[] = []): string {
  return Object.entries(cspDirectives(env, extraFrameOrigins))
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/**
 * The security headers of every response: Nest's built-in useSecurityHeaders (helmet 8's headers and defaults:
 * nosniff, X-Frame-Options, HSTS, Referrer-Policy no-referrer, CORP same-origin…) with our CSP.
 * Cross-Origin-Opener-Policy allows popups, so an AU opened in a new window keeps its opener.
 */
export function securityHeaders(env: Env): SecurityHeadersOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(env) },
    crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    xFrameOptions: { action: 'sameorigin' },
  };
}

/**
 * Origins the training space's pages may show in frames besides ours and CSP_FRAME_ORIGINS: the training module
 * registers a source listing the origins of the packages trainers imported (read from its own table and kept
 * fresh by it; called for every training page, so it must answer from memory). Anything that is not a plain
 * origin is ignored.
 */
@Injectable()
export class FrameSources {
  private readonly sources: (() => Iterable<string>)[] = [];

  register(source: () => Iterable<string>): void {
    this.sources.push(source);
  }

  origins(): string[] {
    return [...new Set(this.sources.flatMap((s) => [...s()]))].filter(isOrigin);
  }
}

@Global()
@Module({ providers: [FrameSources], exports: [FrameSources] })
export class FrameSourcesModule {}
