import { Duration, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { Subject, checkSubject, durationSubject, numberSubject, textSubject } from './harness';
import { Rule, apiRule, cfnRule, problemsOf } from './rules';
import { CRON_AND_RATE, ScheduleSpec, expressionOf, makeSchedule, rateTokenProblems, scheduleGrammar, schedulesAround } from './schedules';
import { Schemas, describeWithSchemas } from './schemas';
import {
  TargetSpec, acceptedKeys, atLeastOneTarget, atMostInAll, atMostValues,
  familyOf, makeTarget, nodeIdValues, tagKeys, targetProblems, targetRules,
  targetsAround,
} from './targets';
import { DurationValue, isToken } from './values';
import { MaintenanceWindow, MaintenanceWindowProps, MaintenanceWindowSchedule, MaintenanceWindowTargetOptions, Target } from '../../src';

// MaintenanceWindow (AWS::SSM::MaintenanceWindow, CreateMaintenanceWindow) and MaintenanceWindowTarget
// (AWS::SSM::MaintenanceWindowTarget, RegisterTargetWithMaintenanceWindow) against the registry schemas and the API
// model. A window's rejections start with Stack/Subject, a window target's with Stack/Window/Subject.

const WINDOW = 'AWS::SSM::MaintenanceWindow';
const TARGET = 'AWS::SSM::MaintenanceWindowTarget';
const PATH = 'Stack/Subject';
const TARGET_PATH = 'Stack/Window/Subject';

function window(stack: Stack, props: Partial<MaintenanceWindowProps>) {
  return new MaintenanceWindow(stack, 'Subject', {
    schedule: MaintenanceWindowSchedule.cron({ weekDay: 'SUN', hour: '3' }),
    duration: Duration.hours(4),
    ...props,
  });
}

function windowTarget(stack: Stack, options: Partial<MaintenanceWindowTargetOptions>) {
  const parent = new MaintenanceWindow(stack, 'Window', { schedule: MaintenanceWindowSchedule.cron({ weekDay: 'SUN', hour: '3' }), duration: Duration.hours(4) });
  parent.addTarget('Subject', { targets: [Target.tag('Role', 'web')], ...options });
}

function rulesOf(schemas: Schemas, typeName: typeof WINDOW | typeof TARGET, property: string): Rule[] {
  const operation = typeName === WINDOW ? 'CreateMaintenanceWindow' : 'RegisterTargetWithMaintenanceWindow';
  return [cfnRule(schemas, typeName, property), apiRule(schemas, `${operation}.${property}`)];
}

const MAINTENANCE_WINDOW_TARGETS = 'SSM User Guide, Examples: Register targets with a maintenance window: a window target takes at most 50 instances, five tag key-value pairs, five tag keys and one resource group (https://docs.aws.amazon.com/systems-manager/latest/userguide/mw-cli-tutorial-targets-examples.html)';
const REGISTER_TARGET = 'SSM API Reference, RegisterTargetWithMaintenanceWindow: ResourceType INSTANCE takes InstanceIds, tag:<key> and tag-key; RESOURCE_GROUP takes resource-groups:Name and resource-groups:ResourceTypeFilters (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTargetWithMaintenanceWindow.html)';

describeWithSchemas('MaintenanceWindow agrees with the registry schema and the SSM API model', () => {
  checkSubject('MaintenanceWindow.maintenanceWindowName', () => {
    const schemas = Schemas.load();
    return textSubject({
      name: 'MaintenanceWindow.maintenanceWindowName',
      rules: rulesOf(schemas, WINDOW, 'Name'),
      paths: [PATH],
      property: 'maintenanceWindowName',
      build: (stack, maintenanceWindowName) => window(stack, { maintenanceWindowName }),
    });
  });

  checkSubject('MaintenanceWindow.description', () => {
    const schemas = Schemas.load();
    return textSubject({
      name: 'MaintenanceWindow.description',
      rules: rulesOf(schemas, WINDOW, 'Description'),
      paths: [PATH],
      property: 'description',
      build: (stack, description) => window(stack, { description }),
    });
  });

  checkSubject('MaintenanceWindow.scheduleOffset', () => {
    const schemas = Schemas.load();
    return numberSubject({
      name: 'MaintenanceWindow.scheduleOffset',
      rules: rulesOf(schemas, WINDOW, 'ScheduleOffset'),
      paths: [PATH],
      property: 'scheduleOffset',
      build: (stack, scheduleOffset) => window(stack, { scheduleOffset }),
    });
  });

  checkSubject('MaintenanceWindow.duration', () => {
    const schemas = Schemas.load();
    return durationSubject({
      name: 'MaintenanceWindow.duration',
      rules: rulesOf(schemas, WINDOW, 'Duration'),
      unit: 'hours',
      paths: [PATH],
      property: 'duration',
      build: (stack, duration) => window(stack, { duration }),
    });
  });

  checkSubject('MaintenanceWindow.cutoff', () => {
    const schemas = Schemas.load();
    // The longest window the schemas allow, so that the cutoff's own limits are what is tested.
    const longest = Math.min(...rulesOf(schemas, WINDOW, 'Duration').map((rule) => rule.maximum!));
    const { subject, values, numRuns } = durationSubject({
      name: 'MaintenanceWindow.cutoff',
      rules: rulesOf(schemas, WINDOW, 'Cutoff'),
      unit: 'hours',
      paths: [PATH],
      property: 'cutoff',
      build: (stack, cutoff) => window(stack, { cutoff, duration: Duration.hours(longest) }),
      stricter: [{
        source: 'SSM API Reference, CreateMaintenanceWindow Cutoff: the hours before the end of the window in which no task starts, so less than Duration (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateMaintenanceWindow.html)',
        problems: (cutoff) => cutoff instanceof DurationValue && !isToken(cutoff) && cutoff.seconds / 3600 >= longest ? ['cutoff not less than duration'] : [],
      }],
    });
    return { subject, values, numRuns };
  });

  checkSubject('MaintenanceWindow.schedule', () => {
    const schemas = Schemas.load();
    const rules = rulesOf(schemas, WINDOW, 'Schedule');
    const subject: Subject<ScheduleSpec> = {
      name: 'MaintenanceWindow.schedule',
      paths: [PATH],
      property: 'schedule',
      build: (stack, spec) => window(stack, { schedule: makeSchedule(stack, 'window', spec) }),
      schema: (spec) => {
        const expression = expressionOf(spec, 'window');
        return expression === undefined ? [] : problemsOf(rules, expression);
      },
      stricter: [{ source: CRON_AND_RATE, problems: (spec) => scheduleGrammar('window', spec) }],
      tokenProblems: rateTokenProblems,
    };
    return { subject, values: schedulesAround('window', rules), numRuns: 150 };
  });

  checkSubject('MaintenanceWindow.startDate', () => {
    // StartDate and EndDate are ISO-8601 text in the schemas; a JavaScript Date that is invalid has none.
    type Dates = { readonly startDate?: Date; readonly endDate?: Date };
    const invalid = (date?: Date) => date !== undefined && Number.isNaN(date.getTime());
    const subject: Subject<Dates> = {
      name: 'MaintenanceWindow.startDate',
      paths: [PATH],
      property: (line, { startDate, endDate }) =>
        (invalid(startDate) && line.includes('startDate')) || (invalid(endDate) && line.includes('endDate')) || (!invalid(startDate) && !invalid(endDate) && /startDate|endDate/.test(line)),
      build: (stack, dates) => window(stack, dates),
      schema: ({ startDate, endDate }) => [startDate, endDate].filter(invalid).map(() => 'an invalid Date has no ISO-8601 form'),
      stricter: [{
        source: 'SSM API Reference, CreateMaintenanceWindow StartDate and EndDate: when the window becomes active and inactive (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateMaintenanceWindow.html)',
        problems: ({ startDate, endDate }) => startDate && endDate && !invalid(startDate) && !invalid(endDate) && endDate <= startDate ? ['endDate not after startDate'] : [],
      }],
    };
    const dates = fc.option(fc.constantFrom(new Date('2030-01-01T00:00:00Z'), new Date('2031-06-30T12:00:00Z'), new Date(Number.NaN), new Date('not a date')), { nil: undefined });
    return { subject, values: fc.record({ startDate: dates, endDate: dates }), numRuns: 30 };
  });

  checkSubject('MaintenanceWindow.(generated name)', () => {
    // Without maintenanceWindowName the library makes a name from the construct's path: it must meet the schemas,
    // whatever the construct IDs (checked in the template, as every accepted value is).
    const subject: Subject<readonly string[]> = {
      name: 'MaintenanceWindow.(generated name)',
      paths: [PATH],
      property: 'maintenanceWindowName',
      build: (stack, ids) => {
        const scope = ids.reduce<Construct>((parent, id) => new Construct(parent, id), stack);
        new MaintenanceWindow(scope, 'Subject', { schedule: MaintenanceWindowSchedule.cron({ weekDay: 'SUN', hour: '3' }), duration: Duration.hours(4) });
      },
      schema: () => [],
    };
    const id = fc.string({ unit: fc.constantFrom('a', 'B', '-', '_', '.', ' ', 'é', '😀', '$'), minLength: 1, maxLength: 80 });
    return { subject, values: fc.array(id, { maxLength: 3 }), numRuns: 40 };
  });
});

describeWithSchemas('MaintenanceWindowTarget agrees with the registry schema and the SSM API model', () => {
  for (const [property, member] of [['ownerInformation', 'OwnerInformation'], ['windowTargetName', 'Name'], ['description', 'Description']] as const) {
    checkSubject(`MaintenanceWindowTarget.${property}`, () => {
      const schemas = Schemas.load();
      return textSubject({
        name: `MaintenanceWindowTarget.${property}`,
        rules: rulesOf(schemas, TARGET, member),
        paths: [TARGET_PATH],
        property,
        build: (stack, value) => windowTarget(stack, { [property]: value }),
      });
    });
  }

  checkSubject('MaintenanceWindowTarget.targets', () => {
    const schemas = Schemas.load();
    const rules = targetRules(schemas, 'windowTarget');
    const instanceKeys = (key: string) => key === 'InstanceIds' || key === 'tag-key' || key.startsWith('tag:');
    const subject: Subject<TargetSpec[]> = {
      name: 'MaintenanceWindowTarget.targets',
      paths: [TARGET_PATH],
      property: 'targets',
      build: (stack, specs) => windowTarget(stack, { targets: specs.map((spec) => makeTarget(stack, spec)) }),
      schema: (specs) => targetProblems(rules, specs),
      stricter: [
        atLeastOneTarget('SSM API Reference, RegisterTargetWithMaintenanceWindow: Targets is required (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTargetWithMaintenanceWindow.html)'),
        nodeIdValues(schemas, false),
        tagKeys(schemas),
        acceptedKeys(['InstanceIds', 'tag-key', /^tag:/, 'resource-groups:Name', 'resource-groups:ResourceTypeFilters'], REGISTER_TARGET),
        {
          source: REGISTER_TARGET,
          problems: (specs) => {
            const keys = specs.map(familyOf).filter((key): key is string => key !== undefined);
            const groups = keys.filter((key) => key.startsWith('resource-groups:'));
            return [
              ...groups.length && keys.some(instanceKeys) ? ['resource group keys beside instance keys'] : [],
              ...groups.length && !groups.includes('resource-groups:Name') ? ['resource type filters without a resource group'] : [],
            ];
          },
        },
        atMostValues('resource-groups:Name', 1, 'SSM API Reference, Target: Key=resource-groups:Name,Values=resource-group-name (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Target.html)'),
        // One group name in all (a list token's names are unknown, so it is never counted against it).
        atMostInAll(/^resource-groups:Name$/, 1, MAINTENANCE_WINDOW_TARGETS),
        // The quotas are per window target: over all of its targets of a kind.
        atMostInAll(/^InstanceIds$/, 50, MAINTENANCE_WINDOW_TARGETS),
        atMostInAll(/^tag:/, 5, MAINTENANCE_WINDOW_TARGETS),
        atMostInAll(/^tag-key$/, 5, MAINTENANCE_WINDOW_TARGETS),
      ],
    };
    return {
      subject,
      numRuns: 150,
      values: targetsAround(rules, ['instanceIds', 'tag', 'tagKey', 'resourceGroup', 'resourceTypes', 'allManagedNodes', 'keyValues']),
    };
  });
});
