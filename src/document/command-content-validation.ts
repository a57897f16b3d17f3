import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DocumentParameter } from './document-parameter';
import { SsmOpsValidationError, oneOf, show } from '../private/errors';
import { compilePattern } from '../private/patterns';
import { containsToken } from '../private/tokens';

// The rules below come from the SSM User Guide (document syntax, plugin reference) and SSM Agent's document parser;
// see ssm-constraints.md §6 and the sources named beside each rule.

const TOP_LEVEL_KEYS = ['schemaVersion', 'description', 'parameters', 'mainSteps'];
const SCHEMA_VERSIONS = ['2.0', '2.2'];
const PARAMETER_TYPES = ['String', 'StringList', 'Integer', 'Boolean', 'StringMap', 'MapList'];
const PARAMETER_ATTRIBUTES = ['type', 'description', 'default', 'allowedValues', 'allowedPattern', 'displayType',
  'minItems', 'maxItems', 'minChars', 'maxChars', 'interpolationType'];
// SSM Agent substitutes {{ name }} only for names made of letters and digits.
const PARAMETER_NAME = /^[a-zA-Z0-9]+$/;
// GetCommandInvocation's PluginName (the step name) needs 4 to 128 characters; the agent uses it as a folder name.
const STEP_NAME = /^[a-zA-Z0-9_.-]{4,128}$/;
const PLUGIN_ACTION = /^aws:[a-zA-Z]+$/;
const PLATFORMS = ['Linux', 'Windows', 'MacOS'];
// Only names of letters and digits are substituted by SSM Agent; other {{ }} text (Go templates, Parameter Store
// and CloudFormation references) is left alone.
const REFERENCE = /\{\{\s*([a-zA-Z0-9]+)\s*\}\}/g;
const SSM_REFERENCE = /^\{\{\s*(ssm|ssm-secure):[^{}]+\}\}$/;
/** Systems Manager's quota on the size of a document's content. */
export const MAX_CONTENT_BYTES = 64 * 1024;

// Inputs a plugin needs, and inputs that take one of a few values (SSM User Guide, plugin reference).
const REQUIRED_INPUTS: Record<string, string[]> = {
  'aws:runShellScript': ['runCommand'],
  'aws:runPowerShellScript': ['runCommand'],
  'aws:runDocument': ['documentType', 'documentPath'],
  'aws:configurePackage': ['name', 'action'],
  'aws:updateSsmAgent': ['agentName', 'source', 'allowDowngrade'],
  'aws:downloadContent': ['sourceType', 'sourceInfo'],
};
const INPUT_VALUES: Record<string, Record<string, string[]>> = {
  'aws:runDocument': { documentType: ['SSMDocument', 'LocalPath'] },
  'aws:configurePackage': { action: ['Install', 'Uninstall'], installationType: ['Uninstall and reinstall', 'In-place update'] },
  'aws:updateSsmAgent': { allowDowngrade: ['true', 'false'] },
  '*': { onFailure: ['exit', 'successAndExit'], onSuccess: ['exit'] },
};
// The properties of the typed steps that write these inputs, named in errors.
const TYPED_PROPERTY: Record<string, string> = { runCommand: 'commands', name: 'packageName', timeoutSeconds: 'timeout' };
// The agent silently replaces an execution timeout outside 5..172800 seconds with 3600.
const TIMEOUT_SECONDS = { min: 5, max: 172_800 };

/** What the content check found besides errors. */
export interface ContentFindings {
  /** The parameters the content declares, or undefined when they are a token. */
  readonly parameters?: Record<string, DocumentParameter>;
  /** Declared parameters that no step refers to. */
  readonly unusedParameters: string[];
}

/**
 * Checks the content of a Command document, typed or raw, and throws at the first error. Parts of the content that
 * are unresolved tokens are not checked.
 */
