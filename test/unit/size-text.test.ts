import assert from 'node:assert/strict';
import { MB, sizeText } from '../../tab/api/json-body';

describe('body size limits in messages', () => {
  it('names a limit in the unit it was set in', () => {
    assert.equal(sizeText(64 * 1024), '64 KB');
    assert.equal(sizeText(MB), '1 MB');
    assert.equal(sizeText(25 * MB), '25 MB');
    assert.equal(sizeText(1536 * 1024), '1536 KB');
    assert.equal(sizeText(1000), '1000 bytes');
  });
});
