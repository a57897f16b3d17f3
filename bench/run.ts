import { execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CallCount, perNodePollingCalls, runCommandCalls } from './api-calls';
import { measureBundles } from './handler-bundle';
import { QUOTAS, measureQuotas } from './iam-quotas';
import { measureWait } from './provider-wait';
import { associationRunWaitCalls, failureReportCost } from './run-results';
import { SynthRun, measureSynth } from './synth/synth-cost';
import { FAILED_NODES_SHOWN } from '../src/run-command/handler';
import { Course } from '../test/lifecycle/simulated-ssm';

// `npm run bench`: one markdown table, printed and written to bench/results.md. Each figure is the median of several
// runs (BENCH_RUNS, default 5; BENCH_BUILD_RUNS for the build and the tests, default 3). Progress goes to stderr.
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BUILD_RUNS = Number(process.env.BENCH_BUILD_RUNS ?? 3);
const APP_SIZES = [100, 500, 1000];
const COURSES: Course[] = [[1, 0], [1, 1], [50, 0], [50, 5], [1000, 0], [1000, 1], [1000, 100]]
  .map(([targets, failed]) => ({ targets, failed, pendingPolls: 2, inProgressPolls: 4 }));
const ROOT = path.join(__dirname, '..');

type Row = [figure: string, result: string, target: string, met: boolean | undefined];

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (value: number) => `${value.toFixed(value < 100 ? 1 : 0)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const minutes = (value: number) => `${Math.floor(value / 60_000)} min ${Math.round((value % 60_000) / 1000)} s`;

/** Wall time of a projen task, run to the end; its output goes to a log file that is shown if it fails. */
function timeTask(task: string): number {
  const log = path.join(os.tmpdir(), `bench-${task}.log`);
  const start = Date.now();
  try {
    execSync(`npx projen ${task} > ${log} 2>&1`, { cwd: ROOT, stdio: 'inherit' });
  } catch (error) {
    process.stderr.write(fs.readFileSync(log, 'utf8').slice(-5000));
    throw error;
  }
  return Date.now() - start;
}

function buildRows(): Row[] {
  if (BUILD_RUNS === 0) {
    // The synth benchmark needs the compiled library and the bundled handlers.
    execSync('npx projen bundle > /dev/null && npx projen compile > /dev/null', { cwd: ROOT, stdio: 'inherit' });
    return [];
  }
  const builds: number[] = [];
  const tests: number[] = [];
  for (let run = 0; run < BUILD_RUNS; run++) {
    builds.push(timeTask('build'));
    progress(`build ${run + 1} of ${BUILD_RUNS}: ${minutes(builds[run])}`);
    tests.push(timeTask('test'));
    progress(`test ${run + 1} of ${BUILD_RUNS}: ${minutes(tests[run])}`);
  }
  return [
    ['Test suite, `npx projen test`', minutes(median(tests)), '', undefined],
    ['Full build, `npx projen build` (compile, docs, tests, four packages, wheel tests)', minutes(median(builds)), '', undefined],
  ];
}

function synthRows(): Row[] {
  const results = measureSynth(APP_SIZES, RUNS, progress);
  const figure = (kind: string, count: number, read: (run: SynthRun) => number) => median(results.get(`${kind}/${count}`)!.map(read));
  const rows: Row[] = [];
  for (const [name, read, unit] of [['Synth time', (run: SynthRun) => run.milliseconds, ms], ['Peak heap', (run: SynthRun) => run.peakHeapBytes, mib]] as const) {
    for (const count of APP_SIZES) {
      const [l1, l2] = [figure('l1', count, read), figure('l2', count, read)];
      const template = results.get(`l2/${count}`)![0];
      rows.push([`${name}, L2 / L1, ${count} resources (${template.resources} in ${template.stacks} template${template.stacks > 1 ? 's' : ''}, the same for both)`,
        `${(l2 / l1).toFixed(2)} (${unit(l2)} / ${unit(l1)})`, '≤ 1.10', l2 / l1 <= 1.1]);
    }
    const [first, last] = [APP_SIZES[0], APP_SIZES[APP_SIZES.length - 1]];
    const growth = (kind: string) => figure(kind, last, read) / figure(kind, first, read);
    rows.push([`${name} growth, ${last} / ${first} resources, L2 (L1)`, `${growth('l2').toFixed(1)}× (${growth('l1').toFixed(1)}×)`,
      `≤ ${last / first * 1.1}×`, growth('l2') <= last / first * 1.1]);
  }
  return rows;
}

function bundleRows(): Row[] {
  return measureBundles(RUNS * 2).flatMap((bundle): Row[] => [
    [`Handler bundle ${bundle.name}: size on disk`, kib(bundle.bytes), '< 50 KiB', bundle.bytes < 50 * 1024],
    [`Handler bundle ${bundle.name}: load in a new Node.js process, the AWS SDK loaded first`, ms(median(bundle.ownLoadMilliseconds)), '< 30 ms',
      median(bundle.ownLoadMilliseconds) < 30],
    [`Handler bundle ${bundle.name}: load in a new Node.js process, with the AWS SDK for SSM it requires`, ms(median(bundle.loadMilliseconds)), '< 30 ms',
      median(bundle.loadMilliseconds) < 30],
  ]);
}

async function apiCallRows(): Promise<Row[]> {
  const rows: Row[] = [];
  // The reads at the end that do not depend on the nodes: the command, its result record, and one lookup of nodes
  // that never ran per status. Measured on one node that succeeded; the nodes shown add to it.
  const fixedAtEnd = (await runCommandCalls({ targets: 1, failed: 0, pendingPolls: 2, inProgressPolls: 4 })).atEnd;
  for (const course of COURSES) {
    const ours: CallCount[] = [];
    const naive: CallCount[] = [];
    for (let run = 0; run < RUNS; run++) {
      ours.push(await runCommandCalls(course));
      naive.push(await perNodePollingCalls(course));
    }
    const perPoll = (counts: CallCount[]) => median(counts.map((count) => Math.max(...count.perRunningPoll)));
    const atEnd = (counts: CallCount[]) => median(counts.map((count) => count.atEnd));
    const polls = ours[0].perRunningPoll.length;
    const shown = Math.min(course.failed, FAILED_NODES_SHOWN);
    const setting = `${course.targets} target${course.targets > 1 ? 's' : ''}, ${course.failed} failed`;
    rows.push([`SSM calls per poll while the command runs (${polls} polls), ${setting}: RunCommand / naive per-node GetCommandInvocation`,
      `${perPoll(ours)} / ${perPoll(naive)}`, 'exactly 1', ours.every((count) => count.perRunningPoll.every((calls) => calls === 1))]);
    rows.push([`SSM calls at the poll that ends it, ${setting}: RunCommand / naive`, `${atEnd(ours)} / ${atEnd(naive)}`,
      `≤ ${fixedAtEnd} + ${shown} node${shown === 1 ? '' : 's'} shown`, atEnd(ours) <= fixedAtEnd + shown]);
  }
  return rows;
}

async function knowingRows(): Promise<Row[]> {
  const rows: Row[] = [];
  // The nodes shown in a failure: an association run wait shows 3, a report 5; each costs two reads.
  for (const [nodes, failed] of [[1, 0], [1, 1], [50, 0], [50, 1], [50, 5], [1000, 0], [1000, 10], [1000, 100]]) {
    const setting = `${nodes} node${nodes > 1 ? 's' : ''}, ${failed} failed`;
    const wait = await associationRunWaitCalls(nodes, failed);
    const waitBound = 2 + 2 * Math.min(failed, 3);
    rows.push([`Association run wait, ${setting}: SSM calls per poll while it runs / at the end`
      + (wait.failureBytes ? ` (failure message ${wait.failureBytes} bytes)` : ''),
    `${Math.max(...wait.perPoll)} / ${wait.atEnd}`, `1 / ≤ ${waitBound}`, wait.perPoll.every((calls) => calls === 1) && wait.atEnd <= waitBound]);
    const report = await failureReportCost(nodes, failed);
    const reportBound = 3 + 2 * Math.min(failed, 5);
    rows.push([`Failure report of an association run, ${setting}: SSM calls / message size`, `${report.calls} / ${kib(report.messageBytes)}`,
      `≤ ${reportBound} / < 256 KiB`, report.calls <= reportBound && report.messageBytes < 256 * 1024]);
  }
  return rows;
}

function quotaRows(): Row[] {
  const rows: Row[] = [];
  const uses = [50, 250, 500].map(measureQuotas);
  for (const use of uses) {
    const count = use.customResources;
    const setting = `${count} custom resources (a third each RunCommands, association and window task alarm companions)`;
    rows.push([`IAM: inline policy characters of the shared handler roles, largest / of any other role, ${setting}`,
      `${use.sharedRoleInlineCharacters} / ${use.otherRoleInlineCharacters}`, `≤ ${QUOTAS.inlinePolicyCharacters} each`,
      Math.max(use.sharedRoleInlineCharacters, use.otherRoleInlineCharacters) <= QUOTAS.inlinePolicyCharacters]);
    rows.push([`IAM: largest trust policy (characters) / most managed policies on a role, ${setting}`,
      `${use.largestTrustPolicyCharacters} / ${use.mostManagedPolicies}`, `≤ ${QUOTAS.trustPolicyCharacters} / ≤ ${QUOTAS.managedPoliciesPerRole}`,
      use.largestTrustPolicyCharacters <= QUOTAS.trustPolicyCharacters && use.mostManagedPolicies <= QUOTAS.managedPoliciesPerRole]);
    rows.push([`IAM roles in the stack / CloudFormation resources in the stack, ${setting}`, `${use.roles} / ${use.resources}`,
      `roles ≤ ${QUOTAS.rolesPerAccount} per account; resources ≤ ${QUOTAS.resourcesPerStack} per stack`, undefined]);
  }
  // Resources grow linearly with the custom resources: the stack's own limit, not IAM's, bounds how many fit.
  const [, middle, last] = uses;
  const perResource = (last.resources - middle.resources) / (last.customResources - middle.customResources);
  const fixed = middle.resources - perResource * middle.customResources;
  rows.push([`Custom resources of this mix in one stack before CloudFormation's ${QUOTAS.resourcesPerStack} resources (${perResource.toFixed(2)} resources each)`,
    `${Math.floor((QUOTAS.resourcesPerStack - fixed) / perResource)}`, '', undefined]);
  return rows;
}

