import { cfnRule, chars, compile, limitsOf } from './rules';
import { ResourceType, Schemas } from './schemas';
import { TargetSpec, familyOf, keyOf, valuesOf } from './targets';
import { isToken, stringToken } from './values';

// Values on which the library and the schemas disagree today. Each entry covers a region of generated values, which
// the properties leave out, and has an example that a test of its own checks: when the library is fixed, that test
// fails and asks for the entry to be removed, which brings the region back into the properties.
//
// `finding` is the number of the finding in issue 12 that the entry matches, or 'NEW' for what the property tests
// found beyond that list. The examples are the smallest values found (fast-check's shrinking); limits are read from
// the schemas, as everywhere in these tests.

/** A disagreement between the library and the schemas that is known and not fixed yet. */
export interface KnownDisagreement {
  /** The finding of issue 12 it matches, or 'NEW'. */
  readonly finding: number | 'NEW';
  /** The subject (`Construct.property`) whose values it covers. */
  readonly subject: string;
  /** What happens, in a few words. */
  readonly summary: string;
  /** The verdict of the schemas (with the documented stricter rules) and what the library does. */
  readonly schemas: 'accept' | 'reject';
  readonly library: 'accepts' | 'rejects' | 'rejects without naming the construct and the property';
  /** Whether a generated value of the subject falls in the region of the disagreement. */
  readonly covers: (value: any) => boolean;
  /** The smallest value found that shows it. */
  readonly example: () => any;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers that read the limits from the schemas when an entry is checked.

const cfn = (typeName: ResourceType, path: string) => cfnRule(Schemas.load(), typeName, path);

/** NEW: a parameter name that is a token can't be written (map keys are literal), and fails with an unscoped error. */
function tokenParameterNames(subject: string): KnownDisagreement {
  return {
    finding: 'NEW',
    subject,
    summary: "a parameter name that is a token fails at synthesis with aws-cdk-lib's unscoped Resolution error",
    schemas: 'reject',
    library: 'rejects without naming the construct and the property',
    covers: (entries: [unknown, unknown][]) => entries.some(([key]) => isToken(key)),
    example: () => [[stringToken('parameter'), ['x']]],
  };
}

/** NEW: a target with no values is rejected, though the schemas take 0 values. */
function emptyTargetValues(subject: string): KnownDisagreement {
  return {
    finding: 'NEW',
    subject,
    summary: 'a target with no values is rejected; the schemas allow 0 values, and no AWS page found says otherwise',
    schemas: 'accept',
    library: 'rejects',
    covers: (specs: TargetSpec[]) => specs.some((spec) => valuesOf(spec)?.length === 0),
    example: (): TargetSpec[] => [{ factory: 'tagKey', values: [] }],
  };
}

// ---------------------------------------------------------------------------------------------------------------

export const KNOWN_DISAGREEMENTS: readonly KnownDisagreement[] = [
  // Association
  {
    finding: 2,
    subject: 'Association.parameters',
    summary: "a parameter name of line breaks only, which the registry schema's key pattern (.{1,255}) does not match, is accepted",
    schemas: 'reject',
    library: 'accepts',
    covers: (entries: [unknown, unknown][]) => entries.some(([key]) => typeof key === 'string'
      && !cfn('AWS::SSM::Association', 'Parameters').keyPatterns!.some((pattern) => compile(pattern).test(key))),
    example: () => [['\n', ['x']]],
  },
  tokenParameterNames('Association.parameters'),
  {
    finding: 'NEW',
    subject: 'Association.parameters',
    summary: "a parameter name longer than the count in the registry schema's key pattern (.{1,255}) is rejected; the pattern is not anchored, so the schema takes it",
    schemas: 'accept',
    library: 'rejects',
    covers: (entries: [unknown, unknown][]) => {
      const patterns = cfn('AWS::SSM::Association', 'Parameters').keyPatterns!;
      const longest = Math.max(...patterns.flatMap((pattern) => limitsOf({ source: 'key', pattern })));
      return entries.some(([key]) => typeof key === 'string' && chars(key) > longest && patterns.some((pattern) => compile(pattern).test(key)));
    },
    example: () => {
      const patterns = cfn('AWS::SSM::Association', 'Parameters').keyPatterns!;
      return [['a'.repeat(Math.max(...patterns.flatMap((pattern) => limitsOf({ source: 'key', pattern }))) + 1), ['x']]];
    },
  },
  emptyTargetValues('Association.targets'),

  // CommandDocument
  {
    finding: 'NEW',
    subject: 'CommandDocument.steps[].name',
    summary: 'a step name longer than 128 characters is rejected; no schema or AWS page found limits it',
    schemas: 'accept',
    library: 'rejects',
    covers: (name: string) => chars(name) > 128,
    example: () => 'a'.repeat(129),
  },

  // MaintenanceWindow and MaintenanceWindowTarget
  emptyTargetValues('MaintenanceWindowTarget.targets'),
  {
    finding: 'NEW',
    subject: 'MaintenanceWindowTarget.targets',
    summary: 'a target whose key is a token (Target.fromKeyValues(token, ...)) is taken for an instance target, so beside a resource group it is rejected',
    schemas: 'accept',
    library: 'rejects',
    covers: (specs: TargetSpec[]) => specs.some((spec) => spec.factory === 'keyValues' && isToken(spec.key)) && specs.some((spec) => familyOf(spec)?.startsWith('resource-groups:')),
    example: (): TargetSpec[] => [{ factory: 'resourceGroup', name: 'web' }, { factory: 'keyValues', key: stringToken('parameter'), values: ['x'] }],
  },
  {
    finding: 'NEW',
    subject: 'MaintenanceWindowTarget.targets',
    summary: 'Target.fromKeyValues with a key other than the five the API lists for window targets is accepted',
    schemas: 'reject',
    library: 'accepts',
    covers: (specs: TargetSpec[]) => specs.some((spec) => {
      const key = keyOf(spec);
      return key !== undefined && !['InstanceIds', 'tag-key', 'resource-groups:Name', 'resource-groups:ResourceTypeFilters'].includes(key) && !key.startsWith('tag:');
    }),
    example: (): TargetSpec[] => [{ factory: 'keyValues', key: 'Environment', values: ['prod'] }],
  },

  // MaintenanceWindowTask and TaskAction
  {
    finding: 'NEW',
    subject: 'MaintenanceWindowTask.targets',
    summary: 'Target.instanceIds() with no IDs is rejected; the schemas allow a target with 0 values',
    schemas: 'accept',
    library: 'rejects',
    covers: ({ ids }: { ids?: unknown }) => Array.isArray(ids) && ids.length === 0,
    example: () => ({ ids: [], windowTargets: 0 }),
  },
  tokenParameterNames('TaskAction.runCommand.parameters'),
  tokenParameterNames('TaskAction.automation.parameters'),

  // RunCommand
  tokenParameterNames('RunCommand.parameters'),
  emptyTargetValues('RunCommand.targets'),
];
