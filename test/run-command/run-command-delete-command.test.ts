import { Template } from 'aws-cdk-lib/assertions';
import { AwsManagedDocument, CommandDocument, CommandStep, RunCommand, Target } from '../../src';
import { testStack } from '../util';

// The delete command is sent by the isComplete function, once the resource's running commands have stopped: only
// that phase may send it.

test('only the isComplete phase may send the delete command\'s document', () => {
  // GIVEN
  const stack = testStack();
  const cleanUp = new CommandDocument(stack, 'CleanUp', { steps: [CommandStep.runShellScript('remove', { commands: ['yum remove -y my-agent'] })] });
  // WHEN
  new RunCommand(stack, 'InstallAgent', {
    document: AwsManagedDocument.RUN_SHELL_SCRIPT,
    parameters: { commands: ['yum install -y my-agent'] },
    targets: [Target.tag('Role', 'web')],
    onDelete: { document: cleanUp },
  });
  // THEN
  const role = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))
    .find((resource) => resource.Properties.Path === '/cdk-ssm-ops/')!.Properties;
  const statements = role.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement);
  const sendsCleanUp = statements.filter((statement: any) => statement.Action === 'ssm:SendCommand'
    && JSON.stringify(statement.Resource).includes('CleanUp'));
  expect(sendsCleanUp).toHaveLength(1);
  expect(sendsCleanUp[0].Condition).toEqual({ StringEquals: { 'aws:PrincipalTag/cdk-ssm-ops:phase': 'isComplete' } });
});
