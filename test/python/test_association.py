"""Associations built from Python with the built wheel."""

import aws_cdk as cdk
import pytest
from aws_cdk import assertions

import cdk_ssm_ops as ssm_ops


def make_stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Stack", env=cdk.Environment(account="111111111111", region="us-east-1"))


def test_association_with_typed_targets_rate_controls_and_cron():
    stack = make_stack()
    ssm_ops.Association(
        stack,
        "Patch",
        document=ssm_ops.AwsManagedDocument.RUN_PATCH_BASELINE,
        parameters={"Operation": ["Install"]},
        targets=[ssm_ops.Target.tag("Env", "prod"), ssm_ops.Target.tag("Role", "web")],
        schedule=ssm_ops.AssociationSchedule.cron(hour="2", minute="0", week_day="SUN"),
        max_concurrency=ssm_ops.Concurrency.percentage(10),
        max_errors=ssm_ops.ErrorThreshold.count(1),
        compliance_severity=ssm_ops.ComplianceSeverity.HIGH,
    )

    assertions.Template.from_stack(stack).has_resource_properties(
        "AWS::SSM::Association",
        {
            "Name": "AWS-RunPatchBaseline",
            "Parameters": {"Operation": ["Install"]},
            "Targets": [{"Key": "tag:Env", "Values": ["prod"]}, {"Key": "tag:Role", "Values": ["web"]}],
            "ScheduleExpression": "cron(0 2 ? * SUN *)",
            "MaxConcurrency": "10%",
            "MaxErrors": "1",
            "ComplianceSeverity": "HIGH",
        },
    )


def test_zero_concurrency_fails_synth():
    stack = make_stack()
    with pytest.raises(Exception, match=r"Stack/Patch: maxConcurrency '0%' is not valid; use a whole percentage from 1% to 100%"):
        ssm_ops.Association(
            stack,
            "Patch",
            document=ssm_ops.AwsManagedDocument.RUN_PATCH_BASELINE,
            parameters={"Operation": ["Install"]},
            targets=[ssm_ops.Target.all_managed_nodes()],
            max_concurrency=ssm_ops.Concurrency.percentage(0),
        )


def test_missing_required_parameter_fails_synth():
    stack = make_stack()
    with pytest.raises(Exception, match=r"Stack/Patch: parameters lacks 'Operation', which the document 'AWS-RunPatchBaseline' requires"):
        ssm_ops.Association(
            stack,
            "Patch",
            document=ssm_ops.AwsManagedDocument.RUN_PATCH_BASELINE,
            targets=[ssm_ops.Target.all_managed_nodes()],
        )


def test_association_with_an_alarm_gets_a_companion_that_applies_it():
    from aws_cdk import aws_cloudwatch as cloudwatch

    stack = make_stack()
    alarm = cloudwatch.Alarm.from_alarm_arn(stack, "Health", "arn:aws:cloudwatch:us-east-1:111111111111:alarm:deploy-health")
    ssm_ops.Association(
        stack,
        "Patch",
        document=ssm_ops.AwsManagedDocument.RUN_PATCH_BASELINE,
        parameters={"Operation": ["Install"]},
        targets=[ssm_ops.Target.tag("Env", "prod")],
        alarm_configuration=ssm_ops.AlarmConfiguration(alarms=[alarm]),
    )
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties(
        "Custom::SsmAssociationAlarm",
        {"AlarmConfiguration": {"Alarms": [{"Name": "deploy-health"}], "IgnorePollAlarmFailure": "false"}},
    )
