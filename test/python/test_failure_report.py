"""Failure reports built from Python with the built wheel."""

import aws_cdk as cdk
from aws_cdk import assertions
from aws_cdk import aws_sns as sns

import cdk_ssm_ops as ssm_ops


def make_stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Stack", env=cdk.Environment(account="111111111111", region="us-east-1"))


def test_failure_report_of_an_association_and_an_imported_window():
    stack = make_stack()
    association = ssm_ops.Association(
        stack,
        "Nightly",
        document=ssm_ops.AwsManagedDocument.RUN_SHELL_SCRIPT,
        parameters={"commands": ["true"]},
        targets=[ssm_ops.Target.tag("Patch", "nightly")],
    )
    window = ssm_ops.MaintenanceWindow.from_maintenance_window_id(stack, "Window", "mw-0123456789abcdef0")
    report = ssm_ops.FailureReport(stack, "Report", topic=sns.Topic(stack, "Topic"))
    report.add_association(association)
    report.add_maintenance_window(window)

    template = assertions.Template.from_stack(stack)
    template.resource_count_is("AWS::Lambda::Function", 1)
    template.has_resource_properties(
        "AWS::Events::Rule",
        {
            "EventPattern": {
                "source": ["aws.ssm"],
                "detail-type": ["Maintenance Window Task Execution State-change Notification"],
                "detail": {"window-id": ["mw-0123456789abcdef0"], "status": ["FAILED", "TIMED_OUT", "CANCELLED"]},
            }
        },
    )
    template.has_resource_properties(
        "AWS::Events::Rule",
        {"EventPattern": {"detail-type": ["EC2 State Manager Association State Change"], "detail": {"status": ["Failed"]}}},
    )
