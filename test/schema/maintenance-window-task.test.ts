import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as fc from 'fast-check';
import {
  alarmSubject, anchoredDocumentVersion, documentReferenceSubject, documentVersions, parametersSubject, rateControlSubject, sharedArn,
} from './common';
import { Subject, checkSubject, countsAround, durationSubject, numberSubject, textAround, textSubject } from './harness';
import { Rule, apiRule, cfnRule, problemsOf } from './rules';
import { Schemas, describeWithSchemas } from './schemas';
import { nodeIds } from './targets';
import { Maybe, TokenValue, anyListToken, anyStringToken, made } from './values';
import {
  Concurrency, CutoffBehavior, Document, DocumentType, ErrorThreshold, IDocument, ITaskTarget, MaintenanceWindow, MaintenanceWindowSchedule,
  MaintenanceWindowTaskOptions, RunCommandTaskOptions, Target, TaskAction,
} from '../../src';

// MaintenanceWindowTask (AWS::SSM::MaintenanceWindowTask, RegisterTaskWithMaintenanceWindow) and its TaskActions
// against the registry schema and the API model. The registry schema gives TaskInvocationParameters their structure
// only; their limits are the API's. Rejections start with the task's path, Stack/Window/Subject.

const TYPE = 'AWS::SSM::MaintenanceWindowTask';
const PATH = 'Stack/Window/Subject';
const REGISTER_TASK = 'SSM API Reference, RegisterTaskWithMaintenanceWindow (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTaskWithMaintenanceWindow.html)';

function windowOf(stack: Stack) {
  return new MaintenanceWindow(stack, 'Window', {
    schedule: MaintenanceWindowSchedule.cron({ weekDay: 'SUN', hour: '3' }),
    duration: Duration.hours(4),
    allowUnassociatedTargets: true,
  });
}

/** A Run Command task of a document with unknown parameters, on one instance, unless the options say otherwise. */
function task(stack: Stack, options: Partial<MaintenanceWindowTaskOptions>) {
  windowOf(stack).addTask('Subject', {
    task: options.task ?? TaskAction.runCommand({ document: Document.fromDocumentName(stack, 'Doc', 'My-Document') }),
    targets: [Target.instanceIds('i-0123456789abcdef0')],
    ...options,
  });
}

function runCommand(stack: Stack, options: Partial<RunCommandTaskOptions>) {
  task(stack, { task: TaskAction.runCommand({ document: Document.fromDocumentName(stack, 'Doc', 'My-Document'), ...options }) });
}

/** The rules of a task property in the registry schema and RegisterTaskWithMaintenanceWindow. */
function rulesOf(schemas: Schemas, property: string): Rule[] {
  return [cfnRule(schemas, TYPE, property), apiRule(schemas, `RegisterTaskWithMaintenanceWindow.${property}`)];
}

/** The rules of a member of an invocation block, in both (`RunCommand`, `Comment`). */
function invocationRules(schemas: Schemas, block: 'RunCommand' | 'Automation' | 'Lambda' | 'StepFunctions', member: string): Rule[] {
  return [
    cfnRule(schemas, TYPE, `TaskInvocationParameters.MaintenanceWindow${block}Parameters.${member}`),
    apiRule(schemas, `RegisterTaskWithMaintenanceWindow.TaskInvocationParameters.${block}.${member}`),
  ];
}

