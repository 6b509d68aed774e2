import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const FROM_TESTS = { regex: '(^|/)test/', message: 'Only test/ may import from test/.' };
const STORE_ONLY = 'Only core/store speaks to Cosmos DB: add a method there.';
const COSMOS_SDK = { group: ['@azure/cosmos'], message: STORE_ONLY };
const BOTBUILDER = {
  name: 'botbuilder',
  message: 'Only bot/botbuilder knows the Bot Framework SDK; the bot logic uses bot/channel.ts.',
};
/** Cosmos DB SQL, in a string or a template, outside the store. */
const SQL_TEXT = [
  { selector: 'Literal[value=/^\\s*SELECT\\s/i]', message: STORE_ONLY },
  { selector: 'TemplateElement[value.raw=/^\\s*SELECT\\s/i]', message: STORE_ONLY },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'tab/dist/', 'appPackage/build/', '.data/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Product code (the local stack and the Graph simulator included) never depends on the tests,
    // and only the store (and the embedded Cosmos DB in local/) knows Cosmos DB.
    ignores: ['test/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [FROM_TESTS, COSMOS_SDK] }],
      'no-restricted-syntax': ['error', ...SQL_TEXT],
    },
  },
  {
    files: ['core/store/**', 'local/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [FROM_TESTS] }],
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['test/**', 'bot/botbuilder/**', 'server/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [BOTBUILDER] }] },
  },
  {
    // The server's wiring hands the Cosmos DB client to the store: it may name its type, no more.
    files: ['server/**'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@azure/cosmos', message: STORE_ONLY, allowTypeImports: true }, BOTBUILDER],
          patterns: [FROM_TESTS],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
