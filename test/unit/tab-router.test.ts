import assert from 'node:assert/strict';
import { parseHash } from '../../tab/web/src/router';

describe('admin tab routes', () => {
  it('opens a deep link that does not decode as an account that is not found, instead of failing', () => {
    const route = parseHash('#/customers/%E0%A4%A');
    assert.equal(route.screen, 'customers');
    assert.equal(route.accountId, '%E0%A4%A');
    assert.equal(parseHash('#/customers/%ZZ?x=1').query.get('x'), '1');
  });
});
