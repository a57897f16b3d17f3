import { App, Stack } from 'aws-cdk-lib';

/** A stack in a concrete environment, as the tests of every construct use. */
export function testStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
}