export function checkCommandContent(scope: IConstruct, content: unknown): ContentFindings {
  const fail = (message: string): never => {
    throw new SsmOpsValidationError(scope, message);
  };
  if (!isObject(content)) {
    return fail(`content must be a JSON or YAML object, got ${show(content)}`);
  }
  for (const key of Object.keys(content)) {
    if (!TOP_LEVEL_KEYS.includes(key)) {
      fail(`content has ${show(key)}, which Command documents do not allow; allowed: ${oneOf(TOP_LEVEL_KEYS)}`);
    }
  }
  const schemaVersion = content.schemaVersion;
  if (!Token.isUnresolved(schemaVersion) && !SCHEMA_VERSIONS.includes(schemaVersion)) {
    fail(`schemaVersion ${show(schemaVersion)} is not supported; Command documents with mainSteps use ${oneOf(SCHEMA_VERSIONS)}`);
  }

  const parameters = content.parameters ?? {};
  const parametersKnown = !Token.isUnresolved(parameters);
  if (parametersKnown) {
    if (!isObject(parameters)) {
      fail(`parameters must be an object of declarations by name, got ${show(parameters)}`);
    }
    for (const [name, declaration] of Object.entries(parameters)) {
      checkParameter(name, declaration, fail);
    }
  }

  const steps = content.mainSteps;
  const referenced = new Set<string>();
  if (!Token.isUnresolved(steps)) {
    if (!Array.isArray(steps) || steps.length === 0) {
      fail('a Command document needs at least one step (steps, or mainSteps in raw content, is empty)');
    }
    const names = new Set<string>();
    steps.forEach((step: unknown, index: number) => {
      if (Token.isUnresolved(step)) {
        return;
      }
      const where = isObject(step) && typeof step.name === 'string' ? `step ${show(step.name)} (mainSteps[${index}])` : `mainSteps[${index}]`;
      if (!isObject(step)) {
        return fail(`${where} must be an object with action, name and inputs, got ${show(step)}`);
      }
      checkStep(step, where, schemaVersion, index === steps.length - 1, fail);
      if (names.has(step.name)) {
        fail(`${where}: step names must be unique in a document, and ${show(step.name)} is used twice`);
      }
      names.add(step.name);
      for (const reference of references([step.inputs, step.precondition])) {
        if (parametersKnown && !Object.prototype.hasOwnProperty.call(parameters, reference)) {
          const declared = Object.keys(parameters);
          fail(`${where} refers to {{ ${reference} }}, which is not a declared parameter; `
            + (declared.length ? `declared: ${oneOf(declared)}` : 'the document declares no parameters'));
        }
        referenced.add(reference);
      }
    });
  }

  if (!parametersKnown) {
    return { unusedParameters: [] };
  }
  const declarations = Object.entries<Record<string, any>>(parameters);
  return {
    parameters: Object.fromEntries(declarations.filter(([, declaration]) => !Token.isUnresolved(declaration))
      .map(([name, declaration]) => [name, DocumentParameter._fromDeclaration(declaration)])),
    // A token in the steps may refer to any parameter, so none is reported unused then.
    unusedParameters: Token.isUnresolved(steps) ? [] : declarations.map(([name]) => name).filter((name) => !referenced.has(name)),
  };
}

/** The size of the content in bytes, leaving out unresolved tokens, whose values are not known yet. */
export function contentBytes(serialized: string): number {
  const withoutTokens = Token.isUnresolved(serialized) ? serialized.replace(/\$\{Token\[[^\]]*\]\}/g, '') : serialized;
  return Buffer.byteLength(withoutTokens, 'utf8');
}

function checkStep(step: Record<string, any>, where: string, schemaVersion: string, isLast: boolean, fail: (message: string) => never) {
  for (const key of Object.keys(step)) {
    if (!['action', 'name', 'inputs', 'precondition'].includes(key)) {
      fail(`${where} has ${show(key)}, which Command document steps do not allow (isEnd, isCritical, nextStep and `
        + 'maxAttempts belong to Automation runbooks); allowed: \'action\', \'name\', \'inputs\' or \'precondition\'');
    }
  }
  const { action, name, inputs = {}, precondition } = step;
  if (!Token.isUnresolved(name) && !(typeof name === 'string' && STEP_NAME.test(name))) {
    fail(`${where}: name ${show(name)} is not a valid step name; use 4 to 128 letters, digits, '_', '-' or '.'`);
  }
  if (!Token.isUnresolved(action) && !(typeof action === 'string' && PLUGIN_ACTION.test(action))) {
    fail(`${where}: action ${show(action)} is not a plugin name such as 'aws:runShellScript'`);
  }
  if (Token.isUnresolved(inputs) || Token.isUnresolved(action)) {
    return;
  }
  if (!isObject(inputs)) {
    fail(`${where}: inputs must be an object, got ${show(inputs)}`);
  }
  for (const input of REQUIRED_INPUTS[action] ?? []) {
    if (isMissing(inputs[input])) {
      fail(`${where}: ${action} needs the input ${show(input)}` + (TYPED_PROPERTY[input] ? ` (${TYPED_PROPERTY[input]} of CommandStep)` : ''));
    }
  }
  const allowedValues = { ...INPUT_VALUES['*'], ...INPUT_VALUES[action] };
  for (const [input, allowed] of Object.entries(allowedValues)) {
    const value = inputs[input];
    if (isLiteral(value) && !allowed.includes(String(value))) {
      fail(`${where}: input ${input} is ${show(value)}; allowed: ${oneOf(allowed)}`);
    }
  }
  checkTimeout(inputs.timeoutSeconds, where, fail);
  const finallyStep = inputs.finallyStep;
  if (finallyStep !== undefined && !Token.isUnresolved(finallyStep) && ![true, false, 'true', 'false'].includes(finallyStep)) {
    fail(`${where}: finallyStep is ${show(finallyStep)}; allowed: true or false`);
  }
  if ((finallyStep === true || finallyStep === 'true') && !isLast) {
    fail(`${where}: only the last step of a document can be a finally step`);
  }
  if (precondition !== undefined && !Token.isUnresolved(precondition)) {
    checkPrecondition(precondition, where, schemaVersion, fail);
  }
}

