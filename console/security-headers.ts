import type { NextFunction, Request, Response } from 'express';

/**
 * Security headers for the console and its API (helmet is not a dependency; these are the few that matter):
 * a strict CSP that allows only the console's own scripts, styles, images and API, and no framing; no MIME
 * sniffing; no referrer leaking tracking numbers in URLs; HSTS when the request came over HTTPS.
 */
export interface SecurityHeadersOptions {
  /** Send HSTS even when req.secure is false (TLS ends at a proxy that does not say so). */
  https?: boolean;
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(o: SecurityHeadersOptions = {}) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (req.secure || o.https) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}
