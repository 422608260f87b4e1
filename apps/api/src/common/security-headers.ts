import type { SecurityHeadersOptions } from '@nestjs/common';
import type { Env } from '../config/env.js';

/**
 * The security headers of every response (Nest's built-in useSecurityHeaders: helmet 8's headers and defaults),
 * with a Content-Security-Policy fitted to our two SPAs (docs/security.md, "Headers"):
 * - scripts only from our origin, no inline script: the Vite builds load one module per chunk from /assets;
 * - styles from our origin plus inline `style` attributes: React and recharts set sizes and colours inline, the
 *   DSFR's stylesheet and fonts are served by us;
 * - frames from our origin (cmi5 AUs of the training space served by us) and the origins of imported content the
 *   operator lists in CSP_FRAME_ORIGINS; pages themselves may only be framed by our origin;
 * - no `upgrade-insecure-requests`: behind a TLS proxy, HSTS (sent by default, ignored over plain HTTP) does
 *   the same, and on a plain-HTTP demo the directive would break every asset.
 * Cross-Origin-Opener-Policy allows popups, so an AU opened in a new window keeps its opener.
 */
export function securityHeaders(env: Env): SecurityHeadersOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameSrc: ["'self'", ...env.CSP_FRAME_ORIGINS],
        frameAncestors: ["'self'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        manifestSrc: ["'self'"],
      },
    },
    crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    xFrameOptions: { action: 'sameorigin' },
  };
}
