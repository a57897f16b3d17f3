import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommandDocument } from '../../src';
import { show } from '../../src/private/errors';
import { testStack } from '../util';

describe('show', () => {
  test('shows short values whole', () => {
    expect(show('AWS-RunShellScript')).toBe("'AWS-RunShellScript'");
    expect(show(['a', 'b'])).toBe('["a","b"]');
    expect(show(undefined)).toBe('undefined');
  });

  test('cuts long text at 80 characters, keeping its beginning', () => {
    const text = `cron(0 ${'1,'.repeat(60)}2 * * ? *)`;
    expect(show(text)).toBe(`'${text.slice(0, 77)}...'`);
    expect(show({ list: 'x'.repeat(100) })).toBe(`${JSON.stringify({ list: 'x'.repeat(100) }).slice(0, 77)}...`);
  });

  test.each([
    ['an absolute path', `/home/ci/${'x'.repeat(150)}/repo/test/document/fixtures/not-yaml.txt`],
    ['a Windows path', `C:\\Users\\ci\\${'x'.repeat(150)}\\repo\\fixtures\\not-yaml.txt`],
    ['a relative path', `./${'x'.repeat(150)}/fixtures/not-yaml.txt`],
    ['a path without a leading separator', `${'x'.repeat(150)}/fixtures/install-agent.yaml`],
  ])('keeps the end of %s, where the file name is', (_kind, file) => {
    expect(show(file)).toBe(`'...${file.slice(-77)}'`);
    expect(show(file)).toHaveLength(82);
  });
});

describe('errors that name a file, wherever the checkout lives', () => {
  test('a document file that does not parse is named by its file name, under a 150-character directory', () => {
    // GIVEN: the fixture in a directory whose path is longer than what an error shows
    const directory = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ssm-ops-')), 'x'.repeat(150));
    fs.mkdirSync(directory);
    const file = path.join(directory, 'not-yaml.txt');
    fs.copyFileSync(path.join(__dirname, '..', 'document', 'fixtures', 'not-yaml.txt'), file);
    const stack = testStack();
    try {
      // WHEN
      const create = () => CommandDocument.fromFile(stack, 'Bad', file);
      // THEN
      expect(create).toThrow(/^Stack\/Bad: the document file '\.\.\.x+\/not-yaml\.txt' is not valid JSON or YAML: /);
    } finally {
      fs.rmSync(path.dirname(directory), { recursive: true });
    }
  });
});
