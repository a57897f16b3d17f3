import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

// The schemas the property-based tests compare the library with, read at test time from the Python packages that
// scripts/python-env.sh installs into .venv (the test task runs it):
//
// - cfn-lint's CloudFormation resource schemas (cfnlint/data/schemas/resources/<content hash>.json): the registry
//   schemas AWS publishes, patched by cfn-lint with the limits of the SSM API model. Their file names are content
//   hashes, so they are found by the `typeName` inside them.
// - cfn-lint's schema of an SSM document's content (cfnlint/data/schemas/other/ssm/document.json).
// - botocore's SSM API model (botocore/data/ssm/2014-11-06/service-2.json.gz): the shapes every SSM call takes.
//
// Nothing here copies a number out of them: each test reads the constraint it needs through this module.

const REPO = path.join(__dirname, '..', '..');
const VENV_LIB = path.join(REPO, '.venv', 'lib');

/** A JSON Schema node of a CloudFormation resource schema (the subset these schemas use). */
export interface JsonSchema {
  readonly type?: string | string[];
  readonly $ref?: string;
  readonly properties?: Record<string, JsonSchema>;
  readonly patternProperties?: Record<string, JsonSchema>;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly required?: string[];
  readonly enum?: unknown[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly anyOf?: JsonSchema[];
  readonly [key: string]: unknown;
}

/** A CloudFormation resource schema. */
export interface ResourceSchema extends JsonSchema {
  readonly typeName: string;
  readonly definitions?: Record<string, JsonSchema>;
}

/** A shape of a botocore service model. */
export interface ApiShape {
  readonly type: string;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: string[];
  readonly members?: Record<string, { readonly shape: string }>;
  readonly required?: string[];
  readonly member?: { readonly shape: string };
  readonly key?: { readonly shape: string };
  readonly value?: { readonly shape: string };
  readonly documentation?: string;
}

/** A botocore service model: its operations and shapes. */
export interface ApiModel {
  readonly operations: Record<string, { readonly input?: { readonly shape: string } }>;
  readonly shapes: Record<string, ApiShape>;
}

/** Where the schemas were found. */
export interface SchemaFiles {
  readonly sitePackages: string;
  readonly cfnLintVersion: string;
  readonly resources: Record<string, string>;
  readonly documentContent: string;
  readonly apiModel: string;
}

/** The SSM resource types the library writes. */
export const RESOURCE_TYPES = [
  'AWS::SSM::Association',
  'AWS::SSM::Document',
  'AWS::SSM::MaintenanceWindow',
  'AWS::SSM::MaintenanceWindowTarget',
  'AWS::SSM::MaintenanceWindowTask',
] as const;
export type ResourceType = typeof RESOURCE_TYPES[number];

/** The site-packages folder of .venv, or undefined when .venv is missing. */
function sitePackages(): string | undefined {
  if (!fs.existsSync(VENV_LIB)) {
    return undefined;
  }
  const python = fs.readdirSync(VENV_LIB).filter((name) => /^python3/.test(name)).sort();
  return python.map((name) => path.join(VENV_LIB, name, 'site-packages')).find((dir) => fs.existsSync(path.join(dir, 'cfnlint')));
}

/**
 * The resource schema files of the SSM types, by typeName. cfn-lint's region files map type names to hashes; the map
 * is only a shortcut, each file found is checked for its typeName, and a full scan is the fallback.
 */
function findResourceSchemas(schemasDir: string): Record<string, string> {
  const resourcesDir = path.join(schemasDir, 'resources');
  const found: Record<string, string> = {};
  const typeNameOf = (file: string): string | undefined => {
    try {
      return (JSON.parse(fs.readFileSync(file, 'utf8')) as { typeName?: string }).typeName;
    } catch {
      return undefined;
    }
  };
  const regionMap = path.join(schemasDir, 'providers', 'us-east-1.json');
  if (fs.existsSync(regionMap)) {
    const hashes = JSON.parse(fs.readFileSync(regionMap, 'utf8')) as Record<string, string>;
    for (const typeName of RESOURCE_TYPES) {
      const file = path.join(resourcesDir, `${hashes[typeName]}.json`);
      if (hashes[typeName] && fs.existsSync(file) && typeNameOf(file) === typeName) {
        found[typeName] = file;
      }
    }
  }
  const missing = RESOURCE_TYPES.filter((typeName) => !found[typeName]);
  if (missing.length) {
    for (const name of fs.readdirSync(resourcesDir).filter((file) => file.endsWith('.json'))) {
      const file = path.join(resourcesDir, name);
      const text = fs.readFileSync(file, 'utf8');
      const typeName = missing.find((type) => text.includes(`"${type}"`));
      if (typeName && typeNameOf(file) === typeName) {
        found[typeName] = file;
      }
    }
  }
  return found;
}

/** Where the schemas are, or why they can't be used. */
function locate(): SchemaFiles | string {
  const site = sitePackages();
  if (!site) {
    return `no site-packages with cfnlint under ${VENV_LIB}`;
  }
  const schemasDir = path.join(site, 'cfnlint', 'data', 'schemas');
  const resources = findResourceSchemas(schemasDir);
  const missing = RESOURCE_TYPES.filter((typeName) => !resources[typeName]);
  if (missing.length) {
    return `cfn-lint in ${site} has no resource schema for ${missing.join(', ')}`;
  }
  const documentContent = path.join(schemasDir, 'other', 'ssm', 'document.json');
  const apiModel = path.join(site, 'botocore', 'data', 'ssm', '2014-11-06', 'service-2.json.gz');
  for (const file of [documentContent, apiModel]) {
    if (!fs.existsSync(file)) {
      return `${file} is missing`;
    }
  }
  const versionFile = path.join(site, 'cfnlint', 'version.py');
  const cfnLintVersion = /__version__\s*=\s*"([^"]+)"/.exec(fs.readFileSync(versionFile, 'utf8'))?.[1] ?? 'unknown';
  return { sitePackages: site, cfnLintVersion, resources, documentContent, apiModel };
}

