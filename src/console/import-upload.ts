import { createHash } from 'node:crypto';
import busboy from 'busboy';
import cookieParser from 'cookie-parser';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { normalizeText } from '../domain/text/normalize';
import { codeOf, sendError } from '../http/errors';
import { ImportFileError } from '../import/errors';
import { MAX_UPLOAD_BYTES } from '../import/limits';
import { startImport } from '../import/list-import-service';
import { FILE_ERROR_KO, IMPORT_KO } from '../import/messages';
import { log } from '../log';
import { recordAccess } from './access-log';
import { authenticated, sameToken, type AuthedRequest } from './auth';
import type { ConsoleDeps } from './deps';
import { importsPage } from './views/imports';

const fields = z.object({
  partnerId: z.string().trim().min(1, IMPORT_KO.unknownPartner).max(40),
  listName: z.string().trim().min(1, IMPORT_KO.needListName).max(100, IMPORT_KO.needListName),
  encoding: z.enum(['auto', 'utf8', 'cp949']).default('auto'),
});

/** The form's text fields: how many and how long (the file is one more part). */
const FORM_FIELDS = 10;
const FIELD_BYTES = 4096;
/** Room for the multipart boundaries and the fields beside a file of MAX_UPLOAD_BYTES. */
const FORM_OVERHEAD = 64 * 1024;

/** A too-large upload is drained up to this size so its sender reads the refusal; beyond, cut. */
const DRAIN_LIMIT = 200 * 1024 * 1024;

/** Reads what is left of a refused upload (and drops it) so its sender gets to read the answer. */
function drain(req: Request): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    req.on('data', (c: Buffer) => {
      seen += c.length;
      if (seen > DRAIN_LIMIT) req.destroy();
    });
    req.on('end', resolve);
    req.on('close', resolve);
    req.resume();
  });
}

class UploadRefused extends Error {
  constructor(
    readonly status: number,
    readonly messageKo: string,
  ) {
    super('upload refused');
  }
}

/** The repositories this router uses: app.ts hands it these and no others. */
export const IMPORT_UPLOAD_REPOS = [
  'accessRecords',
  'counter',
  'importFiles',
  'imports',
  'partners',
  'reports',
] as const;

/**
 * POST /console/imports: the list upload (multipart). Mounted before the console's router
 * because a multipart body is not read by its form parser: this route checks the session and the
 * form's CSRF field itself, streams the file into the database in 1 MB chunks while hashing it,
 * stops at 20 MB, and removes every stored chunk when the file is refused.
 */
