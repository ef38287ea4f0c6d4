// ESLint over every .js/.mjs file of the repository (run from tests/js: `npm run lint`). The
// shipped scripts are plain scripts (the site works from file://); the editor's parts share one
// scope (src/editor/page.rs concatenates them inside one function), so each part may use what
// the others declare at their top level, and only that.
import { readFileSync, readdirSync } from 'node:fs';
import js from '@eslint/js';
import globals from 'globals';

const ROOT = new URL('../../', import.meta.url);
const EDITOR = 'src/editor/js/';

/** The names the editor's parts declare at their top level: the scope they share. */
function editorScope() {
  const names = {};
  for (const file of readdirSync(new URL(EDITOR, ROOT))) {
    const text = readFileSync(new URL(EDITOR + file, ROOT), 'utf8');
    for (const m of text.matchAll(/^(?:function|var|let|const) ([A-Za-z_$][\w$]*)/gm)) { names[m[1]] = 'writable'; }
  }
  return names;
}

const script = {
  sourceType: 'script',
  ecmaVersion: 2022,
  globals: { ...globals.browser },
};

export default [
  {
    ignores: ['**/node_modules/**', 'target/**', 'tests/browser/artifacts/**', 'fuzz/**'],
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...js.configs.recommended,
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    rules: {
      // The shipped scripts name the caught error (`catch (e)`: no optional catch binding, for
      // older browsers) and give a variable its fallback before a `try` that may replace it.
      'no-unused-vars': ['error', { caughtErrors: 'none' }],
      'no-useless-assignment': 'off',
    },
  },
  {
    files: ['themes/**/*.js', 'src/serve/*.js'],
    languageOptions: script,
  },
  {
    files: [`${EDITOR}*.js`],
    languageOptions: { ...script, globals: { ...script.globals, ...editorScope() } },
    rules: {
      // A part's top-level function is for the other parts.
      'no-unused-vars': ['error', { vars: 'local', args: 'none', caughtErrors: 'none' }],
      'no-redeclare': ['error', { builtinGlobals: false }],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      ecmaVersion: 2024,
      // Node, and the browser's names inside functions Playwright runs in the page.
      globals: { ...globals.node, ...globals.browser },
    },
  },
];