const located = locate();

/** Whether the schemas are there. */
export const schemasAvailable = typeof located !== 'string';

if (!schemasAvailable && process.env.CI) {
  throw new Error(`The schema tests need cfn-lint and botocore in .venv (${located}): run 'bash scripts/python-env.sh' (the test task does)`);
}

/** `describe` when the schemas are there, `describe.skip` otherwise (and outside CI, where a missing .venv fails above). */
export const describeWithSchemas: jest.Describe = schemasAvailable ? describe : describe.skip;

let loaded: Schemas | undefined;

/** The schemas, read once per test file. */
export class Schemas {
  /** The schemas; throws when they are missing (guard with describeWithSchemas). */
  public static load(): Schemas {
    if (typeof located === 'string') {
      throw new Error(`schemas not available: ${located}`);
    }
    loaded ??= new Schemas(located);
    return loaded;
  }

  public readonly resources: Record<ResourceType, ResourceSchema>;
  public readonly documentContent: JsonSchema;
  public readonly api: ApiModel;

  private constructor(public readonly files: SchemaFiles) {
    this.resources = Object.fromEntries(RESOURCE_TYPES.map((typeName) =>
      [typeName, JSON.parse(fs.readFileSync(files.resources[typeName], 'utf8'))])) as Record<ResourceType, ResourceSchema>;
    this.documentContent = JSON.parse(fs.readFileSync(files.documentContent, 'utf8'));
    this.api = JSON.parse(zlib.gunzipSync(fs.readFileSync(files.apiModel)).toString('utf8'));
  }

  /** Follows a `$ref` of a resource schema (only local `#/definitions/...` refs occur). */
  public deref(typeName: ResourceType, node: JsonSchema): JsonSchema {
    let current = node;
    for (let hops = 0; current.$ref !== undefined; hops++) {
      const match = /^#\/definitions\/(.+)$/.exec(current.$ref);
      const target = match ? this.resources[typeName].definitions?.[match[1]] : undefined;
      if (!target || hops > 10) {
        throw new Error(`${typeName}: can't follow $ref ${current.$ref}`);
      }
      current = target;
    }
    return current;
  }

  /**
   * The schema node of a property of a resource type, by a dotted path of property names, where `[]` steps into
   * the items of an array and `{}` into the values of a map: `Targets[].Key`, `Parameters{}`.
   */
  public property(typeName: ResourceType, dotted: string): JsonSchema {
    let node: JsonSchema = this.resources[typeName];
    for (const step of splitPath(dotted)) {
      node = this.deref(typeName, node);
      const next = step === '[]' ? node.items
        : step === '{}' ? Object.values(node.patternProperties ?? {})[0] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined)
          : node.properties?.[step];
      if (!next) {
        throw new Error(`${typeName} has no ${dotted} (at ${step})`);
      }
      node = next;
    }
    return this.deref(typeName, node);
  }

  /** A shape of the SSM API model by name. */
  public shape(name: string): ApiShape {
    const shape = this.api.shapes[name];
    if (!shape) {
      throw new Error(`the SSM API model has no shape ${name}`);
    }
    return shape;
  }

  /**
   * The shape of a member of an operation's input, by a dotted path as for `property`: `CreateAssociation.Targets[].Key`.
   * Returns the shape and its name.
   */
  public member(dotted: string): { readonly name: string; readonly shape: ApiShape } {
    const [operation, ...steps] = splitPath(dotted);
    let name = this.api.operations[operation]?.input?.shape;
    if (!name) {
      throw new Error(`the SSM API model has no operation ${operation}`);
    }
    for (const step of steps) {
      const shape = this.shape(name);
      const next = step === '[]' ? shape.member?.shape : step === '{}' ? shape.value?.shape : step === '{key}' ? shape.key?.shape : shape.members?.[step]?.shape;
      if (!next) {
        throw new Error(`the SSM API model has no ${dotted} (at ${step} of ${name})`);
      }
      name = next;
    }
    return { name, shape: this.shape(name) };
  }
}

/** `Targets[].Key` → `Targets`, `[]`, `Key`. */
function splitPath(dotted: string): string[] {
  return dotted.split('.').flatMap((part) => part.split(/(\[\]|\{\}|\{key\})/).filter((piece) => piece !== ''));
}
