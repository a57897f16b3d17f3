import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** A bundled handler: its size, and how long a new Node.js process takes to load it. */
export interface BundleFigures {
  readonly name: string;
  readonly bytes: number;
  /** Loading the bundle, the AWS SDK for SSM included, in a new process: a cold start's share. */
  readonly loadMilliseconds: number[];
  /** Loading the bundle alone, in a new process that loaded the AWS SDK for SSM first. */
  readonly ownLoadMilliseconds: number[];
}

const ASSETS = path.join(__dirname, '..', 'assets', 'provider');

/** Each bundle under assets/provider, loaded `runs` times in new processes. */
export function measureBundles(runs: number): BundleFigures[] {
  return fs.readdirSync(ASSETS).sort().map((name) => {
    const file = path.join(ASSETS, name, 'index.js');
    const load = (preload: string) => Number(execFileSync(process.execPath, ['-e', `${preload}
      const start = require('perf_hooks').performance.now();
      require(${JSON.stringify(file)});
      console.log(require('perf_hooks').performance.now() - start);`], { encoding: 'utf8' }));
    const loadMilliseconds: number[] = [];
    const ownLoadMilliseconds: number[] = [];
    for (let run = 0; run < runs; run++) {
      loadMilliseconds.push(load(''));
      // Resolved from the bundle's directory, as the bundle resolves it.
      ownLoadMilliseconds.push(load(`require(require.resolve('@aws-sdk/client-ssm', { paths: [${JSON.stringify(path.dirname(file))}] }));`));
    }
    return { name, bytes: fs.statSync(file).size, loadMilliseconds, ownLoadMilliseconds };
  });
}
