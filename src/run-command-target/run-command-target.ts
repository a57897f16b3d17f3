import { Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { TargetBaseProps, addToDeadLetterQueueResourcePolicy, bindBaseTargetConfig } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_events as eventsRefs } from 'aws-cdk-lib/interfaces';
import { IConstruct } from 'constructs';
import { sendCommandStatements } from './permissions';
import { DocumentType, IDocument } from '../document/document';
import { checkDocumentParameters } from '../private/document-parameters';
import { show } from '../private/errors';
import { KIND_NAMES, RenderedTarget, TargetRules, renderTargets } from '../private/targets';
import { containsToken } from '../private/tokens';
import { chars, checkCount, checkLength, checkWholeNumber, known, reject, rejectCombination, span, wholeUnits } from '../private/validate';
import { Target, TargetKind } from '../target';

/**
 * Properties of a Run Command target of an EventBridge rule.
 */
export interface RunCommandTargetProps extends TargetBaseProps {
  /**
   * The Command document to run, of this app, imported, or one of AWS's own (`AwsManagedDocument`).
   *
   * The rule's target is the document's ARN, and the command runs its default version.
   */
  readonly document: IDocument;

  /**
   * The nodes the command runs on: `Target.instanceIds()`, `Target.instances()` (at most 50 IDs) or `Target.tag()`
   * (at most 5 values), at most 5 targets.
   *
   * EventBridge's Run Command target takes only instance IDs and tags. Its API Reference says it "currently" supports
   * one target block, while its schemas take five, and how several combine is not documented: give one. The role's
   * conditions require every tag of every target, so several targets never widen what it may send to.
   *
   * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RunCommandTarget.html
   */
  readonly targets: Target[];

  /**
   * The parameters passed to the document, as lists of strings, checked against the document's when known and sent
   * as the target's input.
   *
   * @default - no parameters (the target's input is `{}`)
   */
  readonly parameters?: Record<string, string[]>;

  /**
   * The document's parameters made from the event, such as `RuleTargetInput.fromObject({ commands: [...] })` with
   * `EventField` values, or an input transformer. Give `parameters` or `input`, not both.
   *
   * The input is sent to Systems Manager as the document's parameters, as it is when the rule fires, and is not
   * checked against the document: a wrong name or value fails only when the command is sent.
   *
   * @default - the `parameters`
   */
  readonly input?: events.RuleTargetInput;

  /**
   * The role EventBridge uses to send the command. The target adds `ssm:SendCommand` on the document and on the
   * targeted nodes to its policy (for a role imported with `mutable: false`, give it these permissions yourself).
   *
   * @default - a new role, trusted by `events.amazonaws.com`, allowed `ssm:SendCommand` on the document and the targeted nodes only
   */
  readonly eventRole?: iam.IRole;
}

// EventBridge's RunCommandTarget: instance IDs or one tag key, at most 5 targets, keys of 1 to 128 characters and 1
// to 50 values of 1 to 256 characters each (EventBridge API Reference, RunCommandParameters and RunCommandTarget).
// The command is sent by SendCommand, which takes five values for each tag key (SSM User Guide, "Run commands at
// scale").
const ACCEPTED = [TargetKind.INSTANCE_IDS, TargetKind.TAG];
// A key that is a token as a whole has the kind OTHER: it may be InstanceIds or a tag, so only known custom keys are
// refused (before these rules apply).
const TARGET_RULES: TargetRules = {
  accepted: [TargetKind.INSTANCE_IDS, TargetKind.TAG, TargetKind.OTHER],
  maxKeyLength: 128,
  perTarget: [{ kind: TargetKind.TAG, max: 5, noun: 'values', note: 'Run Command takes five values for each tag key' }],
};
const MAX_VALUE_LENGTH = 256;
// A rule target's Input (AWS::Events::Rule Target Input).
const MAX_INPUT = 8192;

/**
 * Sends a Systems Manager command when an EventBridge rule fires: an `events.IRuleTarget` whose ARN is the
 * document's, with the nodes as `RunCommandParameters` and the document's parameters as the target's input.
 *
 * The targets and parameters are checked when the target is added to a rule, and errors name the rule, the target's
 * ID and the property. The role EventBridge assumes may send the command with this document to these nodes only.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html
 *
 * @exampleMetadata fixture=run-command-target
 * @example
 * const rule = new events.Rule(this, 'Nightly', {
 *   schedule: events.Schedule.cron({ hour: '2', minute: '0' }),
 * });
 * rule.addTarget(new RunCommandTarget({
 *   document: AwsManagedDocument.RUN_SHELL_SCRIPT,
 *   parameters: { commands: ['yum update -y --security'] },
 *   targets: [Target.tag('Role', 'web')],
 *   retryAttempts: 2,
 *   deadLetterQueue: failedCommands,
 * }));
 */
