#!/usr/bin/env node
// Compares the template a language's app synthesized with the one scripts/polyglot/app.ts synthesized in TypeScript.
//   node scripts/polyglot/compare.js LANGUAGE EXPECTED_CDK_OUT ACTUAL_CDK_OUT [STACK]
// They must be equal as JSON values, with two things set aside:
// - asset hashes (64 hex digits, in S3 keys and asset metadata): an asset's hash is that of its files as the language's
//   runtime unpacked them; whether they are equal too is printed, not asserted;
// - the order of an object's keys: JSON objects have none, and CloudFormation reads them so. A Java Map.of or a Go map
//   has no order either, so a map a user wrote reaches the library in another order; where it differs is printed.
// Everything else counts, array order included. Exits 1, listing the differences, when they are not equal.
'use strict';
const fs = require('fs');
const path = require('path');

const [language, expectedDir, actualDir, stackName = 'CdkSsmOpsPolyglot'] = process.argv.slice(2);
if (!actualDir) {
  console.error('usage: compare.js LANGUAGE EXPECTED_CDK_OUT ACTUAL_CDK_OUT [STACK]');
  process.exit(2);
}

function readTemplate(dir) {
  const file = path.join(dir, `${stackName}.template.json`);
  if (!fs.existsSync(file)) {
    console.error(`polyglot: ${file} is missing: the app did not synthesize stack ${stackName}`);
    process.exit(1);
  }
  return JSON.parse(fs.readFileSync(file, 'utf-8'));
}

const HASH = /[0-9a-f]{64}/g;

/** The value with asset hashes masked and object keys sorted. */
function normalize(value) {
  if (typeof value === 'string') {
    return value.replace(HASH, '<asset hash>');
  }
  if (Array.isArray(value)) {
    return value.map(normalize);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, normalize(value[key])]));
  }
  return value;
}

/** The paths at which two normalized values differ, with both sides. */
function differences(expected, actual, at = '', found = []) {
  const kind = (v) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  if (kind(expected) !== kind(actual) || (kind(expected) !== 'object' && kind(expected) !== 'array' && expected !== actual)) {
    found.push({ at: at || '(template)', expected, actual });
  } else if (kind(expected) === 'array') {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      differences(expected[i], actual[i], `${at}[${i}]`, found);
    }
  } else if (kind(expected) === 'object') {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      differences(expected[key], actual[key], at ? `${at}.${key}` : key, found);
    }
  }
  return found;
}

/** The paths of objects whose keys come in another order (compared on the raw templates, where keys match). */
function keyOrderDifferences(expected, actual, at = '', found = []) {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    expected.forEach((item, i) => keyOrderDifferences(item, actual[i], `${at}[${i}]`, found));
  } else if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    if (Object.keys(expected).join('\n') !== Object.keys(actual).join('\n')) {
      found.push(at || '(template)');
    }
    for (const key of Object.keys(expected)) {
      keyOrderDifferences(expected[key], actual[key], at ? `${at}.${key}` : key, found);
    }
  }
  return found;
}

const show = (value) => (value === undefined ? '(absent)' : JSON.stringify(value));
const expected = readTemplate(expectedDir);
const actual = readTemplate(actualDir);
const found = differences(normalize(expected), normalize(actual));
if (found.length > 0) {
  console.error(`polyglot: the ${language} template of ${stackName} differs from TypeScript's at ${found.length} place(s):`);
  for (const { at, expected: e, actual: a } of found.slice(0, 30)) {
    console.error(`  ${at}\n    TypeScript: ${show(e)}\n    ${language}: ${show(a)}`);
  }
  if (found.length > 30) {
    console.error(`  … and ${found.length - 30} more`);
  }
  console.error(`  templates: ${path.join(expectedDir, `${stackName}.template.json`)} and ${path.join(actualDir, `${stackName}.template.json`)}`);
  process.exit(1);
}

const hashes = (template) => [...new Set(JSON.stringify(template).match(HASH) ?? [])].sort().join(',');
const hashCount = new Set(JSON.stringify(expected).match(HASH) ?? []).size;
const orders = keyOrderDifferences(expected, actual);
const resources = Object.keys(expected.Resources ?? {}).length;
console.log(`polyglot: the ${language} template of ${stackName} equals TypeScript's (${resources} resources)`);
console.log(`  asset hashes (${hashCount}): ${hashes(expected) === hashes(actual) ? 'equal too' : 'differ (set aside)'}`);
console.log(`  key order: ${orders.length === 0 ? 'the same' : `differs at ${orders.join(', ')} (set aside)`}`);