describeWithSchemas('MaintenanceWindowTask agrees with the registry schema and the SSM API model', () => {
  checkSubject('MaintenanceWindowTask.priority', () => {
    const schemas = Schemas.load();
    return numberSubject({
      name: 'MaintenanceWindowTask.priority',
      rules: rulesOf(schemas, 'Priority'),
      paths: [PATH],
      property: 'priority',
      build: (stack, priority) => task(stack, { priority }),
    });
  });

  for (const [property, member] of [['taskName', 'Name'], ['description', 'Description']] as const) {
    checkSubject(`MaintenanceWindowTask.${property}`, () => {
      const schemas = Schemas.load();
      return textSubject({
        name: `MaintenanceWindowTask.${property}`,
        rules: rulesOf(schemas, member),
        paths: [PATH],
        property,
        build: (stack, value) => task(stack, { [property]: value }),
      });
    });
  }

  for (const [property, kind] of [['maxConcurrency', Concurrency], ['maxErrors', ErrorThreshold]] as const) {
    checkSubject(`MaintenanceWindowTask.${property}`, () => {
      const schemas = Schemas.load();
      return rateControlSubject({
        name: `MaintenanceWindowTask.${property}`,
        rules: rulesOf(schemas, property === 'maxConcurrency' ? 'MaxConcurrency' : 'MaxErrors'),
        path: PATH,
        property,
        kind,
        build: (stack, value) => task(stack, { [property]: value }),
      });
    });
  }

  checkSubject('MaintenanceWindowTask.targets', () => {
    const schemas = Schemas.load();
    const list = rulesOf(schemas, 'Targets').map((rule) => ({ ...rule, itemRule: undefined }));
    const values = rulesOf(schemas, 'Targets[].Values').map((rule) => ({ ...rule, itemRule: undefined }));
    // A task takes instance IDs (one list, with tokens among them, or a list token spread into Target.instanceIds)
    // and window targets, which it gives the API as one WindowTargetIds target of their IDs.
    type TaskTargets = { readonly ids?: readonly Maybe<string>[] | TokenValue<string[]>; readonly windowTargets: number; readonly other?: 'tag' | 'resourceGroup' };
    const subject: Subject<TaskTargets> = {
      name: 'MaintenanceWindowTask.targets',
      paths: [PATH],
      property: 'targets',
      build: (stack, { ids, windowTargets, other }) => {
        const parent = windowOf(stack);
        const targets: ITaskTarget[] = Array.from({ length: windowTargets }, (_, i) => parent.addTarget(`Target${i}`, { targets: [Target.tag('Role', 'web')] }));
        if (ids instanceof TokenValue) {
          targets.push(Target.instanceIds(...ids.make(stack)));
        } else if (ids) {
          targets.push(Target.instanceIds(...ids.map((id) => made(stack, id))));
        }
        if (other) {
          targets.push(other === 'tag' ? Target.tag('Role', 'web') : Target.resourceGroup('web'));
        }
        parent.addTask('Subject', { task: TaskAction.runCommand({ document: Document.fromDocumentName(stack, 'Doc', 'My-Document') }), targets });
      },
      schema: ({ ids, windowTargets, other }) => {
        const rendered = [...ids !== undefined ? [ids] : [], ...windowTargets ? [Array.from({ length: windowTargets }, () => 'id')] : [], ...other ? [['web']] : []];
        return [...problemsOf(list, rendered), ...rendered.filter((r) => !(r instanceof TokenValue)).flatMap((r) => problemsOf(values, r))];
      },
      stricter: [
        { source: `${REGISTER_TASK}: Run Command tasks need one or more targets`, problems: ({ ids, windowTargets, other }) => !ids && !windowTargets && !other ? ['no targets'] : [] },
        { source: `${REGISTER_TASK}: targets are Key=InstanceIds or Key=WindowTargetIds`, problems: ({ other }) => other ? [`a ${other} target`] : [] },
        {
          source: 'SSM API Reference, Target: Key=InstanceIds,Values=instance-id-1,instance-id-2 (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Target.html)',
          problems: ({ ids }) => Array.isArray(ids) ? ids.filter((id) => typeof id === 'string' && !new RegExp(schemas.shape('InstanceId').pattern!).test(id)).map(() => 'not a node ID') : [],
        },
        // A task gives the API one target per key (README, "Maintenance windows": "Tasks take window targets, or instance IDs").
        { source: `${REGISTER_TASK}: the targets (either managed nodes or maintenance window targets)`, problems: ({ ids, windowTargets }) => ids && windowTargets ? ['both kinds'] : [] },
      ],
    };
    const id = fc.oneof({ weight: 9, arbitrary: nodeIds }, { weight: 1, arbitrary: anyStringToken });
    const ids = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(countsAround(values), id).map(([count, first]) => Array.from({ length: count }, (_, i) => i === 0 ? first : `i-${String(i).padStart(17, '0')}`)) },
      { weight: 1, arbitrary: anyListToken },
    );
    return {
      subject,
      numRuns: 60,
      values: fc.record({
        ids: fc.option(ids, { nil: undefined }),
        windowTargets: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(0, 1, 2) }, { weight: 1, arbitrary: countsAround(values) }),
        other: fc.option(fc.constantFrom<'tag' | 'resourceGroup'>('tag', 'resourceGroup'), { nil: undefined, freq: 6 }),
      }),
    };
  });

  checkSubject('MaintenanceWindowTask.alarmConfiguration', () => alarmSubject({
    name: 'MaintenanceWindowTask.alarmConfiguration', path: PATH, build: (stack, alarmConfiguration) => task(stack, { alarmConfiguration }),
  }));

  test('the CutoffBehavior enum has exactly the values of the schemas', () => {
    const schemas = Schemas.load();
    for (const rule of rulesOf(schemas, 'CutoffBehavior')) {
      expect(Object.values(CutoffBehavior).sort()).toEqual([...rule.enum as string[]].sort());
    }
  });
});