export class RunCommandTarget implements events.IRuleTarget {
  private readonly props: RunCommandTargetProps;

  constructor(props: RunCommandTargetProps) {
    this.props = props;
  }

  /**
   * Checks the target's props and gives the rule its target, with a role allowed to send the command.
   *
   * @param rule the rule that sends the command
   * @param id the target's ID in the rule, which errors name
   */
  public bind(rule: eventsRefs.IRuleRef, id?: string): events.RuleTargetConfig {
    const props = this.props;
    const where = (property: string) => (id ? `${id}.${property}` : property);
    const targets = this.checkProps(rule, where);

    const role = props.eventRole ?? newRole(rule, id);
    for (const statement of sendCommandStatements(Stack.of(rule), props.document, targets)) {
      role.addToPrincipalPolicy(statement);
    }
    // aws-events-targets' own helpers, which its targets use, so that the dead-letter queue (its policy, and the
    // refusal of a queue of another region) and the retry policy behave as with aws-cdk's targets. Their docs mark
    // them @internal although the module exports them: the tests at the newest aws-cdk-lib 2.x would see a change.
    if (props.deadLetterQueue) {
      addToDeadLetterQueueResourcePolicy(rule, props.deadLetterQueue);
    }
    return {
      ...bindBaseTargetConfig(props),
      arn: props.document.documentArn,
      role,
      runCommandParameters: { runCommandTargets: targets.map(({ key, values }) => ({ key, values })) },
      input: props.input ?? events.RuleTargetInput.fromObject(props.parameters ?? {}),
    };
  }

  /** Checks the props against EventBridge's limits and the document, and gives the targets rendered. */
  private checkProps(rule: IConstruct, where: (property: string) => string): RenderedTarget[] {
    const { document, parameters, input, retryAttempts, maxEventAge } = this.props;
    if (document.documentType !== undefined && document.documentType !== DocumentType.COMMAND) {
      reject(rule, where('document'), document.documentName, `has type ${document.documentType}`, 'a Run Command target runs Command documents');
    }
    checkCount(rule, where('targets'), this.props.targets, 1, undefined, 'targets', 'give the nodes the command runs on');
    this.props.targets.forEach(({ key, kind }, index) => {
      if (!ACCEPTED.includes(kind) && !(kind === TargetKind.OTHER && Token.isUnresolved(key))) {
        reject(rule, where(`targets[${index}]`), key, `selects ${KIND_NAMES[kind]}, which a Run Command target does not accept`, 'use instance IDs or tags');
      }
    });
    const targets = renderTargets(rule, where('targets'), this.props.targets, TARGET_RULES);
    targets.forEach(({ key, values }, index) => {
      if (!known(values)) {
        return;
      }
      values.forEach((value) => checkLength(rule, `${where(`targets[${index}]`)}.values`, value, 1, MAX_VALUE_LENGTH));
      const repeated = values.find((value, at) => known(value) && values.indexOf(value) !== at);
      if (repeated !== undefined) {
        reject(rule, `${where(`targets[${index}]`)}.values`, repeated, `is given twice for ${show(key)}`, 'give each value once');
      }
    });
    if (input !== undefined && parameters !== undefined) {
      rejectCombination(rule, `${where('input')} and ${where('parameters')}`, 'are both given',
        'give the parameters in the input, or give parameters and no input');
    }
    if (input === undefined) {
      checkDocumentParameters(rule, where('parameters'), document, parameters);
    }
    if (parameters !== undefined && !containsToken(parameters)) {
      const length = chars(JSON.stringify(parameters));
      if (length > MAX_INPUT) {
        reject(rule, where('parameters'), parameters, `make an input of ${length.toLocaleString('en-US')} characters`,
          `use ${span(0, MAX_INPUT)}, EventBridge's limit on a target's input`);
      }
    }
    checkWholeNumber(rule, where('retryAttempts'), retryAttempts, { min: 0, max: 185 });
    if (maxEventAge !== undefined) {
      wholeUnits(rule, where('maxEventAge'), maxEventAge, 'seconds', 60, 86_400);
    }
    return targets;
  }
}

/** A role that EventBridge assumes for one target of a rule, so that each target may send its own command only. */
function newRole(rule: eventsRefs.IRuleRef, id: string | undefined): iam.IRole {
  const base = `${id ?? 'RunCommandTarget'}Role`;
  let roleId = base;
  for (let n = 2; rule.node.tryFindChild(roleId); n++) {
    roleId = `${base}${n}`;
  }
  return new iam.Role(rule, roleId, {
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
    description: 'Sends a Systems Manager command when the rule fires',
  });
}
