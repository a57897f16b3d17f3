import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// The docs Construct Hub, API.md and the Python, Java and Go packages show come from the jsii assembly (.jsii), which
// `compile` writes before `test` runs in the build. jsii takes as a doc comment's summary its first paragraph when
// that is short, or else its text up to the first `.`, `!`, `?` or `;` followed by a space (jsii's docs.ts,
// splitSummary); a comment whose first sentence is not whole reads cut off there, such as "Stop the document;".

interface Docs { readonly summary?: string; readonly remarks?: string; readonly example?: string }
interface Documented { readonly name?: string; readonly docs?: Docs; readonly static?: boolean }
interface JsiiType extends Documented {
  readonly fqn: string;
  readonly kind: string;
  readonly base?: string;
  readonly properties?: Documented[];
  readonly methods?: Documented[];
  readonly members?: Documented[];
}

const assemblyPath = path.join(__dirname, '..', '..', '.jsii');
const types: JsiiType[] = fs.existsSync(assemblyPath)
  ? Object.values(JSON.parse(fs.readFileSync(assemblyPath, 'utf8')).types)
  : [];

function documented(): Array<[string, Docs | undefined]> {
  const all: Array<[string, Docs | undefined]> = [];
  for (const type of types) {
    all.push([type.fqn, type.docs]);
    for (const member of [...type.properties ?? [], ...type.methods ?? [], ...type.members ?? []]) {
      all.push([`${type.fqn}.${member.name}`, member.docs]);
    }
  }
  return all;
}

/** Why a summary reads cut off, or undefined when it is a whole sentence. */
function cutSummary(docs: Docs | undefined): string | undefined {
  const summary = docs?.summary;
  if (!summary) return 'no summary';
  if (/[;:,]$/.test(summary)) return `ends with '${summary.slice(-1)}'`;
  if (/\b(e\.g|i\.e|etc|vs|cf)\.$/i.test(summary)) return 'ends with an abbreviation';
  if (summary.split('(').length !== summary.split(')').length) return 'unbalanced parentheses';
  if (summary.split('`').length % 2 === 0) return 'unbalanced backquotes';
  if (/^[a-z]/.test(docs?.remarks?.trim() ?? '')) return 'the remarks go on with the same sentence';
  return undefined;
}

test('the assembly is there (compile runs before the tests)', () => {
  expect(types.length).toBeGreaterThan(0);
});

test('every summary in the assembly is a whole sentence', () => {
  const cut = documented()
    .map(([where, docs]) => [where, cutSummary(docs), docs?.summary])
    .filter(([, why]) => why !== undefined);
  expect(cut).toEqual([]);
});

test('the check finds the summaries jsii cuts off', () => {
  expect(cutSummary({ summary: 'Stop the document;', remarks: 'the command fails.' })).toBe("ends with ';'");
  expect(cutSummary({ summary: 'Documents of other kinds, e.g.', remarks: 'Automation runbooks.' })).toBe('ends with an abbreviation');
  expect(cutSummary({ summary: '`AWS-RunShellScript` (Command document;' })).toBe("ends with ';'");
  expect(cutSummary({ summary: 'The nodes (instance IDs.', remarks: 'Tags or resource groups).' })).toBe('unbalanced parentheses');
  expect(cutSummary({ summary: 'Stop the document.', remarks: 'and the command fails.' })).toBe('the remarks go on with the same sentence');
  expect(cutSummary({ summary: 'Stop the document, and the command fails.' })).toBeUndefined();
});

test('every construct class has an example', () => {
  const constructs = types.filter((type) => type.kind === 'class' && ['aws-cdk-lib.Resource', 'constructs.Construct', 'cdk-ssm-ops.Document'].includes(type.base ?? ''));
  expect(constructs.length).toBeGreaterThan(5);
  expect(constructs.filter((type) => !type.docs?.example).map((type) => type.fqn)).toEqual([]);
});

// jsii-rosetta (post-compile, before the tests in the build) writes the examples' translations into .jsii.tabl.json.
// Its Python translation turns the keys of an object whose type it doesn't know into snake_case, quoted keys of a
// nested object included, so `{ schemaVersion: '2.2' }` given as document content would read `{"schema_version": ...}`
// and fail synth in Python. Examples write such content as text, or quote the keys of a map (README, "In other
// languages").
interface Snippet { readonly location: unknown; readonly translations: Record<string, { readonly source: string }> }
const tabletPath = path.join(__dirname, '..', '..', '.jsii.tabl.json');

test('no example\'s Python version renames the key of a map or of document content', () => {
  expect(fs.existsSync(tabletPath)).toBe(true);
  const snippets: Snippet[] = Object.values(JSON.parse(fs.readFileSync(tabletPath, 'utf8')).snippets);
  expect(snippets.length).toBeGreaterThan(0);
  const renamed = snippets.flatMap((snippet) => [...snippet.translations.python.source.matchAll(/"([A-Za-z0-9]+_[A-Za-z0-9_]+)"\s*:/g)]
    .map((match) => match[1])
    .filter((key) => !snippet.translations.$.source.includes(key))
    .map((key) => [JSON.stringify(snippet.location), key]));
  expect(renamed).toEqual([]);
});

// jsii-rosetta's Go version of a shorthand property (`{ bucket }`) capitalizes the variable too (`Bucket: *Bucket`),
// which does not compile in Go; examples write `bucket: logBucket`.
test('no example\'s Go version capitalizes a variable given as a shorthand property', () => {
  const snippets: Snippet[] = Object.values(JSON.parse(fs.readFileSync(tabletPath, 'utf8')).snippets);
  const shorthands = snippets.flatMap((snippet) => [...snippet.translations.go.source.matchAll(/\b([A-Z]\w*): \*?\1\b/g)]
    .map((match) => [JSON.stringify(snippet.location), match[0]]));
  expect(shorthands).toEqual([]);
});

// Rosetta writes what it can't translate as it is: a `!` inside a template literal became a Python f-string that does
// not parse (`f"{patch.run!.executionId}"`). Every Python version must at least parse.
test('every example\'s Python version parses', () => {
  const snippets: Snippet[] = Object.values(JSON.parse(fs.readFileSync(tabletPath, 'utf8')).snippets);
  const check = 'import ast, json, sys\nfor where, source in json.load(sys.stdin):\n    try:\n        ast.parse(source)\n'
    + '    except SyntaxError as error:\n        print(where, error)\n';
  const result = spawnSync('python3', ['-c', check], {
    input: JSON.stringify(snippets.map((snippet) => [JSON.stringify(snippet.location), snippet.translations.python.source])),
    encoding: 'utf8',
  });
  expect(result.status).toBe(0);
  expect(result.stdout).toBe('');
});
