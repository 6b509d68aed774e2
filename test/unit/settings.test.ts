import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSettings, SettingsError } from '../../core/config/settings';

function envDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'env-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof SettingsError, `expected SettingsError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail('expected the settings to be refused');
}

describe('settings', () => {
  it('reads env/.env.<environment>, then .user, then the process environment', () => {
    const dir = envDir({
      '.env.local': 'APP_MODE=local\nPORT=4000\nDEMO_SEED=1\n',
      '.env.local.user': 'PORT=4001\n',
    });
    const settings = loadSettings({ env: { DEMO_SEED: '7' }, environment: 'local', envDir: dir });
    assert.equal(settings.APP_MODE, 'local');
    assert.equal(settings.PORT, 4001);
    assert.equal(settings.APP_MODE === 'local' && settings.DEMO_SEED, 7);
  });

  it('defaults the local stack ports and the development identity', () => {
    const settings = loadSettings({ env: { APP_MODE: 'local' }, envDir: envDir({}) });
    assert.ok(settings.APP_MODE === 'local');
    assert.equal(settings.PORT, 3978);
    assert.equal(settings.PLAYGROUND_PORT, 56150);
    assert.equal(settings.LOCAL_USER_ROLE, 'admin');
  });

  it('treats an empty value as not set, as provisioning leaves env files', () => {
    const settings = loadSettings({
      env: { APP_MODE: 'local', PORT: '', TENANT_ADMIN_EMAIL: '' },
      envDir: envDir({}),
    });
    assert.equal(settings.PORT, 3978);
  });

  it('names a malformed setting and its value', () => {
    const problems = problemsOf(() =>
      loadSettings({ env: { APP_MODE: 'local', PORT: 'abc' }, envDir: envDir({}) }),
    );
    assert.deepEqual(problems, ['PORT="abc" must be a port number, e.g. 3978']);
  });

  it('keeps readings for a re-read two hours within 1 GiB by default, and refuses a lifetime past a day', () => {
    const settings = loadSettings({ env: { APP_MODE: 'local' }, envDir: envDir({}) });
    assert.deepEqual([settings.REREAD_KEEP_MINUTES, settings.REREAD_MEMORY_MB], [120, 1024]);
    const none = loadSettings({ env: { APP_MODE: 'local', REREAD_KEEP_MINUTES: '0' }, envDir: envDir({}) });
    assert.equal(none.REREAD_KEEP_MINUTES, 0);
    const problems = problemsOf(() =>
      loadSettings({ env: { APP_MODE: 'local', REREAD_KEEP_MINUTES: '2000' }, envDir: envDir({}) }),
    );
    assert.deepEqual(problems, ['REREAD_KEEP_MINUTES="2000" must be between 0 and 1440 minutes']);
  });

  it('refuses a missing or unknown APP_MODE: local mode is never implied', () => {
    for (const env of [{}, { APP_MODE: 'dev' }]) {
      const [problem] = problemsOf(() => loadSettings({ env, envDir: envDir({}) }));
      assert.match(problem ?? '', /^APP_MODE.*must be "local".*or "production"/);
    }
  });

  it('lists every missing production setting at once', () => {
    const problems = problemsOf(() =>
      loadSettings({ env: { APP_MODE: 'production', COSMOS_ENDPOINT: 'not a url' }, envDir: envDir({}) }),
    );
    const names = problems.map((p) => p.split(/[ =]/)[0]);
    assert.deepEqual(names.sort(), [
      'AAD_APP_CLIENT_ID',
      'BOT_ID',
      'COSMOS_ENDPOINT',
      'SECRET_AAD_APP_CLIENT_SECRET',
      'SECRET_BOT_PASSWORD',
      'TAB_ENDPOINT',
      'TEAMS_APP_TENANT_ID',
    ]);
    assert.ok(
      problems.every((p) => !p.includes('received undefined')),
      problems.join('\n'),
    );
  });
});
