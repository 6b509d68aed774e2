import { z } from 'zod';
import { actorSchema, type Actor } from '../config/actor';
import { slugOf } from '../config/slug';
import { ConfigurationRepository, type ConfigurationDocument } from '../store/configuration-repository';
import type { Containers } from '../store/containers';
import { DatasetExistsError, DatasetRepository, type DatasetPointer } from '../store/dataset-repository';
import { validateDataset, type CustomerDataset, type DatasetRecord } from './customer-dataset';
import { datasetPreviewSchema, previewDataset, type DatasetPreview } from './dataset-preview';
import { readUpload, type DatasetUpload } from './dataset-upload';

/** A stored dataset as the tab lists and previews it (its records are read with `loadDataset`). */
export const datasetSummarySchema = datasetPreviewSchema.extend({
  datasetId: z.string(),
  name: z.string(),
  format: z.enum(['csv', 'json']),
  /** The uploaded files' names, when the upload gave them. */
  files: z.array(z.string()),
  importedAt: z.iso.datetime(),
  /** Null for the demo dataset the local stack imports. */
  importedBy: actorSchema.nullable(),
});
export type DatasetSummary = z.infer<typeof datasetSummarySchema>;

export const DEMO_DATASET_ID = 'demo';
export const DEMO_DATASET_NAME = 'Demo customers';

export interface ImportRequest {
  datasetId: string;
  name: string;
  upload: DatasetUpload;
  importedBy: Actor | null;
  /** Refuse (DatasetExistsError) rather than replace an existing dataset of that id. */
  create: boolean;
}

export interface DatasetContext {
  containers: Containers;
  tenantId: string;
  now(): number;
}

/** The id a dataset named `name` gets. */
export const datasetIdFor = slugOf;

function repository(context: DatasetContext): DatasetRepository {
  return new DatasetRepository(context.containers.datasets, context.tenantId, context.now);
}

function summaryOf(pointer: DatasetPointer<DatasetSummary>): DatasetSummary {
  const {
    id: _id,
    tenantId: _tenant,
    type: _type,
    importId: _import,
    chunkCount: _chunks,
    ...summary
  } = pointer;
  return summary;
}

function uploadFiles(upload: DatasetUpload): string[] {
  const files = upload.format === 'csv' ? [upload.accounts, upload.contacts] : [upload.file];
  return files.flatMap((file) => (file.name ? [file.name] : []));
}

async function store(
  context: DatasetContext,
  meta: Omit<DatasetSummary, keyof DatasetPreview>,
  dataset: CustomerDataset,
  create: boolean,
  preview: DatasetPreview = previewDataset(dataset),
): Promise<DatasetSummary> {
  const summary: DatasetSummary = { ...meta, ...preview };
  const datasets = repository(context);
  await datasets.write<DatasetSummary, DatasetRecord>(summary, dataset, { create });
  await datasets.removeOrphanedChunks();
  return summary;
}

/**
 * Checks an upload whole (DatasetError naming every problem, nothing written) and stores it: the
 * dataset appears, or is replaced, in one step.
 */
export async function importDataset(
  context: DatasetContext,
  request: ImportRequest,
): Promise<DatasetSummary> {
  const dataset = readUpload(request.upload);
  return store(
    context,
    {
      datasetId: request.datasetId,
      name: request.name,
      format: request.upload.format,
      files: uploadFiles(request.upload),
      importedAt: new Date(context.now()).toISOString(),
      importedBy: request.importedBy,
    },
    dataset,
    request.create,
  );
}

/** An upload already read and checked (off the request thread: see upload-parser.ts), to store. */
export interface ParsedImportRequest extends Omit<ImportRequest, 'upload'> {
  format: DatasetUpload['format'];
  files: string[];
  dataset: CustomerDataset;
  preview: DatasetPreview;
}

/** Stores a dataset read and checked already: it appears, or is replaced, in one step. */
export async function importParsedDataset(
  context: DatasetContext,
  request: ParsedImportRequest,
): Promise<DatasetSummary> {
  return store(
    context,
    {
      datasetId: request.datasetId,
      name: request.name,
      format: request.format,
      files: request.files,
      importedAt: new Date(context.now()).toISOString(),
      importedBy: request.importedBy,
    },
    request.dataset,
    request.create,
    request.preview,
  );
}

/** The customer dataset's accounts and contacts, or undefined when there is no such dataset. */
export async function loadDataset(
  containers: Containers,
  tenantId: string,
  datasetId: string,
): Promise<CustomerDataset | undefined> {
  const datasets = new DatasetRepository(containers.datasets, tenantId);
  // A replacement may land between reading the pointer and its chunks: read the new pointer then.
  for (let attempt = 0; attempt < 3; attempt++) {
    const pointer = await datasets.pointer<DatasetSummary>(datasetId);
    if (!pointer) return undefined;
    const records = await datasets.records<DatasetRecord>(pointer);
    if (records) return records;
  }
  throw new Error(`The dataset "${datasetId}" kept changing while it was read; try again`);
}

export async function datasetSummary(
  context: DatasetContext,
  datasetId: string,
): Promise<DatasetSummary | undefined> {
  const pointer = await repository(context).pointer<DatasetSummary>(datasetId);
  return pointer ? summaryOf(pointer) : undefined;
}

export async function listDatasets(context: DatasetContext): Promise<DatasetSummary[]> {
  const pointers = await repository(context).pointers<DatasetSummary>();
  return pointers.map(summaryOf).sort((a, b) => a.name.localeCompare(b.name));
}

export type DeleteOutcome = { deleted: boolean } | { usedBy: string[] };

/** Deletes a dataset no enrichment uses; otherwise names the enrichments that use it. */
export async function deleteDataset(context: DatasetContext, datasetId: string): Promise<DeleteOutcome> {
  const users = await new ConfigurationRepository(context.containers.configurations, context.tenantId).list<
    ConfigurationDocument & { name: string }
  >('enrichment', { datasetId });
  if (users.length) return { usedBy: users.map((u) => u.name) };
  const datasets = repository(context);
  const deleted = await datasets.delete(datasetId);
  await datasets.removeOrphanedChunks();
  return { deleted };
}

/** Imports the demo tenant's customers as "Demo customers" (id `demo`) unless that dataset exists. */
export async function ensureDemoDataset(
  context: DatasetContext,
  customers: { accounts: readonly object[]; contacts: readonly object[] },
): Promise<boolean> {
  if (await repository(context).pointer(DEMO_DATASET_ID)) return false;
  const asRecord = (item: object): DatasetRecord =>
    Object.fromEntries(Object.entries(item).map(([key, value]) => [key, String(value ?? '')]));
  const dataset = validateDataset(
    { accounts: customers.accounts.map(asRecord), contacts: customers.contacts.map(asRecord) },
    'demo customers',
  );
  try {
    await store(
      context,
      {
        datasetId: DEMO_DATASET_ID,
        name: DEMO_DATASET_NAME,
        format: 'json',
        files: [],
        importedAt: new Date(context.now()).toISOString(),
        importedBy: null,
      },
      dataset,
      true,
    );
  } catch (error) {
    // Another start imported it meanwhile.
    if (error instanceof DatasetExistsError) return false;
    throw error;
  }
  return true;
}