function checkTimeout(timeout: unknown, where: string, fail: (message: string) => never) {
  if (!isLiteral(timeout)) {
    return;
  }
  const seconds = Number(timeout);
  if (!Number.isInteger(seconds) || seconds < TIMEOUT_SECONDS.min || seconds > TIMEOUT_SECONDS.max) {
    fail(`${where}: timeoutSeconds is ${show(timeout)}; it must be a whole number of seconds from `
      + `${TIMEOUT_SECONDS.min} to ${TIMEOUT_SECONDS.max} (48 hours)`);
  }
}

function checkPrecondition(precondition: unknown, where: string, schemaVersion: string, fail: (message: string) => never) {
  if (schemaVersion !== '2.2' && !Token.isUnresolved(schemaVersion)) {
    fail(`${where}: preconditions need schemaVersion '2.2', and the document has ${show(schemaVersion)}`);
  }
  const args = isObject(precondition) ? precondition.StringEquals : undefined;
  if (!isObject(precondition) || Object.keys(precondition).length !== 1 || !Array.isArray(args) || args.length !== 2) {
    return fail(`${where}: precondition ${show(precondition)} is not supported; use { StringEquals: ['platformType', 'Linux'] }`);
  }
  const platformIndex = args.indexOf('platformType');
  if (platformIndex === -1) {
    return;
  }
  const platform = args[1 - platformIndex];
  if (isLiteral(platform) && !PLATFORMS.some((allowed) => allowed.toLowerCase() === String(platform).toLowerCase())) {
    fail(`${where}: precondition platformType ${show(platform)} is not a platform; allowed: ${oneOf(PLATFORMS)}`);
  }
}

function checkParameter(name: string, declaration: unknown, fail: (message: string) => never) {
  const where = `parameters.${name}`;
  if (!PARAMETER_NAME.test(name)) {
    fail(`${where}: parameter names may hold only letters and digits (SSM Agent does not substitute others), got ${show(name)}`);
  }
  if (Token.isUnresolved(declaration)) {
    return;
  }
  if (!isObject(declaration)) {
    return fail(`${where} must be a declaration object with a type, got ${show(declaration)}`);
  }
  for (const key of Object.keys(declaration)) {
    if (!PARAMETER_ATTRIBUTES.includes(key)) {
      fail(`${where} has ${show(key)}, which parameter declarations do not allow; allowed: ${oneOf(PARAMETER_ATTRIBUTES)}`);
    }
  }
  const { type, allowedValues, allowedPattern, displayType, interpolationType } = declaration;
  if (!Token.isUnresolved(type) && !PARAMETER_TYPES.includes(type)) {
    fail(`${where}: type ${show(type)} is not a parameter type; allowed: ${oneOf(PARAMETER_TYPES)}`);
  }
  if (displayType !== undefined && !['textfield', 'textarea'].includes(displayType)) {
    fail(`${where}: displayType ${show(displayType)} is not allowed; allowed: 'textfield' or 'textarea'`);
  }
  if (interpolationType !== undefined && interpolationType !== 'ENV_VAR') {
    fail(`${where}: interpolationType ${show(interpolationType)} is not allowed; allowed: 'ENV_VAR'`);
  }
  for (const [min, max] of [['minChars', 'maxChars'], ['minItems', 'maxItems']]) {
    for (const key of [min, max]) {
      const value = declaration[key];
      if (isLiteral(value) && !(Number.isInteger(value) && value >= 0)) {
        fail(`${where}: ${key} must be a whole number of 0 or more, got ${show(value)}`);
      }
    }
    if (isLiteral(declaration[min]) && isLiteral(declaration[max]) && declaration[min] > declaration[max]) {
      fail(`${where}: ${min} (${declaration[min]}) is greater than ${max} (${declaration[max]})`);
    }
  }
  if (allowedValues !== undefined && !Token.isUnresolved(allowedValues) && (!Array.isArray(allowedValues) || allowedValues.length === 0)) {
    fail(`${where}: allowedValues must be a list of at least one value, got ${show(allowedValues)}`);
  }
  if (allowedPattern !== undefined && !Token.isUnresolved(allowedPattern) && typeof allowedPattern !== 'string') {
    fail(`${where}: allowedPattern must be a regular expression string, got ${show(allowedPattern)}`);
  }
  if (declaration.default !== undefined) {
    checkDefault(where, declaration, fail);
  }
}

