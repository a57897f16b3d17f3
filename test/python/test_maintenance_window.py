"""A maintenance window with a tag target and all four task types, built from Python with the built wheel."""

import json

import aws_cdk as cdk
import pytest
from aws_cdk import assertions, aws_lambda as lambda_, aws_stepfunctions as sfn

import cdk_ssm_ops as ssm_ops


def make_stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Stack", env=cdk.Environment(account="111111111111", region="us-east-1"))


def test_window_with_target_and_four_task_types():
    stack = make_stack()
    window = ssm_ops.MaintenanceWindow(
        stack,
        "Patching",
        schedule=ssm_ops.MaintenanceWindowSchedule.cron(week_day="SUN", hour="3", minute="0"),
        duration=cdk.Duration.hours(4),
        cutoff=cdk.Duration.hours(1),
        time_zone=cdk.TimeZone.EUROPE_LONDON,
    )
    web = window.add_target("Web", targets=[ssm_ops.Target.tag("Role", "web")])
    fn = lambda_.Function.from_function_arn(stack, "Fn", "arn:aws:lambda:us-east-1:111111111111:function:drain")
    machine = sfn.StateMachine.from_state_machine_arn(stack, "Sm", "arn:aws:states:us-east-1:111111111111:stateMachine:verify")
    runbook = ssm_ops.AwsManagedDocument.of("AWS-RestartEC2Instance", document_type=ssm_ops.DocumentType.AUTOMATION)

    window.add_task("Drain", task=ssm_ops.TaskAction.lambda_(fn, payload=json.dumps({"pool": "web"})), priority=0)
    window.add_task(
        "Patch",
        task=ssm_ops.TaskAction.run_command(
            document=ssm_ops.AwsManagedDocument.RUN_PATCH_BASELINE,
            parameters={"Operation": ["Install"]},
            delivery_timeout=cdk.Duration.minutes(10),
        ),
        targets=[web],
        priority=1,
        max_concurrency=ssm_ops.Concurrency.count(2),
        max_errors=ssm_ops.ErrorThreshold.count(0),
        cutoff_behavior=ssm_ops.CutoffBehavior.CANCEL_TASK,
    )
    window.add_task("Restart", task=ssm_ops.TaskAction.automation(document=runbook), priority=2)
    window.add_task("Verify", task=ssm_ops.TaskAction.step_functions(machine, input='{"pool":"web"}'), priority=3)

    template = assertions.Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::SSM::MaintenanceWindow",
        {"Schedule": "cron(0 3 ? * SUN *)", "Duration": 4, "Cutoff": 1, "ScheduleTimezone": "Europe/London"},
    )
    template.has_resource_properties("AWS::SSM::MaintenanceWindowTarget", {"ResourceType": "INSTANCE"})
    for task_type in ["LAMBDA", "RUN_COMMAND", "AUTOMATION", "STEP_FUNCTIONS"]:
        template.has_resource_properties("AWS::SSM::MaintenanceWindowTask", {"TaskType": task_type})
    template.has_resource_properties(
        "AWS::SSM::MaintenanceWindowTask",
        {
            "TaskType": "RUN_COMMAND",
            "MaxConcurrency": "2",
            "MaxErrors": "0",
            "CutoffBehavior": "CANCEL_TASK",
            "TaskInvocationParameters": {"MaintenanceWindowRunCommandParameters": {"TimeoutSeconds": 600}},
        },
    )


def test_cutoff_equal_to_duration_fails_synth():
    stack = make_stack()
    with pytest.raises(Exception, match=r"Stack/W: cutoff 2 hours is not less than duration 2 hours"):
        ssm_ops.MaintenanceWindow(
            stack,
            "W",
            schedule=ssm_ops.MaintenanceWindowSchedule.rate(cdk.Duration.days(1)),
            duration=cdk.Duration.hours(2),
            cutoff=cdk.Duration.hours(2),
        )
