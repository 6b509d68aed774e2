import { ConsentMailError, ConsentStateError } from '../../core/config/consent';
import { EnrichmentNotFoundError } from '../../core/config/enrichment-config';
import { EnrichmentConflictError, EnrichmentProblemsError } from '../../core/config/enrichment-service';
import { DatasetError } from '../../core/datasets/customer-dataset';
import { GraphIngestionError } from '../../core/graph/errors';
import { RereadUnavailableError, RunConflictError } from '../../core/runs/run-service';
import {
  BuiltInSegmentError,
  SegmentChangedError,
  SegmentNameTakenError,
} from '../../core/segments/segment-library';
import { DatasetExistsError } from '../../core/store/dataset-repository';
import { ApiError, conflict, notFound, unprocessable } from './errors';

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

interface DomainAnswer {
  type: ErrorClass<Error>;
  answer(error: Error): ApiError;
}

const answer = <E extends Error>(type: ErrorClass<E>, to: (error: E) => ApiError): DomainAnswer => ({
  type,
  answer: (error) => to(error as E),
});

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const conflictSaying = (error: Error) => conflict(error.message);

/** What the API answers for each error the domain throws; the first matching class wins. */
const DOMAIN_ANSWERS: readonly DomainAnswer[] = [
  answer(EnrichmentNotFoundError, (error) => notFound(`Enrichment "${error.enrichmentId}"`)),
  answer(EnrichmentProblemsError, (error) =>
    unprocessable(`The enrichment cannot be saved: ${plural(error.problems.length, 'problem')}.`, [
      ...error.problems,
    ]),
  ),
  answer(DatasetError, (error) =>
    unprocessable(
      `The dataset cannot be imported: ${error.message}`,
      error.problems.map((p) => ({ field: p.part, message: p.message })),
    ),
  ),
  answer(EnrichmentConflictError, conflictSaying),
  answer(ConsentStateError, conflictSaying),
  answer(RunConflictError, conflictSaying),
  answer(RereadUnavailableError, conflictSaying),
  answer(SegmentNameTakenError, conflictSaying),
  answer(BuiltInSegmentError, conflictSaying),
  answer(SegmentChangedError, conflictSaying),
  answer(DatasetExistsError, (error) =>
    conflict(
      `${error.message}; replace it with PUT /api/datasets/${error.datasetId}, or choose another name.`,
    ),
  ),
  answer(ConsentMailError, (error) =>
    error.reason === 'not-configured'
      ? new ApiError(503, 'ConsentNotConfigured', error.message)
      : new ApiError(502, 'ConsentRequestNotSent', error.message),
  ),
  answer(
    GraphIngestionError,
    (error) =>
      new ApiError(502, 'GraphUnavailable', `Microsoft Graph did not answer as expected: ${error.message}`),
  ),
];

/** The API error for a thrown error: itself when it is one, the table's answer for a domain error. */
export function apiErrorOf(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (!(error instanceof Error)) return undefined;
  return DOMAIN_ANSWERS.find(({ type }) => error instanceof type)?.answer(error);
}
