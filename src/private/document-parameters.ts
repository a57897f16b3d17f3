import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { oneOf, show } from './errors';
import { compilePattern } from './patterns';
import { containsToken } from './tokens';
import { chars, checkCount, checkLength, known, reject, rejectCombination, rejectCount, span } from './validate';
import { IDocument } from '../document/document';
import { DocumentParameterType } from '../document/document-parameter';

// Parameter Store references and maintenance window pseudo parameters ({{RESOURCE_ID}}, {{WINDOW_EXECUTION_ID}}, ...)
// are filled in by Systems Manager when the document runs, so values that hold them are not known here.
const RUN_TIME_REFERENCE = /\{\{[^{}]+\}\}/;
const SINGLE_VALUE_TYPES: string[] = [DocumentParameterType.STRING, DocumentParameterType.INTEGER, DocumentParameterType.BOOLEAN];
// Integers and Booleans have no characters to count (SSM User Guide, "Data elements and parameters").
const WITHOUT_CHARACTERS: string[] = [DocumentParameterType.INTEGER, DocumentParameterType.BOOLEAN];

/** A declaration's constraints that are known at synth time: those that hold tokens are known only at deploy time. */
export function knownConstraints(options: Record<string, any>): Record<string, any> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => !containsToken(value)));
}

/**
 * Checks one value of a parameter, as text, against the constraints its declaration gives it: allowedValues,
 * allowedPattern, and minChars and maxChars for the types that have characters (a map counts as its JSON). The one
 * rule for the values passed to a document and for the defaults a document declares.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-syntax-data-elements-parameters.html
 */
export function checkParameterItem(
  scope: IConstruct, where: string, text: string, type: string, constraints: Record<string, any>, received: unknown = text,
): void {
  const { allowedValues, allowedPattern, minChars, maxChars } = constraints;
  if (Array.isArray(allowedValues) && !allowedValues.map(String).includes(text)) {
    reject(scope, where, received, 'is not one of allowedValues', `use ${oneOf(allowedValues)}`);
  }
  const pattern = compilePattern(allowedPattern);
  if (pattern && !pattern.test(text)) {
    reject(scope, where, text, 'does not match allowedPattern', `use a value that matches ${show(allowedPattern)}`);
  }
  if (WITHOUT_CHARACTERS.includes(type)) {
    return;
  }
  if (typeof minChars === 'number' && chars(text) < minChars) {
    reject(scope, where, text, `has ${chars(text)} characters`, `use ${span(minChars)} (minChars)`);
  }
  if (typeof maxChars === 'number' && chars(text) > maxChars) {
    reject(scope, where, text, `has ${chars(text)} characters`, `use ${span(0, maxChars)} (maxChars)`);
  }
}

/** Checks how many items a list or map value has against minItems and maxItems. */
export function checkParameterCount(scope: IConstruct, where: string, count: number, constraints: Record<string, any>): void {
  const { minItems, maxItems } = constraints;
  if (typeof minItems === 'number' && count < minItems) {
    rejectCount(scope, where, count, 'items', `use ${span(minItems)} (minItems)`);
  }
  if (typeof maxItems === 'number' && count > maxItems) {
    rejectCount(scope, where, count, 'items', `use ${span(0, maxItems)} (maxItems)`);
  }
}

/** Limits on the parameters an API takes, whatever the document declares. */
export interface ParameterLimits {
  /** The most parameter names. */
  readonly maxNames?: number;
  /** The longest name, in characters. */
  readonly maxNameLength: number;
  /** The most values of one parameter. */
  readonly maxValues?: number;
  /** The longest value, in characters; values then have at least one. */
  readonly maxValueLength?: number;
}

/**
 * Checks parameters against the limits of the API that takes them, which hold even when the document's own
 * parameters are unknown: CloudFormation's association `Parameters` (names of 1 to 255 characters), or an Automation
 * task's `Parameters` (at most 200 names of 1 to 50 characters, with at most 50 values of 1 to 512 characters).
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_MaintenanceWindowAutomationParameters.html
 */
