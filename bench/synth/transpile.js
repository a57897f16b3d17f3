// Loads the benchmark's TypeScript files as plain JavaScript, transpiled in memory: unlike ts-node, it installs no
// source-map support, which would make the creation stack trace of every construct slower than in a compiled app.
const fs = require('fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};
