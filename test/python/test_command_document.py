"""The built wheel, used from Python against aws-cdk-lib from PyPI: what a Python user of the library runs."""

import aws_cdk as cdk
import pytest
from aws_cdk import assertions

import cdk_ssm_ops as ssm_ops


def make_stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Stack", env=cdk.Environment(account="111111111111", region="us-east-1"))


def test_typed_command_document_synthesizes():
    stack = make_stack()
    ssm_ops.CommandDocument(
        stack,
        "Harden",
        document_name="Harden-Linux",
        parameters={
            "level": ssm_ops.DocumentParameter.string(allowed_values=["low", "high"], default="high"),
        },
        steps=[
            ssm_ops.CommandStep.run_shell_script(
                "apply",
                commands=["./harden.sh {{ level }}"],
                timeout=cdk.Duration.minutes(10),
                platform=ssm_ops.Platform.LINUX,
            ),
        ],
    )

    template = assertions.Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::SSM::Document",
        {
            "Name": "Harden-Linux",
            "DocumentType": "Command",
            "UpdateMethod": "NewVersion",
            "Content": {
                "schemaVersion": "2.2",
                "parameters": {"level": {"type": "String", "allowedValues": ["low", "high"], "default": "high"}},
                "mainSteps": [
                    {
                        "action": "aws:runShellScript",
                        "name": "apply",
                        "precondition": {"StringEquals": ["platformType", "Linux"]},
                        "inputs": {"runCommand": ["./harden.sh {{ level }}"], "timeoutSeconds": "600"},
                    }
                ],
            },
        },
    )


def test_raw_content_from_python_dict():
    stack = make_stack()
    doc = ssm_ops.CommandDocument.from_content(
        stack,
        "Raw",
        {
            "schemaVersion": "2.2",
            "parameters": {"message": {"type": "String", "default": "hi"}},
            "mainSteps": [{"action": "aws:runShellScript", "name": "echo", "inputs": {"runCommand": ["echo {{ message }}"]}}],
        },
    )
    assert doc.parameters["message"].required is False
    assertions.Template.from_stack(stack).resource_count_is("AWS::SSM::Document", 1)


def test_aws_managed_documents_know_their_parameters():
    parameters = ssm_ops.AwsManagedDocument.RUN_PATCH_BASELINE.parameters
    assert parameters["Operation"].required is True
    assert parameters["Operation"].allowed_values == ["Scan", "Install"]
    assert ssm_ops.AwsManagedDocument.RUN_SHELL_SCRIPT.owner == ssm_ops.DocumentOwner.AMAZON


def test_undeclared_parameter_fails_synth_with_the_construct_path():
    stack = make_stack()
    with pytest.raises(Exception, match=r"Stack/Bad: mainSteps\[0\] '\{\{ levl \}\}' refers to no declared parameter; use 'level'"):
        ssm_ops.CommandDocument(
            stack,
            "Bad",
            parameters={"level": ssm_ops.DocumentParameter.string(default="high")},
            steps=[ssm_ops.CommandStep.run_shell_script("apply", commands=["./harden.sh {{ levl }}"])],
        )


def test_reserved_name_fails_synth():
    stack = make_stack()
    with pytest.raises(Exception, match=r"Stack/Bad: documentName 'AWS-Foo' starts with a prefix reserved for AWS"):
        ssm_ops.CommandDocument(
            stack,
            "Bad",
            document_name="AWS-Foo",
            steps=[ssm_ops.CommandStep.run_shell_script("apply", commands=["true"])],
        )
