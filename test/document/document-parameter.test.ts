import { Template } from 'aws-cdk-lib/assertions';
import { CommandDocument, CommandStep, DisplayType, DocumentParameter, DocumentParameterType } from '../../src';
import { testStack } from '../util';

describe('DocumentParameter', () => {
  test('every option is written into the declaration', () => {
    // GIVEN
    const stack = testStack();
    const parameters = {
      level: DocumentParameter.string({
        description: 'How hard',
        default: 'high',
        allowedValues: ['low', 'high'],
        allowedPattern: '^[a-z]+$',
        minChars: 3,
        maxChars: 4,
        displayType: DisplayType.TEXT_FIELD,
      }),
      packages: DocumentParameter.stringList({
        description: 'Packages',
        default: ['curl'],
        allowedValues: ['curl', 'jq'],
        allowedPattern: '^[a-z]+$',
        minItems: 1,
        maxItems: 2,
        minChars: 2,
        maxChars: 10,
        displayType: DisplayType.TEXT_AREA,
      }),
      retries: DocumentParameter.integer({ description: 'Retries', default: 2, allowedValues: [1, 2, 3] }),
      reboot: DocumentParameter.boolean({ description: 'Reboot', default: false }),
      settings: DocumentParameter.stringMap({
        description: 'Settings',
        default: { SSM_a: '1' },
        minItems: 1,
        maxItems: 3,
        allowedPattern: '.*',
        minChars: 2,
        maxChars: 100,
        displayType: DisplayType.TEXT_AREA,
      }),
      mounts: DocumentParameter.mapList({ description: 'Mounts', default: [{ path: '/data' }], minItems: 1, maxItems: 4, displayType: DisplayType.TEXT_AREA }),
    };
    // WHEN
    new CommandDocument(stack, 'Doc', {
      parameters,
      steps: [CommandStep.runShellScript('apply', { commands: ['echo {{ level }} {{ packages }} {{ retries }} {{ reboot }} {{ settings }} {{ mounts }}'] })],
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Document', {
      Content: {
        parameters: {
          level: {
            type: 'String',
            description: 'How hard',
            default: 'high',
            allowedValues: ['low', 'high'],
            allowedPattern: '^[a-z]+$',
            minChars: 3,
            maxChars: 4,
            displayType: 'textfield',
          },
          packages: {
            type: 'StringList',
            description: 'Packages',
            default: ['curl'],
            allowedValues: ['curl', 'jq'],
            allowedPattern: '^[a-z]+$',
            minItems: 1,
            maxItems: 2,
            minChars: 2,
            maxChars: 10,
            displayType: 'textarea',
          },
          retries: { type: 'Integer', description: 'Retries', default: 2, allowedValues: [1, 2, 3] },
          reboot: { type: 'Boolean', description: 'Reboot', default: false },
          settings: {
            type: 'StringMap',
            description: 'Settings',
            default: { SSM_a: '1' },
            minItems: 1,
            maxItems: 3,
            allowedPattern: '.*',
            minChars: 2,
            maxChars: 100,
            displayType: 'textarea',
          },
          mounts: { type: 'MapList', description: 'Mounts', default: [{ path: '/data' }], minItems: 1, maxItems: 4, displayType: 'textarea' },
        },
      },
    });
  });

  test('a parameter without a default is required', () => {
    expect(DocumentParameter.string().required).toBe(true);
    expect(DocumentParameter.string({ default: '' }).required).toBe(false);
    expect(DocumentParameter.boolean({ default: false }).required).toBe(false);
  });

  test('exposes type, allowedValues as strings and allowedPattern for parameter checks', () => {
    const integer = DocumentParameter.integer({ allowedValues: [1, 2] });
    expect(integer.type).toBe(DocumentParameterType.INTEGER);
    expect(integer.allowedValues).toEqual(['1', '2']);
    expect(DocumentParameter.stringList({ allowedPattern: '^a$' }).allowedPattern).toBe('^a$');
    expect(DocumentParameter.stringMap().allowedValues).toBeUndefined();
  });
});
