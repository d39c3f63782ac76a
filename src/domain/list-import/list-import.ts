import type { Mapping } from './mapping';

/** Where an uploaded list stands: stored, previewed, being committed, committed. */
export type ImportStatus = 'uploaded' | 'previewed' | 'committing' | 'committed';

/** How a list's rows came out: new reports, links to existing ones, duplicates in the file, unplaced and refused rows. */
export interface OutcomeCounts {
  rows: number;
  create: number;
  link: number;
  in_file: number;
  unresolved: number;
  rejected: number;
}

/** One uploaded list and what became of it. The id derives from the district and file content. */
export interface ListImport {
  id: string;
  district: string;
  contentHash: string;
  fileName: string;
  fileSize: number;
  format: 'csv' | 'xlsx';
  encoding: string | null;
  /** Where the bytes are kept (chunks in list_import_files) until purged; null from the CLI. */
  fileId: string | null;
  fileChunks: number;
  partner: { id: string; name: string; kind: string };
  listName: string;
  createdAt: Date;
  createdBy: string;
  headers: string[];
  mapping: Mapping | null;
  /** The dong chosen for a row the address could not place, by row number ('' = the call center assigns). */
  dongChoices: Record<string, string>;
  status: ImportStatus;
  preview: {
    at: Date;
    counts: OutcomeCounts;
    rejected: { row: number; reason: string }[];
    unresolved: { row: number; address: string; candidates: string[] }[];
  } | null;
  commit: {
    startedAt: Date;
    finishedAt: Date | null;
    counts: OutcomeCounts | null;
    by: string;
    linked?: string[];
  } | null;
  /** The commit lock generation (see list_import_locks). */
  lockNo: number;
}
