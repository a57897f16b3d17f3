import { performance } from 'perf_hooks';
import { App } from 'aws-cdk-lib';
import { buildL1App } from './l1-app';
import { buildL2App } from './l2-app';

// One synth, in a process of its own: `measure.ts <l1|l2> <count> <outdir>`. Run with --trace-gc, so that the heap's
// peak can be read from the collector's lines between the two markers; the modules are loaded before the first.
const [kind, count, outdir] = process.argv.slice(2);
const build = kind === 'l2' ? buildL2App : buildL1App;

console.log('BENCH-START');
const start = performance.now();
const app = new App({ outdir });
build(app, Number(count));
const assembly = app.synth();
const milliseconds = performance.now() - start;
const heapUsed = process.memoryUsage().heapUsed;
console.log('BENCH-END');

const resources = assembly.stacks.reduce((sum, stack) => sum + Object.keys(stack.template.Resources ?? {}).length, 0);
console.log(`BENCH-RESULT ${JSON.stringify({ milliseconds, heapUsed, resources, stacks: assembly.stacks.length })}`);
