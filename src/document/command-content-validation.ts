import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PackageAction, PackageInstallationType, Platform, RunDocumentType, StepFailureAction } from './command-step';
import { DisplayType, DocumentParameter, DocumentParameterType } from './document-parameter';
import { STEP_TIMEOUT_SECONDS } from '../private/document-limits';
import { checkParameterCount, checkParameterItem, knownConstraints } from '../private/document-parameters';
import { oneOf, show } from '../private/errors';
import { containsToken } from '../private/tokens';
import { chars, checkOneOf, checkWholeNumber, reject, rejectCombination, rejectCount, warn } from '../private/validate';

// The rules below come from the SSM User Guide ("Data elements and parameters",
// https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-syntax-data-elements-parameters.html, and the
// Command document plugin reference,
// https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-command-ssm-plugin-reference.html) and from
// SSM Agent's document parser, as named beside each rule.

const TOP_LEVEL_KEYS = ['schemaVersion', 'description', 'parameters', 'mainSteps'];
const SCHEMA_VERSIONS = ['2.0', '2.2'];
const STEP_KEYS = ['action', 'name', 'inputs', 'precondition'];
const PARAMETER_TYPES: string[] = Object.values(DocumentParameterType);
const PARAMETER_ATTRIBUTES = ['type', 'description', 'default', 'allowedValues', 'allowedPattern', 'displayType',
  'minItems', 'maxItems', 'minChars', 'maxChars', 'interpolationType'];
