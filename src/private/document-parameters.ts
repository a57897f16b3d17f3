import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SsmOpsValidationError, oneOf, show } from './errors';
import { compilePattern } from './patterns';
import { containsToken } from './tokens';
import { IDocument } from '../document/document';
import { DocumentParameterType } from '../document/document-parameter';

// Parameter Store references and maintenance window pseudo parameters ({{RESOURCE_ID}}, {{WINDOW_EXECUTION_ID}}, ...)
// are filled in by Systems Manager when the document runs, so values that hold them are not known here.
const RUN_TIME_REFERENCE = /\{\{[^{}]+\}\}/;
const SINGLE_VALUE_TYPES: string[] = [DocumentParameterType.STRING, DocumentParameterType.INTEGER, DocumentParameterType.BOOLEAN];

/**
 * Checks the parameters passed to a document against the parameters it declares, when they are known:
 * unknown names, missing required parameters, values outside allowedValues or not matching allowedPattern, and lists
 * given where one value is expected (or the reverse). Values that are tokens are not checked.
 *
 * Parameters are passed as SSM's API takes them: each name maps to a list of strings. `filledByTargets` names the
 * parameter State Manager fills in from the targets (an association's automationTargetParameterName).
 */
export function checkDocumentParameters(scope: IConstruct, property: string, document: IDocument, parameters?: Record<string, string[]>,
  filledByTargets?: string) {
  const declared = document.parameters;
  if (declared === undefined || Token.isUnresolved(parameters)) {
    return;
  }
  const fail = (message: string): never => {
    throw new SsmOpsValidationError(scope, message);
  };
  const documentName = Token.isUnresolved(document.documentName) ? 'the document' : `the document ${show(document.documentName)}`;
  const given = parameters ?? {};

  if (filledByTargets !== undefined && !Token.isUnresolved(filledByTargets) && !(filledByTargets in declared)) {
    fail(`automationTargetParameterName ${show(filledByTargets)} is not a parameter of ${documentName}; declared: ${oneOf(Object.keys(declared))}`);
  }
  for (const [name, values] of Object.entries(given)) {
    const where = `${property}.${name}`;
    if (Token.isUnresolved(name)) {
      continue;
    }
    const declaration = declared[name];
    if (declaration === undefined) {
      const names = Object.keys(declared);
      fail(`${where}: ${documentName} declares no parameter ${show(name)}; `
        + (names.length ? `declared: ${oneOf(names)}` : 'it declares no parameters'));
    }
    if (Token.isUnresolved(values)) {
      continue;
    }
    if (!Array.isArray(values)) {
      fail(`${where} must be a list of strings, got ${show(values)}; write [${show(values)}]`);
    }
    const type: string = declaration.type;
    if (SINGLE_VALUE_TYPES.includes(type) && values.length !== 1) {
      fail(`${where} is a ${type} parameter and takes one value, got a list of ${values.length}: ${show(values)}`);
    }
    // Constraints that are tokens are known only at deploy time, so they are left out here.
    const options = Object.fromEntries(Object.entries(declaration._options).filter(([, value]) => !containsToken(value)));
    if (type === DocumentParameterType.STRING_LIST) {
      if (typeof options.minItems === 'number' && values.length < options.minItems) {
        fail(`${where} has ${values.length} items; ${documentName} needs at least ${options.minItems} (minItems)`);
      }
      if (typeof options.maxItems === 'number' && values.length > options.maxItems) {
        fail(`${where} has ${values.length} items; ${documentName} takes at most ${options.maxItems} (maxItems)`);
      }
    }
    for (const value of values) {
      if (typeof value !== 'string' && !Token.isUnresolved(value)) {
        fail(`${where} must be a list of strings, got ${show(value)} in it`);
      }
      if (Token.isUnresolved(value) || RUN_TIME_REFERENCE.test(value)) {
        continue;
      }
      checkValue(where, value, type, options, fail);
    }
  }

  // A name that is a token may be any parameter, and the one the targets fill in is given by State Manager.
  const missing = Object.entries(declared)
    .filter(([name, parameter]) => parameter.required && !(name in given) && name !== filledByTargets);
  if (missing.length && !Object.keys(given).some((name) => Token.isUnresolved(name))) {
    const [name, parameter] = missing[0];
    fail(`${property}: ${documentName} requires the parameter ${show(name)}, which is missing`
      + (parameter.allowedValues ? ` (allowed values: ${oneOf(parameter.allowedValues)})` : '')
      + (missing.length > 1 ? `; also missing: ${missing.slice(1).map(([other]) => show(other)).join(', ')}` : ''));
  }
}

function checkValue(where: string, value: string, type: string, options: Record<string, any>, fail: (message: string) => never) {
  if (type === DocumentParameterType.INTEGER && !/^-?\d+$/.test(value)) {
    fail(`${where}: ${show(value)} is not an integer`);
  }
  if (type === DocumentParameterType.BOOLEAN && !['true', 'false'].includes(value)) {
    fail(`${where}: ${show(value)} is not a Boolean; allowed: 'true' or 'false'`);
  }
  const allowedValues: unknown[] | undefined = options.allowedValues;
  if (Array.isArray(allowedValues) && !allowedValues.map(String).includes(value)) {
    fail(`${where}: ${show(value)} is not one of the allowed values: ${oneOf(allowedValues)}`);
  }
  const pattern = compilePattern(options.allowedPattern);
  if (pattern && !pattern.test(value)) {
    fail(`${where}: ${show(value)} does not match the allowed pattern ${show(options.allowedPattern)}`);
  }
  if (type === DocumentParameterType.STRING || type === DocumentParameterType.STRING_LIST) {
    if (typeof options.minChars === 'number' && value.length < options.minChars) {
      fail(`${where}: ${show(value)} has ${value.length} characters; at least ${options.minChars} are needed (minChars)`);
    }
    if (typeof options.maxChars === 'number' && value.length > options.maxChars) {
      fail(`${where}: ${show(value)} has ${value.length} characters; at most ${options.maxChars} are allowed (maxChars)`);
    }
  }
}

