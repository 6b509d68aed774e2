import assert from 'node:assert/strict';
import { GraphError } from '@microsoft/microsoft-graph-client';
import {
  errorForStatus,
  GraphBadRequestError,
  GraphCredentialsError,
  GraphIngestionError,
  GraphNetworkError,
  GraphNotFoundError,
  GraphPermissionError,
  GraphThrottledError,
  GraphUnavailableError,
  GraphUnexpectedError,
  toGraphIngestionError,
} from '../../core/graph/errors.ts';

function sdkError(status: number, code: string | null, message: string): GraphError {
  const error = new GraphError(status, message);
  error.code = code;
  error.requestId = 'req-1';
  return error;
}

describe('graph errors: mapping Graph answers to typed errors', () => {
  const cases: [number, new (...args: never[]) => GraphIngestionError, string][] = [
    [401, GraphPermissionError, 'permission'],
    [403, GraphPermissionError, 'permission'],
    [404, GraphNotFoundError, 'not-found'],
    [400, GraphBadRequestError, 'bad-request'],
    [429, GraphThrottledError, 'throttled'],
    [500, GraphUnavailableError, 'unavailable'],
    [503, GraphUnavailableError, 'unavailable'],
    [418, GraphUnexpectedError, 'unexpected'],
  ];
  for (const [status, type, kind] of cases) {
    it(`maps ${status} to ${type.name}`, () => {
      const error = errorForStatus(status, 'reading inbox messages of mailbox ana@fabrikam.com', {
        code: 'SomeCode',
        message: 'details',
      });
      assert.ok(error instanceof type);
      assert.ok(error instanceof GraphIngestionError);
      assert.equal(error.kind, kind);
      assert.equal(error.status, status);
      assert.equal(error.code, 'SomeCode');
      assert.equal(error.name, type.name);
      assert.match(error.message, /reading inbox messages of mailbox ana@fabrikam\.com/);
      assert.match(error.message, new RegExp(`HTTP ${status} SomeCode: details`));
    });
  }

  it('says which permissions a 403 needs', () => {
    const error = errorForStatus(403, 'listing users', { code: 'Authorization_RequestDenied' });
    assert.match(error.message, /Mail\.ReadBasic\.All/);
    assert.match(error.message, /GroupMember\.Read\.All/);
  });

  it('maps the Graph client errors it is given by status, keeping code and request id', () => {
    const error = toGraphIngestionError(sdkError(403, 'ErrorAccessDenied', 'Access is denied.'), 'reading x');
    assert.ok(error instanceof GraphPermissionError);
    assert.equal(error.code, 'ErrorAccessDenied');
    assert.equal(error.requestId, 'req-1');
    assert.match(error.message, /Access is denied/);
    assert.ok(error.cause instanceof GraphError);
  });

  it('recognises transport and token failures the client wrapped with status -1', () => {
    const network = toGraphIngestionError(sdkError(-1, 'GraphNetworkError', 'socket hang up'), 'reading x');
    assert.ok(network instanceof GraphNetworkError);
    assert.match(network.message, /socket hang up/);
    const credentials = toGraphIngestionError(
      sdkError(-1, 'GraphCredentialsError', 'bad secret'),
      'reading x',
    );
    assert.ok(credentials instanceof GraphCredentialsError);
    const other = toGraphIngestionError(sdkError(-1, 'TypeError', 'boom'), 'reading x');
    assert.ok(other instanceof GraphUnexpectedError);
  });

  it('passes typed errors through and wraps anything else', () => {
    const typed = new GraphNotFoundError('gone');
    assert.equal(toGraphIngestionError(typed, 'x'), typed);
    const wrapped = toGraphIngestionError(new Error('odd'), 'reading x');
    assert.ok(wrapped instanceof GraphUnexpectedError);
    assert.match(wrapped.message, /odd/);
  });
});