describeWithSchemas('TaskAction.runCommand agrees with the registry schema and the SSM API model', () => {
  checkSubject('TaskAction.runCommand.comment', () => {
    const schemas = Schemas.load();
    return textSubject({
      name: 'TaskAction.runCommand.comment',
      rules: invocationRules(schemas, 'RunCommand', 'Comment'),
      paths: [PATH],
      property: 'comment',
      build: (stack, comment) => runCommand(stack, { comment }),
    });
  });

  checkSubject('TaskAction.runCommand.deliveryTimeout', () => {
    const schemas = Schemas.load();
    return durationSubject({
      name: 'TaskAction.runCommand.deliveryTimeout',
      rules: invocationRules(schemas, 'RunCommand', 'TimeoutSeconds'),
      unit: 'seconds',
      paths: [PATH],
      property: 'deliveryTimeout',
      build: (stack, deliveryTimeout) => runCommand(stack, { deliveryTimeout }),
    });
  });

  checkSubject('TaskAction.runCommand.documentVersion', () => {
    const schemas = Schemas.load();
    return textSubject({
      name: 'TaskAction.runCommand.documentVersion',
      rules: invocationRules(schemas, 'RunCommand', 'DocumentVersion'),
      paths: [PATH],
      property: 'documentVersion',
      build: (stack, documentVersion) => runCommand(stack, { documentVersion }),
      stricter: [anchoredDocumentVersion(schemas)],
      examples: documentVersions,
    });
  });

  checkSubject('TaskAction.runCommand.outputS3.keyPrefix', () => {
    const schemas = Schemas.load();
    return textSubject({
      name: 'TaskAction.runCommand.outputS3.keyPrefix',
      rules: invocationRules(schemas, 'RunCommand', 'OutputS3KeyPrefix'),
      paths: [PATH],
      property: 'keyPrefix',
      build: (stack, keyPrefix) => runCommand(stack, { outputS3: { bucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'my-bucket'), keyPrefix } }),
    });
  });

  checkSubject('TaskAction.runCommand.document', () => {
    const schemas = Schemas.load();
    // A window task's TaskArn takes a document's name or ARN, longer than the other APIs' DocumentARN; but the window
    // runs the task with SendCommand, whose DocumentName takes the TaskArn.
    const sendCommand = apiRule(schemas, 'SendCommand.DocumentName');
    return documentReferenceSubject({
      name: 'TaskAction.runCommand.document',
      rules: rulesOf(schemas, 'TaskArn'),
      path: PATH,
      build: (stack, document: IDocument) => task(stack, { task: TaskAction.runCommand({ document }) }),
      later: [{
        source: `${sendCommand.source}, which the window calls with the task's TaskArn (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_SendCommand.html)`,
        problems: ({ owner, name }) => problemsOf([sendCommand], owner === 'self' ? name : sharedArn(name)),
      }],
    });
  });

  checkSubject('TaskAction.runCommand.parameters', () => {
    const schemas = Schemas.load();
    return parametersSubject({
      name: 'TaskAction.runCommand.parameters',
      path: PATH,
      rules: invocationRules(schemas, 'RunCommand', 'Parameters'),
      build: (stack, parameters) => runCommand(stack, { parameters }),
    });
  });
});