async function waitRows(): Promise<Row[]> {
  const figures = await measureWait(RUNS * 20);
  const p95 = [...figures.waits].sort((a, b) => a - b)[Math.floor(figures.waits.length * 0.95)];
  const { polls, invocations, stateTransitions, usd } = figures.perHour;
  return [
    [`Wait added after Systems Manager finishes a command (query interval ${figures.queryIntervalSeconds} s, ${figures.waits.length} commands), median (95th percentile)`,
      `${median(figures.waits).toFixed(1)} s (${p95.toFixed(1)} s)`, '≤ 5 s median', median(figures.waits) <= 5],
    ['SSM calls per poll while waiting for the command', `${Math.max(...figures.callsPerRunningPoll)}`, 'exactly 1',
      figures.callsPerRunningPoll.every((calls) => calls === 1)],
    ['Cost of one hour of waiting: isComplete polls / Lambda invocations / Step Functions state transitions / USD',
      `${polls} / ${invocations} / ${stateTransitions} / $${usd.toFixed(3)}`, '', undefined],
  ];
}

async function main() {
  const rows: Row[] = [];
  rows.push(...buildRows());
  progress('handler bundles');
  rows.push(...bundleRows());
  progress('SSM API calls against the simulated Systems Manager');
  rows.push(...await apiCallRows());
  progress('the wait after a command ends');
  rows.push(...await waitRows());
  progress('association run waits and failure reports');
  rows.push(...await knowingRows());
  progress('IAM quotas at 50, 250 and 500 custom resources');
  rows.push(...quotaRows());
  rows.push(...synthRows());

  const table = [
    '| Figure | Median | Target | Met |',
    '|---|---|---|---|',
    ...rows.map(([figure, result, target, met]) => `| ${figure} | ${result} | ${target || '–'} | ${met === undefined ? '–' : met ? 'yes' : '**no**'} |`),
  ].join('\n');
  const cpus = os.cpus();
  const header = `Medians of ${RUNS} runs (${BUILD_RUNS} for the build and the tests), ${new Date().toISOString().slice(0, 10)}, `
    + `Node.js ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB.`;
  console.log(`${header}\n\n${table}`);
  fs.writeFileSync(path.join(__dirname, 'results.md'), `# Benchmark results\n\n\`npm run bench\` wrote this file. ${header}\n\n${table}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