// SSM Agent substitutes {{ name }} only for names made of letters and digits.
const PARAMETER_NAME = /^[a-zA-Z0-9]+$/;
// A step name is "any user-defined name" (User Guide, "Schemas and features"); the agent uses it as a folder name, so
// it keeps to these characters. GetCommandInvocation's PluginName, which reads one step's output, takes 4 or more.
const STEP_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const PLUGIN_NAME_MIN = 4;
const PLUGIN_ACTION = /^aws:[a-zA-Z]+$/;
// Only names of letters and digits are substituted by SSM Agent; other {{ }} text (Go templates, Parameter Store
// and CloudFormation references) is left alone.
const REFERENCE = /\{\{\s*([a-zA-Z0-9]+)\s*\}\}/g;
const SSM_REFERENCE = /^\{\{\s*(ssm|ssm-secure):[^{}]+\}\}$/;

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
  'aws:runDocument': { documentType: Object.values(RunDocumentType) },
  'aws:configurePackage': { action: Object.values(PackageAction), installationType: Object.values(PackageInstallationType) },
  'aws:updateSsmAgent': { allowDowngrade: ['true', 'false'] },
  '*': { onFailure: Object.values(StepFailureAction), onSuccess: [StepFailureAction.EXIT] },
};
// The properties of the typed steps that write these inputs, named in errors.
const TYPED_PROPERTY: Record<string, string> = { runCommand: 'commands', name: 'packageName', timeoutSeconds: 'timeout' };

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
  if (!isObject(content)) {
    return reject(scope, 'content', content, 'is not an object', 'use a JSON or YAML object with schemaVersion and mainSteps');
  }
  const schemaVersion = content.schemaVersion;
  checkSchemaVersion(scope, content);
  for (const key of Object.keys(content)) {
    if (!TOP_LEVEL_KEYS.includes(key)) {
      reject(scope, 'content', key, 'is not a key of Command documents', `use ${oneOf(TOP_LEVEL_KEYS)}`);
    }
  }

  const parameters = content.parameters ?? {};
  const parametersKnown = !Token.isUnresolved(parameters);
  if (parametersKnown) {
    if (!isObject(parameters)) {
      reject(scope, 'parameters', parameters, 'is not an object', 'use declarations by name');
    }
    for (const [name, declaration] of Object.entries(parameters)) {
      checkParameter(scope, name, declaration);
    }
  }

  const steps = content.mainSteps;
  const referenced = new Set<string>();
  if (!Token.isUnresolved(steps)) {
    if (!Array.isArray(steps)) {
      reject(scope, 'mainSteps', steps, 'is not a list', 'use a list of steps');
    }
    if (steps.length === 0) {
      rejectCount(scope, 'mainSteps', 0, 'steps', 'use 1 or more (the steps of a typed document)');
    }
    const names = new Set<string>();
    steps.forEach((step: unknown, index: number) => {
      if (Token.isUnresolved(step)) {
        return;
      }
      const where = `mainSteps[${index}]`;
      if (!isObject(step)) {
        return reject(scope, where, step, 'is not an object', 'use an object with action, name and inputs');
      }
      checkStep(scope, step, where, schemaVersion, index === steps.length - 1);
      if (steps.length > 1 && typeof step.name === 'string' && chars(step.name) < PLUGIN_NAME_MIN) {
        warn(scope, 'shortStepName', `${where}.name`, step.name, `has ${chars(step.name)} characters`, 'GetCommandInvocation reads the output of '
          + `one step of a document of several steps by a name of ${PLUGIN_NAME_MIN} or more, so this step's output can't be read on its own`);
      }
      if (names.has(step.name)) {
        reject(scope, `${where}.name`, step.name, 'is the name of another step', 'use a name unique in the document');
      }
      names.add(step.name);
      for (const reference of references([step.inputs, step.precondition])) {
        if (parametersKnown && !Object.prototype.hasOwnProperty.call(parameters, reference)) {
          const declared = Object.keys(parameters);
          reject(scope, where, `{{ ${reference} }}`, 'refers to no declared parameter',
            declared.length ? `use ${oneOf(declared)}` : 'the document declares no parameters');
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

/**
 * Command documents take schema versions 1.2, 2.0 and 2.2; this library takes 2.0 and 2.2. A 1.2 document
 * (`runtimeConfig`) can't be updated, only replaced under a new name, and runs its plugins in no set order (SSM User
 * Guide, "Schemas and features", https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-schemas-features.html),
 * which a named document's new versions and the checks of steps both depend on.
 */
function checkSchemaVersion(scope: IConstruct, content: Record<string, any>) {
  const schemaVersion = content.schemaVersion;
  if (schemaVersion === '1.2') {
    reject(scope, 'schemaVersion', schemaVersion, "is not supported: a 1.2 document can't be updated, only replaced under a new name, and runs "
      + 'its plugins in no set order', "use '2.2', with runtimeConfig's plugins as mainSteps");
  }
  if (!Token.isUnresolved(schemaVersion) && !SCHEMA_VERSIONS.includes(schemaVersion)) {
    reject(scope, 'schemaVersion', schemaVersion, 'is not valid', `use ${oneOf(SCHEMA_VERSIONS)}`);
  }
}

function checkStep(scope: IConstruct, step: Record<string, any>, where: string, schemaVersion: string, isLast: boolean) {
  for (const key of Object.keys(step)) {
    if (!STEP_KEYS.includes(key)) {
      reject(scope, where, key, 'is not a key of Command document steps (isEnd, isCritical, nextStep and maxAttempts belong to Automation '
        + 'runbooks)', `use ${oneOf(STEP_KEYS)}`);
    }
  }
  const { action, name, inputs = {}, precondition } = step;
  if (!Token.isUnresolved(name) && !(typeof name === 'string' && STEP_NAME.test(name))) {
    reject(scope, `${where}.name`, name, 'is not valid', "use 1 to 128 letters, digits, '_', '-' or '.'");
  }
  if (!Token.isUnresolved(action) && !(typeof action === 'string' && PLUGIN_ACTION.test(action))) {
    reject(scope, `${where}.action`, action, 'is not a plugin name', "use one such as 'aws:runShellScript'");
  }
  if (Token.isUnresolved(inputs) || Token.isUnresolved(action)) {
    return;
  }
  if (!isObject(inputs)) {
    reject(scope, `${where}.inputs`, inputs, 'is not an object', "use the plugin's inputs by name");
  }
  for (const input of REQUIRED_INPUTS[action] ?? []) {
    if (isMissing(inputs[input])) {
      rejectCombination(scope, `${where}.inputs`, `lacks ${show(input)}, which ${action} needs`,
        TYPED_PROPERTY[input] ? `give it (${TYPED_PROPERTY[input]} of CommandStep)` : 'give it');
    }
  }
  const allowedValues = { ...INPUT_VALUES['*'], ...INPUT_VALUES[action] };
  for (const [input, allowed] of Object.entries(allowedValues)) {
    if (isLiteral(inputs[input])) {
      checkOneOf(scope, `${where}.inputs.${input}`, String(inputs[input]), allowed);
    }
  }
  checkTimeout(scope, `${where}.inputs.timeoutSeconds`, inputs.timeoutSeconds);
  const finallyStep = inputs.finallyStep;
  if (finallyStep !== undefined && !Token.isUnresolved(finallyStep) && ![true, false, 'true', 'false'].includes(finallyStep)) {
    reject(scope, `${where}.inputs.finallyStep`, finallyStep, 'is not valid', 'use true or false');
  }
  if ((finallyStep === true || finallyStep === 'true') && !isLast) {
    reject(scope, `${where}.inputs.finallyStep`, finallyStep, 'is not allowed before the last step', 'only the last step of a document can be a finally step');
  }
  if (precondition !== undefined && !Token.isUnresolved(precondition)) {
    checkPrecondition(scope, `${where}.precondition`, precondition, schemaVersion);
  }
}

function checkTimeout(scope: IConstruct, where: string, timeout: unknown) {
  if (!isLiteral(timeout)) {
    return;
  }
  const seconds = Number(timeout);
  if (!Number.isInteger(seconds) || seconds < STEP_TIMEOUT_SECONDS.min || seconds > STEP_TIMEOUT_SECONDS.max) {
    reject(scope, where, timeout, 'is not valid', `use a whole number of seconds from ${STEP_TIMEOUT_SECONDS.min} to ${STEP_TIMEOUT_SECONDS.max.toLocaleString('en-US')} (48 hours)`);
  }
}

function checkPrecondition(scope: IConstruct, where: string, precondition: unknown, schemaVersion: string) {
  if (schemaVersion !== '2.2' && !Token.isUnresolved(schemaVersion)) {
    reject(scope, where, precondition, "needs schemaVersion '2.2'", `the document has ${show(schemaVersion)}`);
  }
  const args = isObject(precondition) ? precondition.StringEquals : undefined;
  if (!isObject(precondition) || Object.keys(precondition).length !== 1 || !Array.isArray(args) || args.length !== 2) {
    return reject(scope, where, precondition, 'is not supported', "use { StringEquals: ['platformType', 'Linux'] }");
  }
  const platformIndex = args.indexOf('platformType');
  if (platformIndex === -1) {
    return;
  }
  // SSM Agent compares platform names without regard to case.
  const platform = args[1 - platformIndex];
  const platforms: string[] = Object.values(Platform);
  if (isLiteral(platform) && !platforms.some((allowed) => allowed.toLowerCase() === String(platform).toLowerCase())) {
    reject(scope, where, platform, 'is not a platform', `use ${oneOf(platforms)}`);
  }
}

function checkParameter(scope: IConstruct, name: string, declaration: unknown) {
  const where = `parameters.${name}`;
  if (!PARAMETER_NAME.test(name)) {
    reject(scope, 'parameters', name, 'is not a valid parameter name', 'use letters and digits only (SSM Agent does not substitute others)');
  }
  if (Token.isUnresolved(declaration)) {
    return;
  }
  if (!isObject(declaration)) {
    return reject(scope, where, declaration, 'is not a declaration', 'use an object with a type');
  }
  for (const key of Object.keys(declaration)) {
    if (!PARAMETER_ATTRIBUTES.includes(key)) {
      reject(scope, where, key, 'is not an attribute of parameter declarations', `use ${oneOf(PARAMETER_ATTRIBUTES)}`);
    }
  }
  const { type, allowedValues, allowedPattern, displayType, interpolationType } = declaration;
  checkOneOf(scope, `${where}.type`, type, PARAMETER_TYPES);
  checkOneOf(scope, `${where}.displayType`, displayType, Object.values(DisplayType));
  checkOneOf(scope, `${where}.interpolationType`, interpolationType, ['ENV_VAR']);
  for (const [min, max] of [['minChars', 'maxChars'], ['minItems', 'maxItems']]) {
    for (const key of [min, max]) {
      if (isLiteral(declaration[key])) {
        checkWholeNumber(scope, `${where}.${key}`, declaration[key], { min: 0 });
      }
    }
    if (isLiteral(declaration[min]) && isLiteral(declaration[max]) && declaration[min] > declaration[max]) {
      reject(scope, `${where}.${min}`, declaration[min], `is greater than ${max} (${declaration[max]})`, `use at most ${declaration[max]}`);
    }
  }
  if (allowedValues !== undefined && !Token.isUnresolved(allowedValues) && (!Array.isArray(allowedValues) || allowedValues.length === 0)) {
    reject(scope, `${where}.allowedValues`, allowedValues, 'is not valid', 'use a list of at least one value');
  }
  if (allowedPattern !== undefined && !Token.isUnresolved(allowedPattern) && typeof allowedPattern !== 'string') {
    reject(scope, `${where}.allowedPattern`, allowedPattern, 'is not valid', 'use a regular expression, as a string');
  }
  if (declaration.default !== undefined) {
    checkDefault(scope, `${where}.default`, declaration);
  }
}

/** A declaration's default: of its type, and within its own constraints, as a value passed to the document is. */
function checkDefault(scope: IConstruct, where: string, declaration: Record<string, any>) {
  const value = declaration.default;
  if (containsToken(value) || Token.isUnresolved(declaration.type) || (typeof value === 'string' && SSM_REFERENCE.test(value))) {
    return;
  }
  const type: string = declaration.type;
  const isStringList = Array.isArray(value) && value.every((item) => typeof item === 'string');
  const isMap = isObject(value) && Object.values(value).every((item) => typeof item === 'string');
  const typeMatches: Record<string, boolean> = {
    [DocumentParameterType.STRING]: typeof value === 'string',
    [DocumentParameterType.STRING_LIST]: isStringList,
    [DocumentParameterType.INTEGER]: typeof value === 'number' && Number.isInteger(value),
    [DocumentParameterType.BOOLEAN]: typeof value === 'boolean',
    [DocumentParameterType.STRING_MAP]: isMap,
    [DocumentParameterType.MAP_LIST]: Array.isArray(value) && value.every(isObject),
  };
  if (!typeMatches[type]) {
    reject(scope, where, value, "does not have the parameter's type", `use a value of type ${type}`);
  }

  // The constraints apply to the value of a String, to each item of a StringList, and to a map as JSON (SSM Agent).
  const isMapType = type === DocumentParameterType.STRING_MAP || type === DocumentParameterType.MAP_LIST;
  const items: unknown[] = type === DocumentParameterType.STRING_LIST ? value : isMapType ? [JSON.stringify(value)] : [value];
  const constraints = knownConstraints(declaration);
  for (const item of items) {
    if (!Token.isUnresolved(item)) {
      checkParameterItem(scope, where, String(item), type, constraints, item);
    }
  }
  const count = Array.isArray(value) ? value.length : isObject(value) ? Object.keys(value).length : undefined;
  if (count !== undefined) {
    checkParameterCount(scope, where, count, constraints);
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
