"""A deploy-time command built from Python with the built wheel."""

import aws_cdk as cdk
import pytest
from aws_cdk import assertions

import cdk_ssm_ops as ssm_ops


def make_stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Stack", env=cdk.Environment(account="111111111111", region="us-east-1"))


def test_run_command_on_tagged_instances():
    stack = make_stack()
    install = ssm_ops.RunCommand(
        stack,
        "InstallAgent",
        document=ssm_ops.AwsManagedDocument.RUN_SHELL_SCRIPT,
        parameters={"commands": ["yum install -y my-agent"]},
        targets=[ssm_ops.Target.tag("Role", "web")],
        max_concurrency=ssm_ops.Concurrency.percentage(25),
        timeout=cdk.Duration.minutes(20),
        triggers={"version": "1.4.2"},
    )
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties(
        "Custom::SsmRunCommand",
        {
            "Command": {
                "DocumentName": "AWS-RunShellScript",
                "Targets": [{"Key": "tag:Role", "Values": ["web"]}],
                "MaxConcurrency": "25%",
            },
            "Triggers": {"version": "1.4.2"},
            "WaitSeconds": "1200",
        },
    )
    template.has_resource_properties("AWS::Lambda::Function", {"Runtime": "nodejs22.x"})
    assert install.command_id is not None


def test_timeout_of_two_hours_fails_synth():
    stack = make_stack()
    with pytest.raises(Exception, match=r"Stack/Run: timeout 2 hours is not valid; use whole seconds from 1 second to 1 hour"):
        ssm_ops.RunCommand(
            stack,
            "Run",
            document=ssm_ops.AwsManagedDocument.RUN_SHELL_SCRIPT,
            parameters={"commands": ["true"]},
            targets=[ssm_ops.Target.tag("Role", "web")],
            timeout=cdk.Duration.hours(2),
        )
