import { Router } from 'express';
import { homePage, type HomePageOptions } from './home-page';

/** `GET /`: the front door. Its words never change while the process runs, so it is rendered once. */
export function homeRouter(opts: HomePageOptions): Router {
  const page = homePage(opts);
  const router = Router();
  router.get('/', (_req, res) => {
    res
      .set({
        'Content-Security-Policy':
          "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        'Referrer-Policy': 'no-referrer',
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      })
      .type('html')
      .send(page);
  });
  // Browsers ask for an icon on every page; "none" beats a 404 in each console's error log.
  router.get('/favicon.ico', (_req, res) => {
    res.status(204).set('Cache-Control', 'public, max-age=86400').end();
  });
  return router;
}
