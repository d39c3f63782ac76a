import type { FileSource } from './file-source';
import type { ListImport } from './list-import';
import type { Mapping } from './mapping';

/** An upload being stored: its bytes as they arrive, then where they are kept. */
export interface ImportFileWriter {
  fileId: string;
  write(chunk: Buffer): Promise<void>;
  finish(): Promise<{ fileId: string; chunks: number; size: number }>;
}

/**
 * An uploaded list's bytes, kept so that a preview on one instance and the commit on another read
 * the same file; src/store/import/import-file.ts implements it.
 */
export interface ImportFileRepository {
  writer(now: Date): ImportFileWriter;
  source(fileId: string, chunks: number, size: number): FileSource;
  remove(fileId: string, chunks: number): Promise<void>;
  /** Removes the uploads stored before `before`; returns how many pieces went. */
  purge(before: Date): Promise<number>;
}

/** List imports, their commit locks and the mapping remembered per source; src/store/import/list-import.ts implements it. */
export interface ListImportRepository {
  /** Stores the import unless one with its id (district and content) exists: then that one. */
  createOnce(input: ListImport): Promise<{ created: boolean; item: ListImport }>;
  byId(id: string): Promise<ListImport | undefined>;
  list(district: string, limit?: number): Promise<ListImport[]>;
  update(id: string, set: Partial<Omit<ListImport, 'id'>>): Promise<void>;
  /** Takes the commit lock for `leaseMs`; undefined when another holder's lease is live. */
  lock(item: ListImport, by: string, now: Date, leaseMs: number): Promise<{ no: number } | undefined>;
  extendLock(id: string, no: number, until: Date): Promise<boolean>;
  releaseLock(id: string, no: number, now: Date): Promise<void>;
  scrubPreviews(before: Date): Promise<number>;
  rememberedMapping(district: string, partnerId: string): Promise<Mapping | undefined>;
  rememberMapping(district: string, partnerId: string, mapping: Mapping, now: Date): Promise<void>;
}
