"""An association that waits for its run at deploy time (waitForRun), built from Python with the built wheel."""

import aws_cdk as cdk
import pytest
from aws_cdk import assertions

import cdk_ssm_ops as ssm_ops


def make_stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Stack", env=cdk.Environment(account="111111111111", region="us-east-1"))


def make_association(stack: cdk.Stack, **overrides) -> ssm_ops.Association:
    props = dict(
        document=ssm_ops.AwsManagedDocument.RUN_SHELL_SCRIPT,
        parameters={"commands": ["apt-get install -y nginx-extras"]},
        targets=[ssm_ops.Target.tag("Role", "web")],
        association_name="Nightly-Patch",
        wait_for_run=ssm_ops.AssociationRunWait(timeout=cdk.Duration.minutes(20), fail_on_no_targets=False),
    )
    props.update(overrides)
    return ssm_ops.Association(stack, "Patch", **props)


def test_wait_for_run_adds_the_run_wait_and_its_attributes():
    stack = make_stack()
    patch = make_association(stack)
    cdk.CfnOutput(stack, "Counts", value=patch.run.counts_by_status)

    template = assertions.Template.from_stack(stack)
    template.has_resource_properties(
        "Custom::SsmAssociationRun",
        {
            "WaitSeconds": "1200",
            "FailOnNoTargets": "false",
            "WatchedProperties": {"Association": assertions.Match.object_like({"AssociationName": "Nightly-Patch"})},
        },
    )
    outputs = template.find_outputs("Counts")
    assert list(outputs.values())[0]["Value"]["Fn::GetAtt"][1] == "CountsByStatus"
    assert patch.run.execution_id is not None
    assert patch.run.triggered_alarms is not None


def test_no_run_without_wait_for_run():
    stack = make_stack()
    patch = make_association(stack, wait_for_run=None)
    assert patch.run is None
    assertions.Template.from_stack(stack).resource_count_is("Custom::SsmAssociationRun", 0)


def test_wait_for_run_with_wait_for_success_timeout_fails_synth():
    stack = make_stack()
    with pytest.raises(Exception, match=r"waitForRun is not allowed with waitForSuccessTimeout"):
        make_association(stack, wait_for_success_timeout=cdk.Duration.minutes(10))


def test_wait_for_run_with_apply_only_at_cron_interval_fails_synth():
    stack = make_stack()
    with pytest.raises(Exception, match=r"waitForRun is not allowed with applyOnlyAtCronInterval: true"):
        make_association(
            stack,
            schedule=ssm_ops.AssociationSchedule.cron(hour="2", minute="0"),
            apply_only_at_cron_interval=True,
        )
