"""The stack of scripts/polyglot/app.ts, written in Python with the built wheel: what a Python user writes.

scripts/test-python.sh runs it in .venv-wheel and compares its template with TypeScript's (scripts/polyglot/compare.js).
It synthesizes into $CDK_OUTDIR.
"""

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch

import cdk_ssm_ops as ssm_ops

# The CDKMetadata resource is left out in every language: it records the jsii runtime's language and version.
app = cdk.App(analytics_reporting=False)
stack = cdk.Stack(app, "CdkSsmOpsPolyglot", env=cdk.Environment(account="111111111111", region="us-east-1"))

health = cloudwatch.Alarm.from_alarm_arn(stack, "Health", "arn:aws:cloudwatch:us-east-1:111111111111:alarm:fleet-health")
alarms = ssm_ops.AlarmConfiguration(alarms=[health])

harden = ssm_ops.CommandDocument(
    stack,
    "Harden",
    document_name="Harden-Linux",
    parameters={
        "level": ssm_ops.DocumentParameter.string(allowed_values=["low", "high"], default="high"),
        "reboot": ssm_ops.DocumentParameter.boolean(default=False),
    },
    steps=[
        ssm_ops.CommandStep.run_shell_script(
            "apply",
            commands=["./harden.sh {{ level }} {{ reboot }}"],
            platform=ssm_ops.Platform.LINUX,
            timeout=cdk.Duration.minutes(10),
        ),
    ],
)

ssm_ops.Association(
    stack,
    "HardenWeb",
    document=harden,
    parameters={"level": ["high"]},
    targets=[ssm_ops.Target.tag("Role", "web")],
    schedule=ssm_ops.AssociationSchedule.cron(hour="2", minute="0", week_day="SUN"),
    max_concurrency=ssm_ops.Concurrency.percentage(10),
    max_errors=ssm_ops.ErrorThreshold.count(1),
    alarm_configuration=alarms,
)

window = ssm_ops.MaintenanceWindow(
    stack,
    "Patching",
    schedule=ssm_ops.MaintenanceWindowSchedule.cron(week_day="SUN", hour="3", minute="0"),
    duration=cdk.Duration.hours(4),
    cutoff=cdk.Duration.hours(1),
    time_zone=cdk.TimeZone.EUROPE_LONDON,
)
web = window.add_target("Web", targets=[ssm_ops.Target.tag("Role", "web")])
window.add_task(
    "Patch",
    task=ssm_ops.TaskAction.run_command(
        document=ssm_ops.AwsManagedDocument.RUN_PATCH_BASELINE,
        parameters={"Operation": ["Install"]},
    ),
    targets=[web],
    priority=1,
    max_concurrency=ssm_ops.Concurrency.count(2),
    max_errors=ssm_ops.ErrorThreshold.count(0),
    cutoff_behavior=ssm_ops.CutoffBehavior.CANCEL_TASK,
    alarm_configuration=ssm_ops.AlarmConfiguration(alarms=[health], ignore_poll_alarm_failure=True),
)

install = ssm_ops.RunCommand(
    stack,
    "InstallAgent",
    document=ssm_ops.AwsManagedDocument.RUN_SHELL_SCRIPT,
    parameters={"commands": ["yum install -y my-agent"]},
    targets=[ssm_ops.Target.tag("Role", "web"), ssm_ops.Target.tag("Env", "prod")],
    max_concurrency=ssm_ops.Concurrency.percentage(25),
    max_errors=ssm_ops.ErrorThreshold.count(0),
    timeout=cdk.Duration.minutes(20),
    triggers={"version": "1.4.2"},
    alarm_configuration=alarms,
)
cdk.CfnOutput(stack, "CommandId", value=install.command_id)

app.synth()