export function checkParameterLimits(scope: IConstruct, property: string, parameters: Record<string, string[]> | undefined, limits: ParameterLimits) {
  if (!known(parameters)) {
    return;
  }
  const names = Object.keys(parameters);
  if (limits.maxNames !== undefined && !names.some((name) => Token.isUnresolved(name))) {
    checkCount(scope, property, names, 0, limits.maxNames, 'parameters');
  }
  for (const [name, values] of Object.entries(parameters)) {
    if (known(name) && (chars(name) < 1 || chars(name) > limits.maxNameLength)) {
      reject(scope, property, name, 'is not a valid parameter name', `use 1 to ${limits.maxNameLength} characters`);
    }
    if (limits.maxValues !== undefined) {
      checkCount(scope, `${property}.${name}`, values, 0, limits.maxValues, 'values');
    }
    if (limits.maxValueLength !== undefined && known(values)) {
      values.forEach((value) => checkLength(scope, `${property}.${name}`, value, 1, limits.maxValueLength!));
    }
  }
}

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
  const documentName = Token.isUnresolved(document.documentName) ? 'the document' : `the document ${show(document.documentName)}`;
  const names = Object.keys(declared);
  const declaredNames = names.length ? `use ${oneOf(names)}` : `${documentName} declares no parameters`;
  const given = parameters ?? {};

  if (known(filledByTargets) && !(filledByTargets in declared)) {
    reject(scope, 'automationTargetParameterName', filledByTargets, `is not a parameter of ${documentName}`, declaredNames);
  }
  for (const [name, values] of Object.entries(given)) {
    const declaration = declared[name];
    if (known(name) && declaration === undefined) {
      reject(scope, property, name, `is not a parameter of ${documentName}`, declaredNames);
    }
    if (known(name) && known(values)) {
      checkValues(scope, `${property}.${name}`, values, declaration.type, declaration._options);
    }
  }

  // A name that is a token may be any parameter, and the one the targets fill in is given by State Manager.
  const missing = Object.entries(declared)
    .filter(([name, parameter]) => parameter.required && !(name in given) && name !== filledByTargets);
  if (missing.length && !Object.keys(given).some((name) => Token.isUnresolved(name))) {
    const [name, parameter] = missing[0];
    rejectCombination(scope, property, `lacks ${show(name)}, which ${documentName} requires`,
      (parameter.allowedValues ? `give it one of ${oneOf(parameter.allowedValues)}` : 'give it')
      + (missing.length > 1 ? `; also missing: ${missing.slice(1).map(([other]) => show(other)).join(', ')}` : ''));
  }
}

/** Checks the values passed to one declared parameter. */
function checkValues(scope: IConstruct, where: string, values: string[], type: string, options: Record<string, any>) {
  if (!Array.isArray(values)) {
    reject(scope, where, values, 'is not a list of strings', `write [${show(values)}]`);
  }
  if (SINGLE_VALUE_TYPES.includes(type) && values.length !== 1) {
    rejectCount(scope, where, values.length, 'values', `use exactly 1 (a ${type} parameter takes one value)`);
  }
  const constraints = knownConstraints(options);
  if (type === DocumentParameterType.STRING_LIST) {
    checkParameterCount(scope, where, values.length, constraints);
  }
  for (const value of values) {
    if (typeof value !== 'string' && !Token.isUnresolved(value)) {
      reject(scope, where, value, 'is not a string', 'give every value as a string');
    }
    if (Token.isUnresolved(value) || RUN_TIME_REFERENCE.test(value)) {
      continue;
    }
    if (type === DocumentParameterType.INTEGER && !/^-?\d+$/.test(value)) {
      reject(scope, where, value, 'is not an integer', "use a whole number such as '2'");
    }
    if (type === DocumentParameterType.BOOLEAN && !['true', 'false'].includes(value)) {
      reject(scope, where, value, 'is not a Boolean', "use 'true' or 'false'");
    }
    checkParameterItem(scope, where, value, type, constraints);
  }
}
