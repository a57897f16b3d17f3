import * as fc from 'fast-check';
import { SEED, textAround } from './harness';
import { KNOWN_DISAGREEMENTS } from './known-disagreements';
import { apiRule, cfnRule, chars, limitsOf, problems } from './rules';
import { RESOURCE_TYPES, Schemas, describeWithSchemas } from './schemas';

// The loader and the rules the property tests stand on: that the schemas are the ones named, and that the checks read
// them as CloudFormation and the SDKs do.

describeWithSchemas('the schemas the property tests read', () => {
  test('every SSM resource schema is found by its typeName, beside the content schema and the API model', () => {
    const schemas = Schemas.load();
    for (const typeName of RESOURCE_TYPES) {
      expect(schemas.resources[typeName].typeName).toEqual(typeName);
    }
    expect(schemas.documentContent.properties?.schemaVersion).toBeDefined();
    expect(schemas.api.operations.SendCommand.input?.shape).toEqual('SendCommandRequest');
  });

  test('paths reach through $ref, arrays and maps, in the registry schemas and the API model', () => {
    const schemas = Schemas.load();
    expect(cfnRule(schemas, 'AWS::SSM::Association', 'Targets[].Key').maxLength).toBeGreaterThan(0);
    expect(cfnRule(schemas, 'AWS::SSM::Association', 'Parameters').keyPatterns?.length).toBeGreaterThan(0);
    expect(apiRule(schemas, 'RegisterTaskWithMaintenanceWindow.TaskInvocationParameters.Automation.Parameters').keyRule?.maxLength).toBeGreaterThan(0);
    expect(() => cfnRule(schemas, 'AWS::SSM::Association', 'NoSuchProperty')).toThrow(/has no NoSuchProperty/);
    expect(() => apiRule(schemas, 'SendCommand.NoSuchMember')).toThrow(/has no SendCommand.NoSuchMember/);
  });

  test('lengths count characters, not UTF-16 code units', () => {
    const rule = { source: 'test', maxLength: 2 };
    expect(chars('😀😀')).toEqual(2);
    expect(problems(rule, '😀😀')).toEqual([]);
    expect(problems(rule, '😀😀😀')).toHaveLength(1);
  });

  test("patterns run with the u flag when they allow it, and match anywhere unless anchored, as the schemas' validators do", () => {
    const schemas = Schemas.load();
    const tagKey = { source: 'test', pattern: schemas.shape('TagKey').pattern };
    // \p{L} is a letter class only with the u flag; without it, it would be the letter p.
    expect(problems(tagKey, 'é𝒜')).toEqual([]);
    expect(problems(tagKey, '!')).toHaveLength(1);
    // DocumentVersion's first alternatives are unanchored in the model.
    expect(problems({ source: 'test', pattern: schemas.shape('DocumentVersion').pattern }, 'x$LATESTx')).toEqual([]);
    // TargetType's pattern has escapes the u flag refuses; it is compiled without it.
    expect(problems(cfnRule(schemas, 'AWS::SSM::Document', 'TargetType'), '/AWS::EC2::Instance')).toEqual([]);
  });

  test('generated texts reach every limit of a rule, in characters', () => {
    const rule = { source: 'test', minLength: 3, maxLength: 10 };
    const lengths = new Set(fc.sample(textAround([rule]), { seed: SEED, numRuns: 300 }).map(chars));
    for (const limit of limitsOf(rule)) {
      expect([limit - 1, limit, limit + 1].every((length) => lengths.has(length))).toBe(true);
    }
  });

  test('every known disagreement names a subject, a finding and an example', () => {
    for (const entry of KNOWN_DISAGREEMENTS) {
      expect(entry.subject).toMatch(/^[A-Za-z]+(\.[\w[\]() ]+)+/);
      expect(entry.finding === 'NEW' || (entry.finding >= 1 && entry.finding <= 15)).toBe(true);
      expect(entry.covers(entry.example())).toBe(true);
    }
  });
});
