#!/usr/bin/env node
// Independent verifier of E2eChat's published test vectors.
// Usage: node tests/verifier/verify.mjs <vectors-dir>
// Prints "<file>: N checked, M failed" per vector file and "verifier: N passed, M failed"; details
// of every failure go to stderr. Exits 1 if anything failed, on an unknown file or kind, or when no
// vector was checked at all.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkFile, KnownFiles } from './lib/vectors.mjs';

function main(argv) {
  if (argv.length !== 1) {
    process.stderr.write('usage: node verify.mjs <vectors-dir>\n');
    return 2;
  }
  const dir = argv[0];
  let entries;
  try {
    entries = readdirSync(dir).filter((f) => f.endsWith('.json') && statSync(join(dir, f)).isFile());
  } catch (e) {
    process.stderr.write(`cannot read ${dir}: ${e.message}\n`);
    return 2;
  }
  const known = Object.keys(KnownFiles);
  const ordered = [...known.filter((f) => entries.includes(f)), ...entries.filter((f) => !known.includes(f)).sort()];
  let checked = 0;
  let passed = 0;
  let failed = 0;
  for (const file of ordered) {
    let result;
    try {
      const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      result = checkFile(file, doc);
    } catch (e) {
      result = { checked: 0, passed: 0, failed: 1, problems: [`cannot parse: ${e.message}`] };
    }
    for (const p of result.problems) process.stderr.write(`FAIL ${file}: ${p}\n`);
    process.stdout.write(`${file}: ${result.checked} checked, ${result.failed} failed\n`);
    checked += result.checked;
    passed += result.passed;
    failed += result.failed;
  }
  process.stdout.write(`verifier: ${passed} passed, ${failed} failed\n`);
  if (checked === 0) process.stderr.write('no vectors checked\n');
  return failed > 0 || checked === 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
