import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { log } from '../log';

/** Stable error codes every JSON error carries; clients match on these, never on the message. */
export const HTTP_ERRORS = {
  bad_request: { status: 400, ko: '요청을 처리할 수 없습니다. 입력 내용을 확인해 주세요.' },
  not_found: { status: 404, ko: '페이지를 찾을 수 없습니다.' },
  too_large: { status: 413, ko: '보낸 내용이 너무 큽니다. 줄여서 다시 보내 주세요.' },
  unsupported_media_type: { status: 415, ko: '지원하지 않는 형식입니다.' },
  internal: { status: 500, ko: '일시적인 오류가 생겼습니다. 잠시 후 다시 시도해 주세요.' },
  unavailable: { status: 503, ko: '지금은 서비스를 이용할 수 없습니다. 잠시 후 다시 시도해 주세요.' },
} as const;
export type HttpErrorCode = keyof typeof HTTP_ERRORS;

const JSON_PREFIXES = ['/api', '/kakao', '/slack', '/telegram', '/chat/api', '/healthz', '/readyz'];
/** By the full path: inside a router mounted at /api, `req.path` has lost its prefix. */
const wantsJson = (req: Request) => {
  const path = (req.originalUrl ?? req.url).split('?')[0]!;
  return JSON_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
};

/** A short Korean page with no detail of the server: what happened and where to go. */
export function errorPageHtml(code: HttpErrorCode): string {
  const { ko } = HTTP_ERRORS[code];
  return `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>오류 · 사각</title></head>
<body><main><h1>${ko}</h1><p>오류 코드: ${code}</p><p><a href="/console">콘솔 첫 화면으로</a></p></main></body></html>`;
}

export function sendError(req: Request, res: Response, code: HttpErrorCode): void {
  const { status, ko } = HTTP_ERRORS[code];
  res.status(status);
  if (wantsJson(req)) res.json({ error: code, message: ko });
  else res.type('html').send(errorPageHtml(code));
}

/** Which code a thrown error maps to: body-parser's client errors keep their meaning, a database outage is 503. */
export function codeOf(err: unknown): HttpErrorCode {
  const e = err as { type?: string; status?: number; statusCode?: number; name?: string } | null;
  const type = e?.type ?? '';
  if (type === 'entity.too.large' || type === 'parameters.too.many') return 'too_large';
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') return 'unsupported_media_type';
  if (type === 'entity.parse.failed' || type === 'request.aborted' || type === 'request.size.invalid')
    return 'bad_request';
  const name = e?.name ?? '';
  if (/^Mongo(ose)?(Network|ServerSelection|NotConnected|Timeout|PoolCleared|TopologyClosed|ServerClosed)/.test(name))
    return 'unavailable';
  // mongoose queues operations while disconnected and gives up with a plain MongooseError
  if (
    name === 'MongooseError' &&
    /buffering timed out|not connected|connection .*closed/i.test((err as Error).message ?? '')
  )
    return 'unavailable';
  const status = e?.status ?? e?.statusCode;
  if (status === 404) return 'not_found';
  if (status === 413) return 'too_large';
  if (status && status >= 400 && status < 500) return 'bad_request';
  return 'internal';
}

/** Only the stack's frames go to the log: the first line may quote a stored value (a duplicate key). */
const framesOf = (err: unknown) =>
  String((err as Error | null)?.stack ?? '')
    .split('\n')
    .filter((l) => l.startsWith('    at '))
    .slice(0, 12)
    .map((l) => l.trim());

/**
 * The last error handler: in every NODE_ENV the client gets a stable code and a Korean message
 * (or page), never a stack trace or a path; the stack goes to the log.
 */
export const finalErrorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) return next(err);
  const code = codeOf(err);
  const fields = {
    error: (err as Error | null)?.name,
    code: (err as { code?: unknown } | null)?.code,
    status: HTTP_ERRORS[code].status,
    path: req.path,
  };
  if (code === 'internal' || code === 'unavailable') log.error({ ...fields, stack: framesOf(err) }, 'request failed');
  else log.debug(fields, 'request refused');
  sendError(req, res, code);
};

export const notFoundHandler: RequestHandler = (req, res) => sendError(req, res, 'not_found');
