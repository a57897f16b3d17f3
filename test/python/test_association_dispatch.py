"""Association tags and dispatch role built from Python with the built wheel."""

import aws_cdk as cdk
import pytest
from aws_cdk import assertions
from aws_cdk import aws_iam as iam

import cdk_ssm_ops as ssm_ops


def make_stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Stack", env=cdk.Environment(account="111111111111", region="us-east-1"))


def test_generated_dispatch_role_and_tags():
    stack = make_stack()
    association = ssm_ops.Association(
        stack,
        "AgentUpdate",
        document=ssm_ops.AwsManagedDocument.UPDATE_SSM_AGENT,
        targets=[ssm_ops.Target.tag("Env", "prod")],
        dispatch_role=ssm_ops.AssociationDispatchRole.generate(),
    )
    cdk.Tags.of(association).add("CostCenter", "fleet")

    template = assertions.Template.from_stack(stack)
    roles = template.find_resources("AWS::IAM::Role")
    assert len(roles) == 1
    role_id = next(iter(roles))
    template.has_resource_properties(
        "AWS::SSM::Association",
        {
            "AssociationDispatchAssumeRole": {"Fn::GetAtt": [role_id, "Arn"]},
            "Tags": [{"Key": "CostCenter", "Value": "fleet"}],
        },
    )
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    assertions.Match.object_like(
                        {"Principal": {"Service": "ssm.amazonaws.com"}, "Condition": assertions.Match.object_like({"StringEquals": {"aws:SourceAccount": "111111111111"}})}
                    )
                ]
            }
        },
    )
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": assertions.Match.array_with(
                    [assertions.Match.object_like({"Action": "ssm:SendCommand", "Condition": {"StringEquals": {"ssm:resourceTag/Env": ["prod"]}}})]
                )
            }
        },
    )
    # The role, to grant it more.
    assert association.dispatch_role is not None


def test_dispatch_role_of_your_own():
    stack = make_stack()
    role = iam.Role.from_role_arn(stack, "Dispatch", "arn:aws:iam::111111111111:role/StateManagerDispatch")
    ssm_ops.Association(
        stack,
        "Inventory",
        document=ssm_ops.AwsManagedDocument.GATHER_SOFTWARE_INVENTORY,
        targets=[ssm_ops.Target.all_managed_nodes()],
        dispatch_role=ssm_ops.AssociationDispatchRole.from_role(role),
    )

    assertions.Template.from_stack(stack).has_resource_properties(
        "AWS::SSM::Association",
        {"AssociationDispatchAssumeRole": "arn:aws:iam::111111111111:role/StateManagerDispatch"},
    )


def test_dispatch_role_that_is_not_a_role_fails_synth():
    stack = make_stack()
    user = iam.Role.from_role_arn(stack, "Dispatch", "arn:aws:iam::111111111111:user/alice")
    with pytest.raises(Exception, match=r"Stack/Inventory: dispatchRole 'arn:aws:iam::111111111111:user/alice' is not valid; use the ARN of an IAM role"):
        ssm_ops.Association(
            stack,
            "Inventory",
            document=ssm_ops.AwsManagedDocument.GATHER_SOFTWARE_INVENTORY,
            targets=[ssm_ops.Target.all_managed_nodes()],
            dispatch_role=ssm_ops.AssociationDispatchRole.from_role(user),
        )


def test_tag_value_longer_than_associations_take_fails_synth():
    app = cdk.App()
    stack = cdk.Stack(app, "Stack", env=cdk.Environment(account="111111111111", region="us-east-1"))
    association = ssm_ops.Association(
        stack,
        "Inventory",
        document=ssm_ops.AwsManagedDocument.GATHER_SOFTWARE_INVENTORY,
        targets=[ssm_ops.Target.all_managed_nodes()],
    )
    cdk.Tags.of(association).add("Owner", "v" * 257)
    with pytest.raises(Exception, match=r"Stack/Inventory: tags\.Owner 'v+\.\.\.' is not valid; use at most 256"):
        app.synth()
