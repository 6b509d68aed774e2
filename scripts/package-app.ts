/**
 * Builds the Teams app package for one environment, offline:
 *
 *   npm run package -- --env dev
 *
 * 1. reads `env/.env.<env>`, then `env/.env.<env>.user`, then the process environment (later wins);
 * 2. fills every `${{NAME}}` placeholder of `appPackage/manifest.json` (all missing names are reported);
 * 3. validates the filled manifest against the official JSON schema of its `manifestVersion`, as bundled
 *    in `@microsoft/app-manifest` (no download);
 * 4. checks the icons: real PNG files, colour 192×192, outline 32×32 with a transparent background and
 *    white only;
 * 5. writes `appPackage/build/appPackage.<env>.zip` (manifest.json and the two icons at its root) and
 *    `appPackage/build/manifest.<env>.json`.
 *
 * Every problem found is printed on its own line and the command exits non-zero; nothing is written then.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { AnySchema, ErrorObject, ValidateFunction } from 'ajv';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parse as parseDotenv } from 'dotenv';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { z } from 'zod';

const scriptDir = path.dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = path.resolve(scriptDir, '..');

/** Everything that went wrong, one readable line each. */
export class PackageError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'PackageError';
  }
}

// ---------------------------------------------------------------------------------------------
// Arguments

