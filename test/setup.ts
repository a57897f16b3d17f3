// Snapshot hygiene: asset hashes change with every handler edit and the Node runtime map with every aws-cdk-lib
// bump; neither says anything about our constructs, so both are masked in snapshots.
expect.addSnapshotSerializer({
  test: (value) => typeof value === 'string' && /[A-Fa-f0-9]{64}(\.zip)?/.test(value),
  print: (value) => JSON.stringify((value as string).replace(/[A-Fa-f0-9]{64}/g, '[HASH REMOVED]')),
});
expect.addSnapshotSerializer({
  test: (value) => value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, 'LatestNodeRuntimeMap'),
  print: () => '"[MAPPING REMOVED]"',
});
// The Provider framework's functions take aws-cdk-lib's newest Node.js runtime, which moves with each release; our
// handlers' runtime is asserted by fine-grained tests instead.
expect.addSnapshotSerializer({
  test: (value) => typeof value === 'string' && /^nodejs\d+\.x$/.test(value),
  print: () => '"nodejs[VERSION].x"',
});
