import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import {
  COLOR_ICON,
  OUTLINE_ICON,
  PROJECT_ROOT,
  PackageError,
  buildAppPackage,
  bundledSchemasDir,
  checkIcon,
  fillPlaceholders,
  loadManifestSchema,
  main,
  parsePackageArgs,
  validateAgainstSchema,
  validateManifest,
} from '../../scripts/package-app';
import { tempDir } from '../support/temp-dir';

const APP_PACKAGE = path.join(PROJECT_ROOT, 'appPackage');

/** Every variable the manifest uses, with values shaped like the ones provision writes. */
const TEST_ENV: Record<string, string> = {
  TEAMS_APP_ID: '11111111-1111-4111-8111-111111111111',
  BOT_ID: '22222222-2222-4222-8222-222222222222',
  AAD_APP_CLIENT_ID: '33333333-3333-4333-8333-333333333333',
  TAB_DOMAIN: 'engagement-test.azurewebsites.net',
  TAB_ENDPOINT: 'https://engagement-test.azurewebsites.net',
  DEVELOPER_NAME: 'Fabrikam',
  DEVELOPER_WEBSITE_URL: 'https://www.fabrikam.com',
  DEVELOPER_PRIVACY_URL: 'https://www.fabrikam.com/privacy',
  DEVELOPER_TERMS_OF_USE_URL: 'https://www.fabrikam.com/terms',
};

function writeEnvFile(dir: string, env: string, values: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  const text = Object.entries(values)
    .map(([name, value]) => `${name}=${value}`)
    .join('\n');
  writeFileSync(path.join(dir, `.env.${env}`), `# test environment\n${text}\n`);
}

function png(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number, number],
) {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b, a] = pixel(x, y);
      image.data.set([r, g, b, a], (y * width + x) * 4);
    }
  }
  return PNG.sync.write(image);
}

function expectProblems(run: () => unknown, ...patterns: RegExp[]): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof PackageError, `expected a PackageError, got ${String(error)}`);
    for (const pattern of patterns) {
      assert.ok(
        error.problems.some((line) => pattern.test(line)),
        `no problem matches ${pattern}:\n${error.problems.join('\n')}`,
      );
    }
    return error.problems;
  }
  assert.fail('expected packaging to fail');
}

