import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { FleetOpsStack } from './fleet-ops-stack';

// `npm run example` synthesizes this app into cdk.out/ and prints what it holds.
const outdir = path.join(__dirname, '..', 'cdk.out');
const app = new App({ outdir });
new FleetOpsStack(app, 'FleetOps', { env: { account: '111111111111', region: 'us-east-1' } });
const assembly = app.synth();

for (const stack of assembly.stacks) {
  const resources: Record<string, { Type: string }> = stack.template.Resources ?? {};
  const counts = new Map<string, number>();
  for (const { Type } of Object.values(resources)) {
    counts.set(Type, (counts.get(Type) ?? 0) + 1);
  }
  const file = path.relative(process.cwd(), path.join(assembly.directory, stack.templateFile));
  console.log(`${stack.stackName}: ${Object.keys(resources).length} resources in ${file} (${fs.statSync(path.join(assembly.directory, stack.templateFile)).size} bytes)`);
  for (const [type, count] of [...counts].sort()) {
    console.log(`  ${String(count).padStart(3)}  ${type}`);
  }
  for (const message of stack.messages) {
    console.log(`  ${message.level}: ${message.id}: ${message.entry.data}`);
  }
}