const environmentName = z
  .string({ error: 'is required, e.g. --env dev' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, {
    error: 'must be an environment name such as dev or prod (letters, digits, "-" and "_")',
  });

const argsSchema = z.object({ env: environmentName });

export type PackageArgs = z.infer<typeof argsSchema>;

/** Parses `--env <name>` (or `-e <name>`, `--env=<name>`); throws a PackageError on anything else. */
export function parsePackageArgs(argv: string[]): PackageArgs {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      options: { env: { type: 'string', short: 'e' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new PackageError([`${(error as Error).message}. Usage: npm run package -- --env <environment>`]);
  }
  const result = argsSchema.safeParse(values);
  if (!result.success) {
    throw new PackageError(
      result.error.issues.map((issue) => `--${issue.path.join('.') || 'env'} ${issue.message}`),
    );
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// Environment and placeholders

export interface EnvironmentSources {
  /** Folder holding `.env.<env>` and `.env.<env>.user`. */
  envDir: string;
  /** Variables that win over the files (defaults to process.env). */
  processEnv?: Record<string, string | undefined>;
}

/** Reads `.env.<env>`, then `.env.<env>.user`, then the process environment; later sources win. */
export function loadEnvironment(env: string, sources: EnvironmentSources): Record<string, string> {
  const files = [path.join(sources.envDir, `.env.${env}`), path.join(sources.envDir, `.env.${env}.user`)];
  const merged: Record<string, string> = {};
  for (const file of files) {
    if (existsSync(file)) Object.assign(merged, parseDotenv(readFileSync(file)));
  }
  for (const [name, value] of Object.entries(sources.processEnv ?? process.env)) {
    if (value !== undefined) merged[name] = value;
  }
  return merged;
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

function pointer(segments: (string | number)[]): string {
  return '/' + segments.map((s) => String(s).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
}

/**
 * Replaces every `${{NAME}}` inside the strings of a JSON value. Substitution happens on parsed
 * strings, so values are never able to break the JSON. A variable that is unset or empty is
 * reported with every place that uses it.
 */
export function fillPlaceholders(
  template: unknown,
  variables: Record<string, string>,
  where = 'the manifest',
  hint = 'set it in the environment file or the process environment',
): unknown {
  const missing = new Map<string, string[]>();
  const visit = (value: unknown, at: (string | number)[]): unknown => {
    if (typeof value === 'string') {
      return value.replace(PLACEHOLDER, (whole, name: string) => {
        const replacement = variables[name];
        if (replacement === undefined || replacement.trim() === '') {
          missing.set(name, [...(missing.get(name) ?? []), pointer(at)]);
          return whole;
        }
        return replacement.trim();
      });
    }
    if (Array.isArray(value)) return value.map((item, index) => visit(item, [...at, index]));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, visit(item, [...at, key])]));
    }
    return value;
  };
  const filled = visit(template, []);
  if (missing.size > 0) {
    throw new PackageError(
      [...missing].map(
        ([name, places]) =>
          `${name} is not set or empty, but ${where} uses it at ${places.join(', ')}: ${hint}`,
      ),
    );
  }
  return filled;
}

// ---------------------------------------------------------------------------------------------
// Schema validation

const requireFromHere = createRequire(import.meta.url);

/** The folder of the official Teams app manifest schemas shipped in `@microsoft/app-manifest`. */
export function bundledSchemasDir(): string {
  const packageJson = requireFromHere.resolve('@microsoft/app-manifest/package.json');
  return path.join(path.dirname(packageJson), 'build', 'json-schemas', 'teams');
}

const schemaCache = new Map<string, AnySchema>();

/** Loads the bundled schema for a manifest version such as "1.30" or "devPreview". */
export function loadManifestSchema(manifestVersion: string, schemasDir = bundledSchemasDir()): AnySchema {
  const folder = manifestVersion === 'devPreview' ? 'vDevPreview' : `v${manifestVersion}`;
  const file = path.join(schemasDir, folder, 'MicrosoftTeams.schema.json');
  if (!/^(\d+\.\d+|devPreview)$/.test(manifestVersion) || !existsSync(file)) {
    throw new PackageError([
      `manifestVersion "${manifestVersion}" has no schema bundled in @microsoft/app-manifest (looked for ${path.relative(PROJECT_ROOT, file)})`,
    ]);
  }
  const cached = schemaCache.get(file);
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(file, 'utf8')) as AnySchema;
  schemaCache.set(file, schema);
  return schema;
}

const validators = new WeakMap<object, ValidateFunction>();

/** Compiles with the JSON Schema draft the schema declares (the Teams schemas declare draft-04). */
function compile(schema: AnySchema): ValidateFunction {
  const key = schema as object;
  const cached = validators.get(key);
  if (cached) return cached;
  const declared = typeof schema === 'object' && '$schema' in schema ? String(schema.$schema) : '';
  const options = { allErrors: true, strict: false } as const;
  const ajv = declared.includes('draft-04')
    ? new AjvDraft04(options)
    : declared.includes('2020-12')
      ? new Ajv2020(options)
      : new Ajv(options);
  addFormats(ajv);
  const validate = ajv.compile(schema);
  validators.set(key, validate);
  return validate;
}

function describe(error: ErrorObject): string {
  const at = error.instancePath === '' ? '(root)' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') {
    message = `has a property the schema does not allow: "${String(params.additionalProperty)}"`;
  } else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    message = `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  } else if (error.keyword === 'const') {
    message = `must be ${JSON.stringify(params.allowedValue)}`;
  }
  return `${at}: ${message}`;
}

/** Validates a manifest against a schema; returns one "path: message" line per violation. */
export function validateAgainstSchema(manifest: unknown, schema: AnySchema): string[] {
  const validate = compile(schema);
  if (validate(manifest)) return [];
  const lines = (validate.errors ?? []).map(describe);
  return [...new Set(lines)];
}

/** Validates a filled manifest against the bundled schema of its own `manifestVersion`. */
export function validateManifest(manifest: unknown, schemasDir?: string): string[] {
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    return ['(root): the manifest must be a JSON object'];
  }
  const record = manifest as Record<string, unknown>;
  const version = record.manifestVersion;
  if (typeof version !== 'string') return ['/manifestVersion: must be a string such as "1.30"'];
  const schema = loadManifestSchema(version, schemasDir);
  const problems = validateAgainstSchema(manifest, schema).map((line) => `manifest.json ${line}`);
  const declared = record.$schema;
  const folder = version === 'devPreview' ? 'vDevPreview' : `v${version}`;
  if (typeof declared === 'string' && !declared.includes(`/${folder}/`)) {
    problems.push(`manifest.json /$schema: "${declared}" does not match manifestVersion "${version}"`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Icons

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface IconRule {
  /** What the icon is called in messages, e.g. "color icon (color.png)". */
  label: string;
  width: number;
  height: number;
  /** Outline icons: transparent background and white only. */
  outline: boolean;
}

export const COLOR_ICON: Omit<IconRule, 'label'> = { width: 192, height: 192, outline: false };
export const OUTLINE_ICON: Omit<IconRule, 'label'> = { width: 32, height: 32, outline: true };

/** Lowest channel value still taken as white (anti-aliased edges may be a shade off). */
const WHITE_FLOOR = 250;

/** Checks one icon file's bytes; returns one line per problem. */
export function checkIcon(bytes: Buffer, rule: IconRule): string[] {
  if (bytes.length < PNG_SIGNATURE.length || !bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
    return [`${rule.label} is not a PNG file (its first bytes are not the PNG signature)`];
  }
  let png;
  try {
    png = PNG.sync.read(bytes);
  } catch (error) {
    return [`${rule.label} is not a readable PNG: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  if (png.width !== rule.width || png.height !== rule.height) {
    problems.push(
      `${rule.label} is ${png.width}×${png.height} pixels; it must be exactly ${rule.width}×${rule.height}`,
    );
  }
  if (!rule.outline) return problems;

  if (!png.alpha) {
    problems.push(`${rule.label} has no transparency; its background must be transparent`);
    return problems;
  }
  let transparent = 0;
  let visible = 0;
  let notWhite = 0;
  let firstNotWhite = '';
  for (let i = 0; i < png.width * png.height; i++) {
    const r = png.data[i * 4] ?? 0;
    const g = png.data[i * 4 + 1] ?? 0;
    const b = png.data[i * 4 + 2] ?? 0;
    const a = png.data[i * 4 + 3] ?? 0;
    if (a === 0) {
      transparent++;
      continue;
    }
    visible++;
    if (r < WHITE_FLOOR || g < WHITE_FLOOR || b < WHITE_FLOOR) {
      if (notWhite === 0) {
        firstNotWhite = `(${i % png.width}, ${Math.floor(i / png.width)}) is rgb(${r}, ${g}, ${b})`;
      }
      notWhite++;
    }
  }
  if (transparent === 0)
    problems.push(`${rule.label} has no transparent pixel; its background must be transparent`);
  if (visible === 0) problems.push(`${rule.label} is fully transparent; it must show a white outline`);
  if (notWhite > 0) {
    problems.push(
      `${rule.label} must be white on transparent only, but ${notWhite} visible pixel(s) are not white, e.g. ${firstNotWhite}`,
    );
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Packaging

export interface PackageOptions {
  env: string;
  /** Project folder (defaults to the repository root). */
  rootDir?: string;
  /** Defaults to `<rootDir>/env`. */
  envDir?: string;
  /** Folder with manifest.json and its icons; defaults to `<rootDir>/appPackage`. */
  appPackageDir?: string;
  /** Output folder; defaults to `<appPackageDir>/build`. */
  outDir?: string;
  /** Variables that win over the env files (defaults to process.env). */
  processEnv?: Record<string, string | undefined>;
  /** Folder of the Teams manifest schemas (defaults to the one in @microsoft/app-manifest). */
  schemasDir?: string;
}

export interface PackageResult {
  zipPath: string;
  manifestPath: string;
  manifest: Record<string, unknown>;
  /** Names of the files at the root of the zip. */
  files: string[];
}

/** A fixed timestamp keeps the zip byte-for-byte reproducible for the same inputs. */
const ZIP_MTIME = new Date('2020-01-01T00:00:00Z');

function readIconPath(manifest: Record<string, unknown>, key: 'color' | 'outline'): string | undefined {
  const icons = manifest.icons;
  if (icons === null || typeof icons !== 'object') return undefined;
  const value = (icons as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/** Fills, validates and zips the app package; throws a PackageError listing every problem. */
export function buildAppPackage(options: PackageOptions): PackageResult {
  const parsedEnv = environmentName.safeParse(options.env);
  if (!parsedEnv.success) {
    throw new PackageError([`--env ${parsedEnv.error.issues[0]?.message ?? 'is invalid'}`]);
  }
  const env = parsedEnv.data;
  const rootDir = options.rootDir ?? PROJECT_ROOT;
  const envDir = options.envDir ?? path.join(rootDir, 'env');
  const appPackageDir = options.appPackageDir ?? path.join(rootDir, 'appPackage');
  const outDir = options.outDir ?? path.join(appPackageDir, 'build');
  const templatePath = path.join(appPackageDir, 'manifest.json');

  if (!existsSync(templatePath)) throw new PackageError([`${templatePath} does not exist`]);
  let template: unknown;
  try {
    template = JSON.parse(readFileSync(templatePath, 'utf8'));
  } catch (error) {
    throw new PackageError([`appPackage/manifest.json is not valid JSON: ${(error as Error).message}`]);
  }

  const envFile = path.relative(rootDir, path.join(envDir, `.env.${env}`)) || `.env.${env}`;
  if (!existsSync(path.join(envDir, `.env.${env}`))) {
    throw new PackageError([`${envFile} does not exist: create it or choose another environment with --env`]);
  }
  const variables = loadEnvironment(env, {
    envDir,
    ...(options.processEnv ? { processEnv: options.processEnv } : {}),
  });
  const manifest = fillPlaceholders(
    template,
    variables,
    'appPackage/manifest.json',
    `set it in ${envFile}, ${envFile}.user or the process environment (provision fills most of them)`,
  ) as Record<string, unknown>;

  const problems = validateManifest(manifest, options.schemasDir);

  const icons: [string, Buffer][] = [];
  for (const [key, rule] of [
    ['color', COLOR_ICON],
    ['outline', OUTLINE_ICON],
  ] as const) {
    const relative = readIconPath(manifest, key);
    if (relative === undefined) continue; // the schema check already reports a missing icon
    const label = `${key} icon (${relative})`;
    if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes('..')) {
      problems.push(`${label} must be a file inside appPackage/`);
      continue;
    }
    const file = path.join(appPackageDir, relative);
    if (!existsSync(file)) {
      problems.push(`${label} does not exist at appPackage/${relative}`);
      continue;
    }
    const bytes = readFileSync(file);
    problems.push(...checkIcon(bytes, { ...rule, label }));
    icons.push([relative.replaceAll('\\', '/'), bytes]);
  }

  if (problems.length > 0) throw new PackageError(problems);

  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {
    'manifest.json': [new TextEncoder().encode(manifestText), { mtime: ZIP_MTIME }],
  };
  for (const [name, bytes] of icons) entries[name] = [new Uint8Array(bytes), { mtime: ZIP_MTIME }];
  const zip = zipSync(entries, { level: 9 });

  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `appPackage.${env}.zip`);
  const manifestPath = path.join(outDir, `manifest.${env}.json`);
  writeFileSync(zipPath, zip);
  writeFileSync(manifestPath, manifestText);
  return { zipPath, manifestPath, manifest, files: Object.keys(entries) };
}

// ---------------------------------------------------------------------------------------------
// Command line

export function main(argv: string[]): number {
  try {
    const { env } = parsePackageArgs(argv);
    const result = buildAppPackage({ env });
    console.log(`App package for "${env}": ${path.relative(process.cwd(), result.zipPath)}`);
    console.log(`Filled manifest:  ${path.relative(process.cwd(), result.manifestPath)}`);
    return 0;
  } catch (error) {
    if (error instanceof PackageError) {
      console.error(`The app package was not built (${error.problems.length} problem(s)):`);
      for (const problem of error.problems) console.error(`  ✖ ${problem}`);
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
