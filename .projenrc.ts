import { awscdk, javascript, TextFile } from 'projen';

// The aws-cdk-lib floor: every L1 property the library uses exists at this version (CfnDocument.updateMethod
// arrived in 2.29), and it is the lowest version cdk-nag v3 and integ-runner 2.197 both accept (docs/testing.md, "Versions the tests run at").
const CDK_FLOOR = '2.257.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-ssm-ops',
  description: 'AWS CDK constructs for Systems Manager fleet operations: Command documents, State Manager associations, maintenance windows and Run Command at deploy time, validated at synth time.',
  author: 'cdk-ssm-ops developers',
  authorAddress: 'maintainers@cdk-ssm-ops.dev',
  repositoryUrl: 'https://github.com/cdk-ssm-ops/cdk-ssm-ops.git',
  keywords: ['aws-cdk', 'cdk', 'ssm', 'systems-manager', 'state-manager', 'maintenance-window', 'run-command'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdkVersion: CDK_FLOOR,
  // The CLI's registry `latest` (3.x) can't read current cloud assemblies; the integ snapshot tasks use this one.
  cdkCliVersion: '^2.1148.1',
  // jsii and TypeScript move in lockstep; TypeScript 7 has no compiler API and breaks ts-node (docs/testing.md, "Versions the tests run at").
  jsiiVersion: '~6.0.0',
  workflowNodeVersion: '22.x',
  // Developing needs Node.js 22, as the workflows and the handlers' runtime use (commit-and-tag-version 13, projen's
  // release bump, and 16 of its dependencies ask for it too). npm 10.9 and newer refuse `npm ci`, `npm install` and
  // `npm run` at once on an older Node.js, before downloading anything; engine-strict in .npmrc (below) stops an older
  // npm at the first dependency that needs Node.js 22. Users of the package are not bound: `engines` is left unset.
  devEngines: { runtime: { name: 'node', version: '>=22', onFail: 'error' } },
  devDeps: [
    'typescript@~6.0.3',
    '@types/node@^22',
    // Handler code: the Lambda runtime provides the AWS SDK v3, so it stays out of the bundle and the package.
    '@aws-sdk/client-ssm@^3',
    // Property-based tests of the synth-time rules against the CloudFormation and SSM schemas.
    'fast-check@^4',
    // The handlers assume each custom resource's own role.
    '@aws-sdk/client-sts@^3',
    // The failure reports publish to SNS.
    '@aws-sdk/client-sns@^3',
    '@types/aws-lambda',
    'aws-sdk-client-mock@^4.1.0',
    // AwsSolutions checks of the example app in the tests (v3: validation plugins, validateScope).
    'cdk-nag@3.0.2',
    // Deploy-time assertions of the integration apps; no alpha matches the floor, this is the newest.
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
  ],

  // The content of a document read from a YAML file, and YAML output, need a parser at synth time.
  bundledDeps: ['yaml'],

  lambdaOptions: { runtime: awscdk.LambdaRuntime.NODEJS_22_X },

  // No source maps in lib/: they pointed stack frames at src/*.ts, which the package does not ship (the sources were
  // inlined in the maps). Without them, a frame in the library names the lib/*.js file that is in node_modules.
  tsconfig: { compilerOptions: { inlineSourceMap: false, inlineSources: false } },

  publishToPypi: { distName: 'cdk-ssm-ops', module: 'cdk_ssm_ops' },
  publishToMaven: {
    mavenGroupId: 'io.github.cdk-ssm-ops',
    mavenArtifactId: 'cdk-ssm-ops',
    javaPackage: 'io.github.cdkssmops',
  },
  publishToGo: { moduleName: 'github.com/cdk-ssm-ops/cdk-ssm-ops-go', packageName: 'cdkssmops' },
  // Released by the GitHub workflow; not built locally (no .NET SDK on our machines), see package-all below.
  publishToNuget: { dotNetNamespace: 'CdkSsmOps', packageId: 'CdkSsmOps' },

  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'bench', 'build-tools', 'projenrc'] },
  jestOptions: {
    // jest 30 resolves modules with unrs-resolver (see the eslint resolver pin below); jest 29 does not.
    jestVersion: '^29',
    // Snapshot drift fails the tests; `npx projen test:update` accepts it.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/test/python/'],
    },
  },
  gitignore: ['/cdk.out/', '/.venv/', '/.venv-wheel/', '__pycache__/', '.pytest_cache/'],
});

// eslint-import-resolver-typescript 3.7 and later (like jest 30) depend on unrs-resolver, whose per-platform optional packages the
// npm registry we reach serves only for Linux; npm then writes a lock file that `npm ci` rejects as out of sync.
// Added after the constructor, so that it overrides the unpinned version projen's eslint setup asks for.
project.addDevDeps('eslint-import-resolver-typescript@3.6.3');

for (const path of ['/examples/', '/scripts/', '/.ci/', '/requirements-dev.txt', '/cdk.out/', '/bench/', '/.venv/', '/.venv-wheel/', '/.nvmrc']) {
  project.addPackageIgnore(path);
}