function checkDefault(where: string, declaration: Record<string, any>, fail: (message: string) => never) {
  const value = declaration.default;
  if (containsToken(value) || Token.isUnresolved(declaration.type) || (typeof value === 'string' && SSM_REFERENCE.test(value))) {
    return;
  }
  const type: string = declaration.type;
  const isStringList = Array.isArray(value) && value.every((item) => typeof item === 'string');
  const isMap = isObject(value) && Object.values(value).every((item) => typeof item === 'string');
  const typeMatches: Record<string, boolean> = {
    String: typeof value === 'string',
    StringList: isStringList,
    Integer: typeof value === 'number' && Number.isInteger(value),
    Boolean: typeof value === 'boolean',
    StringMap: isMap,
    MapList: Array.isArray(value) && value.every(isObject),
  };
  if (!typeMatches[type]) {
    fail(`${where}: default ${show(value)} is not a value of type ${type}`);
  }

  // The constraints apply to the value of a String, to each item of a StringList, and to a map as JSON (SSM Agent).
  const items: unknown[] = type === 'StringList' ? value : type === 'StringMap' || type === 'MapList' ? [JSON.stringify(value)] : [value];
  const { allowedValues, allowedPattern, minChars, maxChars, minItems, maxItems } = declaration;
  const pattern = compilePattern(allowedPattern);
  for (const item of items) {
    if (Token.isUnresolved(item)) {
      continue;
    }
    const text = String(item);
    if (Array.isArray(allowedValues) && !containsToken(allowedValues) && !allowedValues.map(String).includes(text)) {
      fail(`${where}: default ${show(item)} is not one of allowedValues: ${oneOf(allowedValues)}`);
    }
    if (pattern && !pattern.test(text)) {
      fail(`${where}: default ${show(item)} does not match allowedPattern ${show(allowedPattern)}`);
    }
    if (!['Integer', 'Boolean'].includes(type) && isLiteral(minChars) && text.length < minChars) {
      fail(`${where}: default ${show(item)} has ${text.length} characters, fewer than minChars (${minChars})`);
    }
    if (!['Integer', 'Boolean'].includes(type) && isLiteral(maxChars) && text.length > maxChars) {
      fail(`${where}: default ${show(item)} has ${text.length} characters, more than maxChars (${maxChars})`);
    }
  }
  const count = Array.isArray(value) ? value.length : isObject(value) ? Object.keys(value).length : undefined;
  if (count !== undefined && isLiteral(minItems) && count < minItems) {
    fail(`${where}: default has ${count} items, fewer than minItems (${minItems})`);
  }
  if (count !== undefined && isLiteral(maxItems) && count > maxItems) {
    fail(`${where}: default has ${count} items, more than maxItems (${maxItems})`);
  }
}

/** The names that `{{ name }}` references in the given values refer to. */
function references(values: unknown[]): string[] {
  const found: string[] = [];
  const visit = (value: unknown) => {
    if (Token.isUnresolved(value)) {
      return;
    }
    if (typeof value === 'string') {
      for (const match of value.matchAll(REFERENCE)) {
        found.push(match[1]);
      }
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (isObject(value)) {
      Object.values(value).forEach(visit);
    }
  };
  values.forEach(visit);
  return found;
}

/** A plain object: not a list, and not an unresolved token such as a `Lazy` or `Fn` value. */
function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Token.isUnresolved(value);
}

/** A value given and known at synth time: neither absent nor a token nor a `{{ parameter }}` reference. */
function isLiteral(value: unknown): boolean {
  return value !== undefined && !Token.isUnresolved(value) && !(typeof value === 'string' && value.includes('{{'));
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}