describeWithSchemas('TaskAction.automation agrees with the registry schema and the SSM API model', () => {
  checkSubject('TaskAction.automation.parameters', () => {
    const schemas = Schemas.load();
    return parametersSubject({
      name: 'TaskAction.automation.parameters',
      path: PATH,
      rules: invocationRules(schemas, 'Automation', 'Parameters'),
      // The library writes no Parameters for an empty map, which the API's minimum of one name then doesn't concern.
      omitsEmpty: true,
      build: (stack, parameters) => task(stack, {
        task: TaskAction.automation({
          document: Document.fromDocumentAttributes(stack, 'Doc', { documentName: 'My-Runbook', documentType: DocumentType.AUTOMATION }), parameters,
        }),
      }),
    });
  });

  checkSubject('TaskAction.automation.documentVersion', () => {
    const schemas = Schemas.load();
    return textSubject({
      name: 'TaskAction.automation.documentVersion',
      rules: invocationRules(schemas, 'Automation', 'DocumentVersion'),
      paths: [PATH],
      property: 'documentVersion',
      build: (stack, documentVersion) => task(stack, {
        task: TaskAction.automation({ document: Document.fromDocumentAttributes(stack, 'Doc', { documentName: 'My-Runbook', documentType: DocumentType.AUTOMATION }), documentVersion }),
      }),
      stricter: [anchoredDocumentVersion(schemas)],
      examples: documentVersions,
    });
  });
});

describeWithSchemas('TaskAction.lambda and TaskAction.stepFunctions agree with the registry schema and the SSM API model', () => {
  const fn = (stack: Stack) => lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:111111111111:function:drain');
  const stateMachine = (stack: Stack) => sfn.StateMachine.fromStateMachineArn(stack, 'Sm', 'arn:aws:states:us-east-1:111111111111:stateMachine:verify');

  for (const [property, member] of [['qualifier', 'Qualifier'], ['clientContext', 'ClientContext']] as const) {
    checkSubject(`TaskAction.lambda.${property}`, () => {
      const schemas = Schemas.load();
      return textSubject({
        name: `TaskAction.lambda.${property}`,
        rules: invocationRules(schemas, 'Lambda', member),
        paths: [PATH],
        property,
        numRuns: 40,
        build: (stack, value) => task(stack, { task: TaskAction.lambda(fn(stack), { [property]: value }), targets: undefined }),
      });
    });
  }

  checkSubject('TaskAction.lambda.payload', () => {
    const schemas = Schemas.load();
    const [, blob] = invocationRules(schemas, 'Lambda', 'Payload');
    // The payload is a blob of at most maxLength bytes in the API. CloudFormation takes it as base64 text (AWS
    // CloudFormation User Guide, MaintenanceWindowLambdaParameters Payload), and whether the limit counts that text
    // or the bytes it decodes to is not documented, so the library holds the encoded text to the limit.
    const encodedLimit = blob.maxLength!;
    const subject: Subject<Maybe<string>> = {
      name: 'TaskAction.lambda.payload',
      paths: [PATH],
      property: 'payload',
      build: (stack, payload) => task(stack, { task: TaskAction.lambda(fn(stack), { payload: made(stack, payload) }), targets: undefined }),
      schema: (payload) => typeof payload === 'string' && Buffer.byteLength(payload, 'utf8') > encodedLimit ? [`more than ${encodedLimit} bytes (${blob.source})`] : [],
      stricter: [{
        source: 'AWS CloudFormation User Guide, MaintenanceWindowLambdaParameters Payload: base64 text (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ssm-maintenancewindowtask-maintenancewindowlambdaparameters.html)',
        problems: (payload) => typeof payload === 'string' && Buffer.from(payload, 'utf8').toString('base64').length > encodedLimit ? ['more than the limit once base64-encoded'] : [],
      }],
    };
    // Payloads whose bytes, or base64 text, are at and around the limit.
    const decodedLimits = [encodedLimit, Math.floor(encodedLimit / 4) * 3];
    const payload = fc.oneof(
      { weight: 6, arbitrary: textAround([], { limits: decodedLimits, alphabet: ['a', '{', '"', ' ', 'é', '😀'] }) },
      { weight: 1, arbitrary: anyStringToken },
    );
    return { subject, values: payload, numRuns: 40 };
  });

  for (const [property, member] of [['input', 'Input'], ['executionName', 'Name']] as const) {
    checkSubject(`TaskAction.stepFunctions.${property}`, () => {
      const schemas = Schemas.load();
      return textSubject({
        name: `TaskAction.stepFunctions.${property}`,
        rules: invocationRules(schemas, 'StepFunctions', member),
        paths: [PATH],
        property,
        numRuns: 40,
        build: (stack, value) => task(stack, { task: TaskAction.stepFunctions(stateMachine(stack), { [property]: value }), targets: undefined }),
      });
    });
  }
});
