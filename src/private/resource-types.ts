/** The resource type of RunCommand's custom resource, shared by the construct and the handlers. */
export const RUN_COMMAND_RESOURCE_TYPE = 'Custom::SsmRunCommand';
