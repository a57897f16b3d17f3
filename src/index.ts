export * from './document/document';
export * from './document/document-parameter';
export * from './document/command-step';
export * from './document/command-document';
export * from './document/aws-managed-document';
