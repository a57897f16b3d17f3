"""The built wheel, used from Python: sharing a Command document with other accounts (shared_with_accounts)."""

import aws_cdk as cdk
import pytest
from aws_cdk import assertions

import cdk_ssm_ops as ssm_ops


def make_stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Stack", env=cdk.Environment(account="111111111111", region="us-east-1"))


def steps():
    return [ssm_ops.CommandStep.run_shell_script("apply", commands=["./harden.sh"])]


def test_shared_document_gets_a_sharing_companion_with_sorted_accounts():
    stack = make_stack()
    ssm_ops.CommandDocument(
        stack,
        "Harden",
        document_name="Harden-Linux",
        steps=steps(),
        shared_with_accounts=["333333333333", "222222222222"],
    )

    template = assertions.Template.from_stack(stack)
    template.resource_count_is("Custom::SsmDocumentSharing", 1)
    template.has_resource_properties(
        "Custom::SsmDocumentSharing",
        {
            "DocumentName": {"Ref": assertions.Match.string_like_regexp("^Harden")},
            "AccountIds": ["222222222222", "333333333333"],
            "SharedDocumentVersion": "$DEFAULT",
        },
    )
    # The companion's own role may describe and modify the sharing of this document only.
    roles = template.find_resources("AWS::IAM::Role", {"Properties": {"Path": "/cdk-ssm-ops/"}})
    statements = [
        statement
        for role in roles.values()
        for policy in role["Properties"].get("Policies", [])
        for statement in policy["PolicyDocument"]["Statement"]
    ]
    assert [statement["Action"] for statement in statements] == [
        ["ssm:DescribeDocumentPermission", "ssm:ModifyDocumentPermission"]
    ]


def test_document_from_content_takes_shared_with_accounts():
    stack = make_stack()
    ssm_ops.CommandDocument.from_content(
        stack,
        "Raw",
        {
            "schemaVersion": "2.2",
            "mainSteps": [{"action": "aws:runShellScript", "name": "hello", "inputs": {"runCommand": ["echo hello"]}}],
        },
        document_name="Hello",
        shared_with_accounts=["222222222222"],
    )
    assertions.Template.from_stack(stack).has_resource_properties(
        "Custom::SsmDocumentSharing", {"AccountIds": ["222222222222"]}
    )


def test_unshared_document_has_no_companion():
    stack = make_stack()
    ssm_ops.CommandDocument(stack, "Harden", steps=steps(), shared_with_accounts=[])
    template = assertions.Template.from_stack(stack)
    template.resource_count_is("Custom::SsmDocumentSharing", 0)
    template.resource_count_is("AWS::Lambda::Function", 0)


def test_public_sharing_fails_synth_with_the_construct_path():
    stack = make_stack()
    with pytest.raises(
        Exception,
        match=r"Stack/Bad: sharedWithAccounts\[0\] 'All' would share the document publicly, which this library does not offer",
    ):
        ssm_ops.CommandDocument(stack, "Bad", document_name="Bad", steps=steps(), shared_with_accounts=["All"])


def test_invalid_or_repeated_account_fails_synth():
    stack = make_stack()
    with pytest.raises(Exception, match=r"Stack/Short: sharedWithAccounts\[0\] '12345' is not valid; use a 12-digit AWS account ID"):
        ssm_ops.CommandDocument(stack, "Short", document_name="Short", steps=steps(), shared_with_accounts=["12345"])
    with pytest.raises(
        Exception,
        match=r"Stack/Twice: sharedWithAccounts\[1\] '222222222222' is listed already, as sharedWithAccounts\[0\]; list each account once",
    ):
        ssm_ops.CommandDocument(stack, "Twice", document_name="Twice", steps=steps(), shared_with_accounts=["222222222222", "222222222222"])


def test_a_comma_delimited_list_parameter_is_left_to_deploy_time():
    stack = make_stack()
    accounts = cdk.CfnParameter(stack, "Accounts", type="CommaDelimitedList")
    ssm_ops.CommandDocument(
        stack, "Harden", document_name="Harden-Linux", steps=steps(), shared_with_accounts=accounts.value_as_list
    )
    assertions.Template.from_stack(stack).has_resource_properties(
        "Custom::SsmDocumentSharing", {"AccountIds": {"Ref": "Accounts"}}
    )


def test_sharing_a_document_without_a_name_fails_synth():
    stack = make_stack()
    with pytest.raises(Exception, match=r"Stack/Unnamed: sharedWithAccounts needs a documentName: a document without one is replaced"):
        ssm_ops.CommandDocument(stack, "Unnamed", steps=steps(), shared_with_accounts=["222222222222"])
