import { parse } from 'node:querystring';
import type { RequestHandler } from 'express';
import { normalizeDeep } from '../domain/text/normalize';

/** After a body parser: every string of the body normalised (src/domain/text), passwords excepted. */
export const normalizeBody: RequestHandler = (req, _res, next) => {
  if (req.body && typeof req.body === 'object') req.body = normalizeDeep(req.body);
  next();
};

/** Express's "query parser": the simple parser, with every value normalised. */
export const normalizedQueryParser = (query: string) => normalizeDeep(parse(query)) as Record<string, unknown>;
