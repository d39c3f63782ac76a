import type { RequestHandler } from 'express';

/**
 * Headers every response carries: `nosniff` always (a JSON error must never be sniffed into
 * HTML), and HSTS when the request came over TLS (directly, or through a trusted proxy that
 * says so in X-Forwarded-Proto), unless HSTS_MAX_AGE_SECONDS is 0.
 */
export function securityHeaders(opts: { hstsMaxAgeSeconds: number }): RequestHandler {
  return (req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    if (req.secure && opts.hstsMaxAgeSeconds > 0)
      res.set('Strict-Transport-Security', `max-age=${opts.hstsMaxAgeSeconds}; includeSubDomains`);
    next();
  };
}
