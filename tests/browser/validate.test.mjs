// The Nu Html Checker (npm vnu-jar; needs Java) over every page: zero errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SITE, sitePages } from './lib.mjs';

const require = createRequire(import.meta.url);
const vnu = require('vnu-jar');

test('the Nu Html Checker reports zero errors on every page', () => {
  const pages = sitePages().map((p) => join(SITE, p));
  let out;
  try {
    out = execFileSync('java', ['-Xss8m', '-jar', vnu, '--errors-only', '--format', 'json', ...pages], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    // vnu exits 1 when it finds errors and writes its JSON report to stderr.
    out = err.stderr || err.stdout;
  }
  const text = out && out.trim() ? out : '{"messages":[]}';
  const report = JSON.parse(text.slice(text.indexOf('{')));
  const errors = report.messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
  const shown = errors.map((m) => `${m.url?.replace(/^file:.*?\/public\//, '')}:${m.lastLine}: ${m.message}`);
  console.log(`# vnu: ${pages.length} pages checked, ${errors.length} errors`);
  assert.equal(errors.length, 0, `\n${shown.join('\n')}`);
});
