import { z } from 'zod';
import { reportActionSchema } from '../domain/workflow/report-actions';
import { REPORT_STATUSES } from '../domain/report/status';
import { URGENCY_CODES } from '../domain/report/urgency';
import { QUEUE_SORTS } from '../domain/report/scope';
import { loginBody } from './auth';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json({ $ref: '#/components/schemas/Error' }) });
const query = (name: string, schema: object, description: string) => ({
  name,
  in: 'query',
  required: false,
  schema,
  description,
});

/** OpenAPI 3.1 description of /api; request bodies come from the same zod schemas the routes use. */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sagak call-center console API',
      version: '1.0.0',
      description: 'Reports of welfare blind spots: queue, detail, workflow actions.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/auth/login.' },
        cookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'sagak_session',
          description: 'The console session; changes also need the X-CSRF-Token header.',
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'string' }, message: { type: 'string' }, messageKo: { type: 'string' } },
        },
        Login: z.toJSONSchema(loginBody, { io: 'input' }),
        Action: z.toJSONSchema(reportActionSchema, { io: 'input' }),
        Report: {
          type: 'object',
          description:
            "A report as the caller's role may see it (a dong user gets no reporter or partner ids). `photoIds`: its photos, each at GET /console/reports/{receiptNo}/photos/{photoId} (same sign-in; every view an access record).",
        },
      },
    },
    security: [{ bearer: [] }, { cookie: [] }],
    paths: {
      '/api/auth/login': {
        post: {
          summary: 'Sign in',
          security: [],
          requestBody: { required: true, content: json({ $ref: '#/components/schemas/Login' }) },
          responses: {
            200: {
              description: 'A session token',
              content: json({
                type: 'object',
                properties: {
                  token: { type: 'string' },
                  expiresAt: { type: 'string', format: 'date-time' },
                  role: { type: 'string' },
                },
              }),
            },
            400: error('Malformed body'),
            401: error('Wrong username or password'),
            429: error(
              'Too early after failed sign-ins from this address for this username (growing wait), or too many failures from this address; Retry-After says how long',
            ),
          },
        },
      },
      '/api/auth/password': {
        post: {
          summary: "Change one's own password (other sessions end)",
          requestBody: {
            required: true,
            content: json({
              type: 'object',
              required: ['current', 'next'],
              properties: { current: { type: 'string' }, next: { type: 'string', minLength: 10, maxLength: 200 } },
            }),
          },
          responses: {
            204: { description: 'Changed' },
            400: error(
              'The new password breaks the policy (password_too_short, password_common, password_repetitive, password_contains_username)',
            ),
            401: error('No session'),
            403: error('wrong_current_password'),
          },
        },
      },
      '/api/auth/logout': {
        post: {
          summary: 'End the session',
          responses: { 204: { description: 'Signed out' }, 401: error('No session') },
        },
      },
      '/api/reports': {
        get: {
          summary: 'The queue: urgent first, then oldest first',
          parameters: [
            query(
              'status',
              { type: 'string', enum: [...REPORT_STATUSES, 'open', 'all'], default: 'open' },
              'open = every status but closed',
            ),
            query(
              'dong',
              { type: 'string', pattern: '^(\\d{10}|none)$' },
              'assigned administrative dong code, or none for reports without a dong',
            ),
            query(
              'assignee',
              { type: 'string', enum: ['me', 'none'] },
              'me = cases of the signed-in counsellor (내 담당), none = no counsellor yet',
            ),
            query(
              'sort',
              { type: 'string', enum: [...QUEUE_SORTS], default: 'urgency' },
              'urgency (urgent first, then oldest), received, received_desc, name, address, dong',
            ),
            query('partner', { type: 'string' }, 'partner id'),
            query('urgency', { type: 'string', enum: URGENCY_CODES }, ''),
            query('sign', { type: 'string' }, 'a sign code such as utility_arrears'),
            query('from', { type: 'string', format: 'date' }, 'received on or after (Seoul date)'),
            query('to', { type: 'string', format: 'date' }, 'received on or before (Seoul date)'),
            query(
              'q',
              { type: 'string', maxLength: 100 },
              "literal text in the receipt number, name, phone (digits, dashes optional), address or situation; for staff and admins also the reporter's name (never for a dong center)",
            ),
            query('duplicates', { type: 'string', enum: ['1'] }, 'only reports flagged as possible duplicates'),
            query('page', { type: 'integer', minimum: 1 }, ''),
            query('pageSize', { type: 'integer', minimum: 1, maximum: 100, default: 50 }, ''),
          ],
          responses: {
            200: {
              description: 'One page',
              content: json({
                type: 'object',
                properties: {
                  items: { type: 'array', items: { type: 'object' } },
                  total: { type: 'integer' },
                  page: { type: 'integer' },
                  pageSize: { type: 'integer' },
                },
              }),
            },
            400: error('A filter of the wrong form'),
            401: error('Not signed in'),
          },
        },
      },
      '/api/reports/{receiptNo}': {
        get: {
          summary: 'One report with its history',
          parameters: [
            { name: 'receiptNo', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{4}-\\d{6}$' } },
          ],
          responses: {
            200: { description: 'The report', content: json({ $ref: '#/components/schemas/Report' }) },
            404: error('No such report in your scope'),
          },
        },
      },
      '/api/reports/{receiptNo}/actions': {
        post: {
          summary: 'Apply a workflow action (appends to the history in the same update)',
          parameters: [
            { name: 'receiptNo', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{4}-\\d{6}$' } },
          ],
          requestBody: { required: true, content: json({ $ref: '#/components/schemas/Action' }) },
          responses: {
            200: { description: 'The updated report', content: json({ $ref: '#/components/schemas/Report' }) },
            400: error('A field of the wrong type, or an unknown dong'),
            403: error('Your role may not take this action, or the CSRF token is missing'),
            404: error('No such report in your scope'),
            409: error("Not allowed in the report's current state"),
          },
        },
      },
    },
  };
}
