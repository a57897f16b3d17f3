"""An EventBridge rule that sends a command, built from Python with the built wheel."""

import re

import aws_cdk as cdk
import pytest
from aws_cdk import assertions
from aws_cdk import aws_events as events
from aws_cdk import aws_sqs as sqs

import cdk_ssm_ops as ssm_ops


def make_stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Stack", env=cdk.Environment(account="111111111111", region="us-east-1"))


def make_rule(stack: cdk.Stack) -> events.Rule:
    return events.Rule(stack, "Nightly", schedule=events.Schedule.cron(hour="2", minute="0"))


def test_rule_sends_command_to_tagged_nodes():
    stack = make_stack()
    rule = make_rule(stack)
    queue = sqs.Queue(stack, "Dlq")
    rule.add_target(
        ssm_ops.RunCommandTarget(
            document=ssm_ops.AwsManagedDocument.RUN_SHELL_SCRIPT,
            parameters={"commands": ["yum update -y --security"]},
            targets=[ssm_ops.Target.tag("Role", "web")],
            retry_attempts=2,
            max_event_age=cdk.Duration.hours(1),
            dead_letter_queue=queue,
        )
    )
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::Events::Rule",
        {
            "Targets": [
                assertions.Match.object_like(
                    {
                        "Id": "Target0",
                        "Input": '{"commands":["yum update -y --security"]}',
                        "RunCommandParameters": {"RunCommandTargets": [{"Key": "tag:Role", "Values": ["web"]}]},
                        "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600},
                    }
                )
            ]
        },
    )
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}}
                ]
            }
        },
    )
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": assertions.Match.array_with(
                    [
                        assertions.Match.object_like(
                            {
                                "Action": "ssm:SendCommand",
                                "Condition": {"StringEquals": {"ssm:resourceTag/Role": ["web"]}},
                            }
                        )
                    ]
                )
            }
        },
    )


def test_input_from_the_event():
    stack = make_stack()
    rule = make_rule(stack)
    rule.add_target(
        ssm_ops.RunCommandTarget(
            document=ssm_ops.AwsManagedDocument.RUN_SHELL_SCRIPT,
            targets=[ssm_ops.Target.instance_ids("i-0123456789abcdef0")],
            input=events.RuleTargetInput.from_object(
                {"commands": ["echo " + events.EventField.from_path("$.detail.reason")]}
            ),
        )
    )
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::Events::Rule",
        {
            "Targets": [
                assertions.Match.object_like(
                    {
                        "InputTransformer": {
                            "InputPathsMap": {"detail-reason": "$.detail.reason"},
                            "InputTemplate": '{"commands":["echo <detail-reason>"]}',
                        },
                        "RunCommandParameters": {
                            "RunCommandTargets": [{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}]
                        },
                    }
                )
            ]
        },
    )


def test_tag_key_target_fails_synth():
    stack = make_stack()
    rule = make_rule(stack)
    message = (
        "Stack/Nightly: Target0.targets[0] 'tag-key' selects tag keys, which a Run Command target does not accept; "
        "use instance IDs or tags"
    )
    with pytest.raises(Exception, match=re.escape(message)):
        rule.add_target(
            ssm_ops.RunCommandTarget(
                document=ssm_ops.AwsManagedDocument.RUN_SHELL_SCRIPT,
                parameters={"commands": ["uptime"]},
                targets=[ssm_ops.Target.tag_key("Role")],
            )
        )
