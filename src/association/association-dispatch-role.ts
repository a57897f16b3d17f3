import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AlarmConfiguration } from '../alarm-configuration';
import { S3OutputLocation } from '../command-output';
import { DocumentType, IDocument } from '../document/document';
import { show } from '../private/errors';
import { describeAlarms, nodeStatements } from '../private/iam';
import { RenderedTarget } from '../private/targets';
import { TextRule, checkLength, checkPattern, rejectCombination } from '../private/validate';

/**
 * The role State Manager assumes to dispatch an association to its nodes (CloudFormation's
 * `AssociationDispatchAssumeRole`): a role of your own, or one generated with what this association needs.
 *
 * Without one, State Manager dispatches with the Systems Manager service-linked role, which the SSM API says is being
 * phased out for associations.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateAssociation.html
 */
export abstract class AssociationDispatchRole {
  /**
   * A role of your own, trusted by `ssm.amazonaws.com` and allowed what dispatching the association needs.
   *
   * An imported role's ARN is checked when it is known at synth time. A role of this app is made a dependency of the
   * association, so that its policies exist before State Manager first assumes it.
   */
  public static fromRole(role: iam.IRole): AssociationDispatchRole {
    return new class extends AssociationDispatchRole {
      public _bind(scope: Construct): iam.IRole {
        checkLength(scope, 'dispatchRole', role.roleArn, 1, 512);
        checkPattern(scope, 'dispatchRole', role.roleArn, DISPATCH_ROLE);
        return role;
      }
    }();
  }

  /**
   * A new role for this association: trusted by `ssm.amazonaws.com` from this account and region only, and allowed
   * `ssm:SendCommand` on the association's document, its output bucket and its nodes (the instances named, or the
   * instances and managed nodes that carry the targeted tags), `ssm:GetCalendarState` on its change calendars,
   * `cloudwatch:DescribeAlarms` on its alarm, and the reads a resource group target needs.
   *
   * Not for Automation runbooks, whose dispatch starts an automation with the runbook's own assume role: give a role
   * of your own with `fromRole`. `association.dispatchRole` is the role, to which you may grant more.
   */
  public static generate(): AssociationDispatchRole {
    return new class extends AssociationDispatchRole {
      public _bind(scope: Construct, association: DispatchedAssociation): iam.IRole {
        return generateRole(scope, association);
      }
    }();
  }

  /**
   * The role, for the association of `scope`.
   *
   * @internal
   */
  public abstract _bind(scope: Construct, association: DispatchedAssociation): iam.IRole;
}

/**
 * What a generated dispatch role is allowed to act on.
 *
 * @internal
 */
export interface DispatchedAssociation {
  readonly document: IDocument;
  readonly targets: RenderedTarget[];
  readonly changeCalendars?: IDocument[];
  readonly outputLocation?: S3OutputLocation;
  readonly alarmConfiguration?: AlarmConfiguration;
}

/**
 * CreateAssociation's `AssociationDispatchAssumeRole` (SSM API `AssociationDispatchAssumeRoleArn`, the registry
 * schema's pattern), anchored.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateAssociation.html
 */
export const DISPATCH_ROLE: TextRule = {
  pattern: /^arn:aws(-[^:]+)?:iam::[0-9]{12}:role\/.+$/,
  allowed: 'use the ARN of an IAM role, arn:<partition>:iam::<12-digit account>:role/<name>',
};

function generateRole(scope: Construct, association: DispatchedAssociation): iam.IRole {
  const { document } = association;
  if (document.documentType === DocumentType.AUTOMATION) {
    rejectCombination(scope, 'dispatchRole', `can't be generated for the Automation runbook ${show(document.documentName)}`,
      'give a role of your own with AssociationDispatchRole.fromRole(role)');
  }
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'DispatchRole', {
    description: 'The role State Manager assumes to dispatch this association to its nodes',
    // Systems Manager acting for this account, in this region (confused-deputy conditions; IAM User Guide, "The
    // confused deputy problem", and the SSM User Guide's service role trust policies).
    assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ssm', resource: '*' }) },
      },
    }),
  });
  for (const statement of dispatchStatements(stack, association)) {
    role.addToPrincipalPolicy(statement);
  }
  return role;
}

/** What dispatching the association calls: SendCommand, as Run Command authorizes it, and what its options read. */
function dispatchStatements(stack: Stack, association: DispatchedAssociation): iam.PolicyStatement[] {
  const { document, targets, changeCalendars = [], outputLocation, alarmConfiguration } = association;
  const groups = targets.filter(({ key }) => key === 'resource-groups:Name').flatMap(({ values }) => values);
  return [
    // SendCommand is authorized on the document, on the output bucket and on each node.
    new iam.PolicyStatement({
      actions: ['ssm:SendCommand'],
      resources: [document.documentArn, ...outputLocation ? [outputLocation.bucket.bucketArn] : []],
    }),
    ...nodeStatements(stack, targets),
    ...changeCalendars.length
      ? [new iam.PolicyStatement({ actions: ['ssm:GetCalendarState'], resources: changeCalendars.map((calendar) => calendar.documentArn) })]
      : [],
    ...alarmConfiguration ? [describeAlarms(alarmConfiguration)] : [],
    // A resource group's members are listed when the association runs; tag:GetResources has no resource type in IAM.
    ...groups.length
      ? [
        new iam.PolicyStatement({
          actions: ['resource-groups:ListGroupResources'],
          resources: groups.map((group) => stack.formatArn({ service: 'resource-groups', resource: 'group', resourceName: group })),
        }),
        new iam.PolicyStatement({ actions: ['tag:GetResources'], resources: ['*'] }),
      ]
      : [],
  ];
}
