import { Worker } from 'node:worker_threads';
import { DatasetError, type CustomerDataset } from '../core/datasets/customer-dataset';
import type { DatasetPreview } from '../core/datasets/dataset-preview';
import type { UploadKind } from '../core/datasets/upload-schema';
import { ApiError } from '../tab/api/errors';
import type { ParseReply, ParseRequest } from './dataset-upload-protocol';

/** What the parse worker found in an upload request: its fields, its records (imports) and preview. */
export interface ParsedUpload {
  body: { name?: string; datasetId?: string; format: 'csv' | 'json'; files: string[] };
  preview: DatasetPreview;
  /** Empty for previews. */
  dataset: CustomerDataset;
}

const WORKER_URL = new URL('./dataset-upload-worker.mjs', import.meta.url);

/** The bytes as a transferable buffer of their own (never a slice of a shared pool). */
function ownBytes(body: Uint8Array): Uint8Array {
  const whole = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
  return whole ? body : new Uint8Array(body);
}

/**
 * Parses and checks an upload request's body (UTF-8 JSON bytes) on a worker thread of its own:
 * rejects with an ApiError (malformed request: the same 400 as a JSON body read on the request
 * thread) or a DatasetError (unusable files, every problem named).
 */
export function parseUploadOffThread(kind: UploadKind, body: Uint8Array | undefined): Promise<ParsedUpload> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL);
    const dataset: CustomerDataset = { accounts: [], contacts: [] };
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      outcome();
    };
    worker.on('message', (reply: ParseReply) => {
      switch (reply.type) {
        case 'records':
          for (const record of reply.records) dataset[reply.part].push(record);
          worker.postMessage({ type: 'more' } satisfies ParseRequest);
          return;
        case 'done':
          return settle(() => resolve({ body: reply.body, preview: reply.preview, dataset }));
        case 'rejected':
          return settle(() => reject(new ApiError(reply.status, reply.code, reply.message, reply.fields)));
        case 'dataset-error':
          return settle(() => reject(new DatasetError(reply.message, reply.problems)));
        case 'failed':
          return settle(() => reject(new Error(`The dataset parse worker failed: ${reply.message}`)));
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) =>
      settle(() =>
        reject(new Error(`The dataset parse worker stopped (exit code ${code}) before answering`)),
      ),
    );
    const bytes = body && ownBytes(body);
    worker.postMessage(
      { type: 'parse', kind, body: bytes } satisfies ParseRequest,
      bytes ? [bytes.buffer as ArrayBuffer] : [],
    );
  });
}

/** Uploads (previews and imports) one tenant may have in progress at once. */
export const MAX_UPLOADS_PER_TENANT = 1;
/** What a refused upload is told to wait, in seconds. */
export const UPLOAD_RETRY_AFTER_SECONDS = 5;

/** The tenant has MAX_UPLOADS_PER_TENANT uploads in progress already. */
export class UploadBusyError extends Error {
  readonly retryAfterSeconds = UPLOAD_RETRY_AFTER_SECONDS;
  constructor() {
    super('Another dataset import is running for this organization; try again in a moment.');
    this.name = 'UploadBusyError';
  }
}

const inProgress = new Map<string, number>();

/** How many uploads of the tenant are in progress in this process. */
export function uploadsInProgress(tenantId: string): number {
  return inProgress.get(tenantId) ?? 0;
}

/**
 * Runs `work` holding one of the tenant's upload slots; throws UploadBusyError at once when there
 * is none free (the caller answers 429 with Retry-After rather than queueing a 25 MB body).
 */
export async function withUploadSlot<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
  const running = uploadsInProgress(tenantId);
  if (running >= MAX_UPLOADS_PER_TENANT) throw new UploadBusyError();
  inProgress.set(tenantId, running + 1);
  try {
    return await work();
  } finally {
    const left = uploadsInProgress(tenantId) - 1;
    if (left > 0) inProgress.set(tenantId, left);
    else inProgress.delete(tenantId);
  }
}
