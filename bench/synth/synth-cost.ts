import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** One synth of one app, in a process of its own. */
export interface SynthRun {
  readonly milliseconds: number;
  /** The heap's peak between the start of the app and the end of synth. */
  readonly peakHeapBytes: number;
  readonly resources: number;
  readonly stacks: number;
}

export type AppKind = 'l1' | 'l2';

const MEASURE = path.join(__dirname, 'measure.ts');
// Heap used before a collection, in the lines --trace-gc prints: "Scavenge 45.2 (60.1) -> 30.1 (62.0) MB".
const GC_LINE = / ([\d.]+) \([\d.]+\) -> [\d.]+ \([\d.]+\) MB/;

/** Synthesizes one app in a new Node.js process and reads its time and its heap's peak. */
export function synthOnce(kind: AppKind, count: number, outdir: string): SynthRun {
  const output = execFileSync(process.execPath, ['--trace-gc', '-r', path.join(__dirname, 'transpile.js'), MEASURE, kind, String(count), outdir], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const lines = output.split('\n');
  const during = lines.slice(lines.indexOf('BENCH-START'), lines.indexOf('BENCH-END'));
  const result = JSON.parse(lines.find((line) => line.startsWith('BENCH-RESULT '))!.slice('BENCH-RESULT '.length));
  // The heap grows between collections, so its peak is the largest size seen just before one, or the size at the end.
  const beforeCollections = during.flatMap((line) => GC_LINE.exec(line)?.[1] ?? []).map((megabytes) => Number(megabytes) * 2 ** 20);
  return { ...result, peakHeapBytes: Math.max(result.heapUsed, ...beforeCollections) };
}

/**
 * Each app size `runs` times, the L1 and the L2 app side by side in the same round, in alternating order. The first
 * round also checks that both apps synthesize the same templates, so that the comparison is of the same resources.
 */
export function measureSynth(counts: number[], runs: number, progress: (line: string) => void): Map<string, SynthRun[]> {
  const results = new Map<string, SynthRun[]>();
  for (let round = 0; round < runs; round++) {
    for (const count of counts) {
      const kinds: AppKind[] = round % 2 === 0 ? ['l1', 'l2'] : ['l2', 'l1'];
      const outdirs = new Map<AppKind, string>();
      for (const kind of kinds) {
        const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${kind}-${count}-`));
        outdirs.set(kind, outdir);
        const run = synthOnce(kind, count, outdir);
        results.set(`${kind}/${count}`, [...results.get(`${kind}/${count}`) ?? [], run]);
        progress(`synth ${kind} ${count}, round ${round + 1} of ${runs}: ${run.milliseconds.toFixed(0)} ms, ${(run.peakHeapBytes / 2 ** 20).toFixed(0)} MiB`);
      }
      if (round === 0) {
        assertSameTemplates(outdirs.get('l1')!, outdirs.get('l2')!);
      }
      for (const outdir of outdirs.values()) {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    }
  }
  return results;
}

function assertSameTemplates(l1: string, l2: string) {
  const templates = (dir: string) => fs.readdirSync(dir).filter((file) => file.endsWith('.template.json')).sort();
  const names = templates(l2);
  if (names.join() !== templates(l1).join()) {
    throw new Error(`the L1 and L2 apps synthesize different stacks: ${templates(l1).join()} and ${names.join()}`);
  }
  for (const name of names) {
    if (fs.readFileSync(path.join(l1, name), 'utf8') !== fs.readFileSync(path.join(l2, name), 'utf8')) {
      throw new Error(`the L1 and L2 apps synthesize different templates for ${name}; compare ${l1} and ${l2}`);
    }
  }
}