export function importUploadRouter(deps: ConsoleDeps<(typeof IMPORT_UPLOAD_REPOS)[number]>): Router {
  const router = Router();
  const refusePage = async (req: Request, res: Response, status: number, error: string) => {
    const { auth } = req as AuthedRequest;
    // A refused upload ends its connection: the next upload starts on a clean socket.
    res
      .status(status)
      .type('html')
      .set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', Connection: 'close' });
    res.send(await importsPage(deps, auth, { error }));
  };

  router.post(
    '/console/imports',
    cookieParser(),
    authenticated(deps, (_req, res) => res.redirect(303, '/console/login')),
    async (req, res) => {
      const { auth, viaCookie } = req as AuthedRequest;
      if (auth.actor.role === 'dong') return void (await refusePage(req, res, 403, IMPORT_KO.forbidden));
      const declared = Number(req.get('content-length') ?? 0);
      if (declared > MAX_UPLOAD_BYTES + FORM_OVERHEAD) {
        // Read and drop the body (nothing is stored) so the browser sees the answer rather than a reset.
        if (declared <= DRAIN_LIMIT) await drain(req);
        else res.set('Connection', 'close');
        return void (await refusePage(req, res, 413, FILE_ERROR_KO.too_large));
      }
      const now = deps.now();
      const writer = deps.repos.importFiles.writer(now);
      const hash = createHash('sha256');
      const values: Record<string, string> = {};
      let fileName: string | undefined;
      // chunk writes in flight; once refused, no more start, and the refusal waits for these before removing
      let work: Promise<void> = Promise.resolve();
      let refused = false;
      try {
        await new Promise<void>((resolve, reject) => {
          let bb: busboy.Busboy;
          try {
            bb = busboy({
              headers: req.headers,
              limits: {
                fileSize: MAX_UPLOAD_BYTES,
                files: 1,
                fields: FORM_FIELDS,
                fieldSize: FIELD_BYTES,
                parts: FORM_FIELDS + 1,
              },
            });
          } catch {
            return reject(new UploadRefused(400, IMPORT_KO.noFile));
          }
          // Whatever the parser or the connection cuts is refused whole: a list cut at 20 MB is a
          // list with people missing, never an import. (Chunked bodies declare no size.)
          const cut = (status: number, messageKo: string) => reject(new UploadRefused(status, messageKo));
          let received = 0;
          req.on('data', (c: Buffer) => {
            received += c.length;
            if (received > MAX_UPLOAD_BYTES + FORM_OVERHEAD) cut(413, FILE_ERROR_KO.too_large);
          });
          req.on('close', () => req.complete || cut(400, FILE_ERROR_KO.cut_short));
          req.on('error', () => cut(400, FILE_ERROR_KO.cut_short));
          bb.on('field', (name, value, info) => {
            if (info.nameTruncated || info.valueTruncated) return cut(400, FILE_ERROR_KO.form_too_large);
            values[name] = normalizeText(value);
          });
          bb.on('fieldsLimit', () => cut(400, FILE_ERROR_KO.form_too_large));
          bb.on('partsLimit', () => cut(400, FILE_ERROR_KO.form_too_large));
          bb.on('filesLimit', () => cut(400, IMPORT_KO.oneFile));
          bb.on('file', (_name, stream, info) => {
            // The form puts _csrf first: a cross-site upload is refused before a byte is stored.
            if (viaCookie && !sameToken(values._csrf, auth.csrfToken)) {
              stream.resume();
              return reject(new UploadRefused(403, '화면이 오래되었습니다. 다시 시도해 주세요.'));
            }
            fileName = info.filename || 'list';
            stream.on('limit', () => cut(413, FILE_ERROR_KO.too_large));
            stream.on('data', (chunk: Buffer) => {
              if (refused) return;
              hash.update(chunk);
              stream.pause();
              work = work.then(() => writer.write(chunk)).finally(() => stream.resume());
              work.catch(reject);
            });
            stream.on('end', () => {
              if (stream.truncated) cut(413, FILE_ERROR_KO.too_large);
            });
          });
          bb.on('error', () => cut(400, FILE_ERROR_KO.cut_short));
          bb.on(
            'close',
            () => void work.then(() => (req.complete ? resolve() : cut(400, FILE_ERROR_KO.cut_short)), reject),
          );
          req.pipe(bb);
        });
        if (!fileName) throw new UploadRefused(400, IMPORT_KO.noFile);
        const form = fields.safeParse(values);
        if (!form.success) throw new UploadRefused(400, form.error.issues[0]!.message);
        const stored = await writer.finish();
        const source = deps.repos.importFiles.source(stored.fileId, stored.chunks, stored.size);
        const result = await startImport(
          { repos: deps.repos, district: deps.district },
          {
            source,
            contentHash: hash.digest('hex'),
            fileName,
            file: { fileId: stored.fileId, chunks: stored.chunks },
            partnerId: form.data.partnerId,
            listName: form.data.listName,
            encoding: form.data.encoding === 'auto' ? undefined : form.data.encoding,
            by: auth.actor.id,
            now,
          },
        );
        if ('error' in result) throw new UploadRefused(400, IMPORT_KO.unknownPartner);
        if (!result.created) {
          await deps.repos.importFiles.remove(stored.fileId, stored.chunks);
          return res.redirect(303, `/console/imports/${result.item.id}?notice=duplicate`);
        }
        await recordAccess(deps, req, { action: 'change', scope: `import=${result.item.id}`, detail: 'list_upload' });
        return res.redirect(303, `/console/imports/${result.item.id}`);
      } catch (err) {
        refused = true;
        req.unpipe();
        await work.catch(() => undefined);
        const { chunks } = await writer.finish().catch(() => ({ chunks: 0 }));
        await deps.repos.importFiles.remove(writer.fileId, chunks + 1).catch(() => undefined);
        if (err instanceof UploadRefused) {
          req.unpipe();
          await drain(req);
          return void (await refusePage(req, res, err.status, err.messageKo));
        }
        if (err instanceof ImportFileError) return void (await refusePage(req, res, 400, err.messageKo));
        log.error({ error: (err as Error).name }, 'list upload failed');
        // the database is down: a short page that needs no database (the imports page reads it)
        if (codeOf(err) === 'unavailable') return void sendError(req, res.set('Connection', 'close'), 'unavailable');
        return void (await refusePage(req, res, 500, '파일을 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.'));
      }
    },
  );
  return router;
}
