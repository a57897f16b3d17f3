import { CfnParameter } from 'aws-cdk-lib';
import { Concurrency, ErrorThreshold } from '../src';
import { testStack } from './util';

describe('Concurrency', () => {
  test.each([
    [Concurrency.count(1), '1'],
    [Concurrency.count(9_999_999), '9999999'],
    [Concurrency.percentage(1), '1%'],
    [Concurrency.percentage(100), '100%'],
  ])('renders %j as %s', (concurrency, value) => {
    expect(concurrency._render(testStack(), 'maxConcurrency')).toBe(value);
  });

  test.each([
    [Concurrency.count(0), "Stack: maxConcurrency '0' is not valid; use a whole count from 1 to 9,999,999 (zero concurrency would never run anything)"],
    [Concurrency.count(10_000_000), "Stack: maxConcurrency '10000000' is not valid; use a whole count from 1 to 9,999,999"],
    [Concurrency.count(1.5), "Stack: maxConcurrency '1.5' is not valid; use a whole count from 1 to 9,999,999"],
    [Concurrency.percentage(0), "Stack: maxConcurrency '0%' is not valid; use a whole percentage from 1% to 100% (zero concurrency would never run anything)"],
    [Concurrency.percentage(101), "Stack: maxConcurrency '101%' is not valid; use a whole percentage from 1% to 100%"],
  ])('fails when the value is out of range: %j', (concurrency, message) => {
    expect(() => concurrency._render(testStack(), 'maxConcurrency')).toThrow(message);
  });

  test('a token passes unchecked', () => {
    const stack = testStack();
    const nodes = new CfnParameter(stack, 'Nodes', { type: 'Number' });
    expect(stack.resolve(Concurrency.percentage(nodes.valueAsNumber)._render(stack, 'maxConcurrency'))).toEqual({ 'Fn::Join': ['', [{ Ref: 'Nodes' }, '%']] });
  });
});

describe('ErrorThreshold', () => {
  test.each([
    [ErrorThreshold.count(0), '0'],
    [ErrorThreshold.count(9_999_999), '9999999'],
    [ErrorThreshold.percentage(0), '0%'],
    [ErrorThreshold.percentage(100), '100%'],
  ])('renders %j as %s: zero errors is allowed', (threshold, value) => {
    expect(threshold._render(testStack(), 'maxErrors')).toBe(value);
  });

  test.each([
    [ErrorThreshold.count(-1), "Stack: maxErrors '-1' is not valid; use a whole count from 0 to 9,999,999"],
    [ErrorThreshold.percentage(101), "Stack: maxErrors '101%' is not valid; use a whole percentage from 0% to 100%"],
  ])('fails when the value is out of range: %j', (threshold, message) => {
    expect(() => threshold._render(testStack(), 'maxErrors')).toThrow(message);
  });
});