// One command builds everything. projen packages only JavaScript when CI is set and leaves the other languages to
// separate workflow jobs; our CI is a single script, so `package` always builds the four local targets.
// One jsii-pacmak run for the three targets packs the npm tarball once instead of once per language. Maven's downloads
// (aws-cdk-lib, about 100 MB, and the plugins) go to the usual local repository, ~/.m2, kept between builds, not to
// the new one jsii-pacmak would otherwise make for each build.
const packageAll = project.tasks.tryFind('package-all')!;
packageAll.reset('jsii-pacmak -v --target js --target java --target python --maven-local-repository="$HOME/.m2/repository"');
// The Go module is generated as source, then compiled in full by scripts/build-go.sh: jsii-pacmak's own Go build
// asks the Go module proxy for the indirect requirements it copies from our npm lock file, and the proxy we reach
// refuses one of them (cloud-assembly-schema-go v53.28.0); the script lets go mod tidy choose them instead.
packageAll.exec('jsii-pacmak -v --target go --code-only');
packageAll.exec('bash scripts/build-go.sh');
project.packageTask.reset();
project.packageTask.spawn(packageAll);

// Every TypeScript snippet of the README compiles, strictly, so the Python, Java and Go docs jsii makes from them are valid.
project.postCompileTask.exec('jsii-rosetta extract --strict --fail');
project.gitignore.exclude('/.jsii.tabl.json');
// Integration snapshots are compared without their assets (projen's integ:*:assert leaves asset.* out of the diff).
project.gitignore.exclude('*.integ.snapshot/asset.*');
project.addPackageIgnore('/rosetta/');

// The example app: `npm run example` synthesizes it into cdk.out/ and prints a summary.
const example = project.addTask('example', {
  description: 'Synthesize the example app into cdk.out/',
});
// The handlers' bundles are built assets, absent from a fresh clone.
example.spawn(project.tasks.tryFind('bundle')!);
example.exec('ts-node --project examples/tsconfig.json examples/app.ts');

// The Python tools the tests use (cfn-lint, and moto for the handler's wire-level tests) live in .venv.
project.testTask.prependExec('bash scripts/python-env.sh > /dev/null');

// cfn-lint (pinned, from PyPI) on every template the example app synthesizes.
const cfnLint = project.addTask('test:cfn-lint', {
  description: 'Run cfn-lint on the templates of the example app',
});
cfnLint.spawn(example);
cfnLint.exec('bash scripts/cfn-lint.sh');
project.testTask.spawn(cfnLint);

// jest transpiles the tests without type checks (isolatedModules); the compiler checks them, the examples and the benchmark.
const typecheck = project.addTask('test:typecheck', {
  description: 'Type-check the tests, the examples and the benchmark',
});
typecheck.exec('tsc --noEmit -p test/tsconfig.json');
typecheck.exec('tsc --noEmit -p bench/tsconfig.json');
project.testTask.spawn(typecheck);

// The built wheel, installed in a new virtualenv beside aws-cdk-lib from PyPI at the floor version: the stack of
// scripts/polyglot/app.py, compared with TypeScript's as below, then the Python tests.
const testPython = project.addTask('test:python', {
  description: 'Install the built Python wheel in a new virtualenv, compare the polyglot stack\'s template with TypeScript\'s and run the Python tests',
  exec: `bash scripts/test-python.sh ${CDK_FLOOR}`,
});
// The built jar and Go module, used from Java and Go: test/java (Maven, aws-cdk-lib from Maven Central) and test/go
// build the stack of scripts/polyglot/app.ts, synthesize it, and compare the template with the one TypeScript gives
// (scripts/polyglot/compare.js: equal as JSON, asset hashes and key order set aside).
// Both pin aws-cdk-lib to the floor, as the TypeScript and Python tests do (test/java/pom.xml, test/go/go.mod).
const testJava = project.addTask('test:java', {
  description: 'Build test/java against the built jar, synthesize its stack and compare the template with TypeScript\'s',
  exec: 'bash scripts/test-java.sh',
});
const testGo = project.addTask('test:go', {
  description: 'Build test/go against the built Go module, synthesize its stack and compare the template with TypeScript\'s',
  exec: 'bash scripts/test-go.sh',
});
// `build` is locked by projen; packaging ends by using what it built.
project.packageTask.spawn(testPython);
project.packageTask.spawn(testJava);
project.packageTask.spawn(testGo);

// A hint for version managers (nvm, fnm): `nvm install` in the project takes Node.js 22.
new TextFile(project, '.nvmrc', { lines: ['22'] });
// With an npm older than 10.9, which ignores devEngines, stop at the first dependency that needs a newer Node.js
// instead of installing with a warning for each of them.
project.npmrc.addConfig('engine-strict', 'true');

// The benchmark: synth cost against hand-written L1s, the handler bundles, SSM API calls per poll, build and test
// times. It prints one table and writes bench/results.md; targets are reported there, never asserted in timed tests.
project.addTask('bench', {
  description: 'Run the benchmark and write bench/results.md',
  exec: 'ts-node --project bench/tsconfig.json bench/run.ts',
});

project.synth();
