import { ConsentMailError, ConsentStateError, UnknownEnrichmentError } from '../../../core/config/consent';
import { EnrichmentConflictError, EnrichmentProblemsError } from '../../../core/config/enrichment-service';
import { DatasetError } from '../../../core/datasets/customer-dataset';
import { GraphIngestionError } from '../../../core/graph/errors';
import { DatasetExistsError } from '../../../core/store/dataset-repository';
import { ApiError, conflict, notFound, unprocessable } from '../errors';

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The API error for what the configuration, dataset and consent services throw; other errors pass through. */
export function configApiError(error: unknown): unknown {
  if (error instanceof EnrichmentProblemsError) {
    return unprocessable(`The enrichment cannot be saved: ${plural(error.problems.length, 'problem')}.`, [
      ...error.problems,
    ]);
  }
  if (error instanceof DatasetError) {
    return unprocessable(
      `The dataset cannot be imported: ${error.message}`,
      error.problems.map((p) => ({ field: p.part, message: p.message })),
    );
  }
  if (error instanceof UnknownEnrichmentError) return notFound(`Enrichment "${error.enrichmentId}"`);
  if (error instanceof EnrichmentConflictError || error instanceof ConsentStateError)
    return conflict(error.message);
  if (error instanceof DatasetExistsError) {
    return conflict(
      `${error.message}; replace it with PUT /api/datasets/${error.datasetId}, or choose another name.`,
    );
  }
  if (error instanceof ConsentMailError) {
    return error.reason === 'not-configured'
      ? new ApiError(503, 'ConsentNotConfigured', error.message)
      : new ApiError(502, 'ConsentRequestNotSent', error.message);
  }
  if (error instanceof GraphIngestionError) {
    return new ApiError(
      502,
      'GraphUnavailable',
      `Microsoft Graph did not answer as expected: ${error.message}`,
    );
  }
  return error;
}

/** Runs a service call, answering its known failures as API errors. */
export async function answering<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw configApiError(error);
  }
}