describe('app package', () => {
  let work: ReturnType<typeof tempDir>;
  let envDir: string;
  let outDir: string;

  beforeEach(() => {
    work = tempDir('app-package');
    envDir = path.join(work.path, 'env');
    outDir = path.join(work.path, 'build');
  });
  afterEach(() => work.cleanup());

  /** A copy of appPackage/ that a test may break. */
  function copyAppPackage(): string {
    const dir = path.join(work.path, 'appPackage');
    cpSync(APP_PACKAGE, dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}build`) });
    return dir;
  }

  describe('packaging with a complete environment', () => {
    it('writes a zip holding the filled manifest and both icons at its root', () => {
      writeEnvFile(envDir, 'test', TEST_ENV);
      const result = buildAppPackage({ env: 'test', envDir, outDir, processEnv: {} });

      assert.equal(result.zipPath, path.join(outDir, 'appPackage.test.zip'));
      assert.equal(result.manifestPath, path.join(outDir, 'manifest.test.json'));
      const entries = unzipSync(readFileSync(result.zipPath));
      assert.deepEqual(Object.keys(entries).sort(), ['color.png', 'manifest.json', 'outline.png']);

      const manifestText = new TextDecoder().decode(entries['manifest.json']);
      assert.ok(!manifestText.includes('${{'), 'every placeholder is filled');
      const manifest = JSON.parse(manifestText) as Record<string, unknown>;
      const schema = loadManifestSchema(String(manifest.manifestVersion));
      assert.deepEqual(validateAgainstSchema(manifest, schema), []);
      assert.equal(readFileSync(result.manifestPath, 'utf8'), manifestText);

      assert.deepEqual(
        Buffer.from(entries['color.png'] ?? []),
        readFileSync(path.join(APP_PACKAGE, 'color.png')),
      );
      assert.deepEqual(
        Buffer.from(entries['outline.png'] ?? []),
        readFileSync(path.join(APP_PACKAGE, 'outline.png')),
      );
    });

    it('fills the bot, tabs and single sign-on from the environment', () => {
      writeEnvFile(envDir, 'test', TEST_ENV);
      const { manifest } = buildAppPackage({ env: 'test', envDir, outDir, processEnv: {} });
      const filled = manifest as {
        id: string;
        bots: { botId: string; scopes: string[]; commandLists: { commands: { title: string }[] }[] }[];
        staticTabs: { contentUrl?: string }[];
        configurableTabs: { configurationUrl: string }[];
        webApplicationInfo: { id: string; resource: string };
        validDomains: string[];
      };
      assert.equal(filled.id, TEST_ENV.TEAMS_APP_ID);
      assert.equal(filled.bots[0]?.botId, TEST_ENV.BOT_ID);
      assert.deepEqual(filled.bots[0]?.scopes, ['personal', 'team', 'groupChat']);
      const titles = new Set(
        filled.bots[0]?.commandLists.flatMap((list) => list.commands.map((c) => c.title)),
      );
      for (const command of ['engagement for', 'stale accounts', 'top accounts', 'my accounts', 'help']) {
        assert.ok(titles.has(command), `the bot offers "${command}"`);
      }
      assert.ok(
        filled.staticTabs.some((tab) => tab.contentUrl === `${TEST_ENV.TAB_ENDPOINT}/tab/#/customers`),
      );
      assert.equal(filled.configurableTabs[0]?.configurationUrl, `${TEST_ENV.TAB_ENDPOINT}/tab/#/config`);
      assert.deepEqual(filled.webApplicationInfo, {
        id: TEST_ENV.AAD_APP_CLIENT_ID,
        resource: `api://${TEST_ENV.TAB_DOMAIN}/${TEST_ENV.AAD_APP_CLIENT_ID}`,
      });
      assert.deepEqual(filled.validDomains, [TEST_ENV.TAB_DOMAIN]);
    });

    it('lets the .user file and then the process environment override the env file', () => {
      writeEnvFile(envDir, 'test', { ...TEST_ENV, DEVELOPER_NAME: 'From env file' });
      writeFileSync(path.join(envDir, '.env.test.user'), 'DEVELOPER_NAME=From user file\n');
      const fromUser = buildAppPackage({ env: 'test', envDir, outDir, processEnv: {} });
      assert.equal((fromUser.manifest.developer as { name: string }).name, 'From user file');

      const fromProcess = buildAppPackage({
        env: 'test',
        envDir,
        outDir,
        processEnv: { DEVELOPER_NAME: 'From process' },
      });
      assert.equal((fromProcess.manifest.developer as { name: string }).name, 'From process');
    });

    it('builds the same bytes twice', () => {
      writeEnvFile(envDir, 'test', TEST_ENV);
      const first = readFileSync(buildAppPackage({ env: 'test', envDir, outDir, processEnv: {} }).zipPath);
      const second = readFileSync(buildAppPackage({ env: 'test', envDir, outDir, processEnv: {} }).zipPath);
      assert.deepEqual(first, second);
    });
  });

  describe('failures, each with a clear line', () => {
    it('names every missing or empty variable and where the manifest uses it', () => {
      const { BOT_ID: _bot, TAB_DOMAIN: _domain, ...rest } = TEST_ENV;
      writeEnvFile(envDir, 'test', { ...rest, AAD_APP_CLIENT_ID: '' });
      const problems = expectProblems(
        () => buildAppPackage({ env: 'test', envDir, outDir, processEnv: {} }),
        /^BOT_ID is not set .* at \/bots\/0\/botId: set it in .*\.env\.test/,
        /^TAB_DOMAIN is not set .* at \/validDomains\/0, \/webApplicationInfo\/resource/,
        /^AAD_APP_CLIENT_ID is not set or empty/,
      );
      assert.equal(problems.length, 3, 'one line per variable');
      assert.deepEqual(readdirSync(work.path).includes('build'), false, 'nothing is written');
    });

    it('reports a schema violation with its path, e.g. a short name over 30 characters', () => {
      const appPackageDir = copyAppPackage();
      const manifestPath = path.join(appPackageDir, 'manifest.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: { short: string } };
      manifest.name.short = 'Account engagement for all sellers';
      writeFileSync(manifestPath, JSON.stringify(manifest));
      writeEnvFile(envDir, 'test', TEST_ENV);
      expectProblems(
        () => buildAppPackage({ env: 'test', envDir, outDir, appPackageDir, processEnv: {} }),
        /^manifest\.json \/name\/short: must NOT have more than 30 characters$/,
      );
    });

    it('reports a value of the wrong shape from the environment against the schema', () => {
      writeEnvFile(envDir, 'test', { ...TEST_ENV, BOT_ID: 'not-a-guid' });
      expectProblems(
        () => buildAppPackage({ env: 'test', envDir, outDir, processEnv: {} }),
        /^manifest\.json \/bots\/0\/botId: must match pattern/,
      );
    });

    it('reports a colour icon of the wrong size', () => {
      const appPackageDir = copyAppPackage();
      writeFileSync(
        path.join(appPackageDir, 'color.png'),
        png(100, 100, () => [15, 108, 189, 255]),
      );
      writeEnvFile(envDir, 'test', TEST_ENV);
      expectProblems(
        () => buildAppPackage({ env: 'test', envDir, outDir, appPackageDir, processEnv: {} }),
        /^color icon \(color\.png\) is 100×100 pixels; it must be exactly 192×192$/,
      );
    });

    it('reports an outline icon that is not white on transparent', () => {
      const appPackageDir = copyAppPackage();
      writeFileSync(
        path.join(appPackageDir, 'outline.png'),
        png(32, 32, (x) => (x < 16 ? [0, 0, 0, 255] : [255, 255, 255, 255])),
      );
      writeEnvFile(envDir, 'test', TEST_ENV);
      expectProblems(
        () => buildAppPackage({ env: 'test', envDir, outDir, appPackageDir, processEnv: {} }),
        /^outline icon \(outline\.png\) has no transparent pixel/,
        /^outline icon \(outline\.png\) must be white on transparent only, but 512 visible pixel\(s\) are not white/,
      );
    });

    it('reports an icon that is not a PNG file at all', () => {
      const appPackageDir = copyAppPackage();
      writeFileSync(path.join(appPackageDir, 'color.png'), 'GIF89a not a png');
      writeEnvFile(envDir, 'test', TEST_ENV);
      expectProblems(
        () => buildAppPackage({ env: 'test', envDir, outDir, appPackageDir, processEnv: {} }),
        /^color icon \(color\.png\) is not a PNG file/,
      );
    });

    it('reports an environment without an env file', () => {
      expectProblems(
        () => buildAppPackage({ env: 'nowhere', envDir, outDir, processEnv: {} }),
        /\.env\.nowhere does not exist/,
      );
    });
  });

  describe('building blocks', () => {
    it('keeps substituted values inside their JSON strings', () => {
      const filled = fillPlaceholders({ a: ['x ${{ NAME }} y'], b: 1 }, { NAME: 'say "hi"\\' });
      assert.deepEqual(filled, { a: ['x say "hi"\\ y'], b: 1 });
    });

    it('accepts the committed icons', () => {
      const color = readFileSync(path.join(APP_PACKAGE, 'color.png'));
      const outline = readFileSync(path.join(APP_PACKAGE, 'outline.png'));
      assert.deepEqual(checkIcon(color, { ...COLOR_ICON, label: 'color.png' }), []);
      assert.deepEqual(checkIcon(outline, { ...OUTLINE_ICON, label: 'outline.png' }), []);
    });

    it('accepts anti-aliased white edges in the outline icon', () => {
      const bytes = png(32, 32, (x, y) =>
        x > 8 && x < 24 && y > 8 && y < 24 ? [255, 255, 255, x === 9 ? 90 : 255] : [0, 0, 0, 0],
      );
      assert.deepEqual(checkIcon(bytes, { ...OUTLINE_ICON, label: 'outline.png' }), []);
    });

    it('targets a generally available manifest version whose schema is bundled', () => {
      const manifest = JSON.parse(readFileSync(path.join(APP_PACKAGE, 'manifest.json'), 'utf8')) as {
        manifestVersion: string;
        $schema: string;
      };
      assert.match(manifest.manifestVersion, /^1\.\d+$/, 'a numbered (not devPreview) version');
      assert.ok(
        readdirSync(bundledSchemasDir()).includes(`v${manifest.manifestVersion}`),
        'its schema ships with @microsoft/app-manifest',
      );
      assert.equal(
        manifest.$schema,
        `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
      );
    });

    it('flags a $schema that does not match manifestVersion', () => {
      writeEnvFile(envDir, 'test', TEST_ENV);
      const { manifest } = buildAppPackage({ env: 'test', envDir, outDir, processEnv: {} });
      const problems = validateManifest({
        ...manifest,
        $schema: String(manifest.$schema).replace('/v1.', '/v0.'),
      });
      assert.ok(
        problems.some((line) => /\/\$schema: .* does not match manifestVersion/.test(line)),
        problems.join('\n'),
      );
    });

    it('validates the --env argument', () => {
      assert.deepEqual(parsePackageArgs(['--env', 'dev']), { env: 'dev' });
      assert.deepEqual(parsePackageArgs(['--env=prod']), { env: 'prod' });
      assert.deepEqual(parsePackageArgs(['-e', 'test']), { env: 'test' });
      assert.throws(
        () => parsePackageArgs([]),
        (error: PackageError) => /--env is required/.test(error.message),
      );
      assert.throws(() => parsePackageArgs(['--env', '../etc']), /--env must be an environment name/);
      assert.throws(() => parsePackageArgs(['--env', 'dev', '--zip']), /Unknown option '--zip'/);
    });

    it('returns a non-zero exit code with the problem on stderr', () => {
      const errors: string[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void errors.push(args.join(' '));
      try {
        assert.equal(main(['--env', 'no-such-environment']), 1);
      } finally {
        console.error = original;
      }
      assert.match(errors.join('\n'), /\.env\.no-such-environment does not exist/);
    });

    it('runs as a command', () => {
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'scripts/package-app.ts', '--env', 'Bad/Name'],
        {
          cwd: PROJECT_ROOT,
          encoding: 'utf8',
        },
      );
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /✖ --env must be an environment name/);
    });
  });
});
