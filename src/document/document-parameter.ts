/**
 * The type of a document parameter.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-syntax-data-elements-parameters.html
 */
export enum DocumentParameterType {
  /** A single string. */
  STRING = 'String',
  /** A list of strings. */
  STRING_LIST = 'StringList',
  /** An integer. */
  INTEGER = 'Integer',
  /** `true` or `false`. */
  BOOLEAN = 'Boolean',
  /** A map of string keys to string values. */
  STRING_MAP = 'StringMap',
  /** A list of maps. */
  MAP_LIST = 'MapList',
}

/**
 * How the Systems Manager console shows a parameter's input box.
 */
export enum DisplayType {
  /** A single-line text box. */
  TEXT_FIELD = 'textfield',
  /** A multi-line text area. */
  TEXT_AREA = 'textarea',
}

/**
 * Options every document parameter accepts.
 */
export interface DocumentParameterOptions {
  /**
   * What the parameter is for.
   *
   * @default - no description
   */
  readonly description?: string;
}

/**
 * Options of a `String` parameter.
 */
export interface StringParameterOptions extends DocumentParameterOptions {
  /**
   * The value used when none is given. A parameter without a default is required.
   *
   * In Java, the builder's method is `defaultValue`, since `default` is a Java keyword.
   *
   * @default - the parameter is required
   */
  readonly default?: string;

  /**
   * The only values the parameter accepts.
   *
   * @default - any value
   */
  readonly allowedValues?: string[];

  /**
   * A regular expression the value must match.
   *
   * @default - any value
   */
  readonly allowedPattern?: string;

  /**
   * The fewest characters the value may have.
   *
   * @default - no minimum
   */
  readonly minChars?: number;

  /**
   * The most characters the value may have.
   *
   * @default - no maximum
   */
  readonly maxChars?: number;

  /**
   * How the console shows the input box.
   *
   * @default - the console's choice
   */
  readonly displayType?: DisplayType;
}

/**
 * Options of a `StringList` parameter.
 */
export interface StringListParameterOptions extends DocumentParameterOptions {
  /**
   * The value used when none is given. A parameter without a default is required.
   *
   * In Java, the builder's method is `defaultValue`, since `default` is a Java keyword.
   *
   * @default - the parameter is required
   */
  readonly default?: string[];

  /**
   * The only values each item may take.
   *
   * @default - any value
   */
  readonly allowedValues?: string[];

  /**
   * A regular expression each item must match.
   *
   * @default - any value
   */
  readonly allowedPattern?: string;

  /**
   * The fewest items the list may have.
   *
   * @default - no minimum
   */
  readonly minItems?: number;

  /**
   * The most items the list may have.
   *
   * @default - no maximum
   */
  readonly maxItems?: number;

  /**
   * The fewest characters an item may have.
   *
   * @default - no minimum
   */
  readonly minChars?: number;

  /**
   * The most characters an item may have.
   *
   * @default - no maximum
   */
  readonly maxChars?: number;

  /**
   * How the console shows the input box.
   *
   * @default - the console's choice
   */
  readonly displayType?: DisplayType;
}

/**
 * Options of an `Integer` parameter.
 */
export interface IntegerParameterOptions extends DocumentParameterOptions {
  /**
   * The value used when none is given. A parameter without a default is required.
   *
   * In Java, the builder's method is `defaultValue`, since `default` is a Java keyword.
   *
   * @default - the parameter is required
   */
  readonly default?: number;

  /**
   * The only values the parameter accepts.
   *
   * @default - any integer
   */
  readonly allowedValues?: number[];
}

/**
 * Options of a `Boolean` parameter.
 */
export interface BooleanParameterOptions extends DocumentParameterOptions {
  /**
   * The value used when none is given. A parameter without a default is required.
   *
   * In Java, the builder's method is `defaultValue`, since `default` is a Java keyword.
   *
   * @default - the parameter is required
   */
  readonly default?: boolean;
}

/**
 * Options of a `StringMap` parameter.
 */
export interface StringMapParameterOptions extends DocumentParameterOptions {
  /**
   * The value used when none is given. A parameter without a default is required.
   *
   * In Java, the builder's method is `defaultValue`, since `default` is a Java keyword.
   *
   * @default - the parameter is required
   */
  readonly default?: Record<string, string>;

  /**
   * A regular expression the value, written as JSON, must match.
   *
   * @default - any value
   */
  readonly allowedPattern?: string;

  /**
   * The fewest characters the value, written as JSON, may have.
   *
   * @default - no minimum
   */
  readonly minChars?: number;

  /**
   * The most characters the value, written as JSON, may have.
   *
   * @default - no maximum
   */
  readonly maxChars?: number;

  /**
   * The fewest entries the map may have.
   *
   * @default - no minimum
   */
  readonly minItems?: number;

  /**
   * The most entries the map may have.
   *
   * @default - no maximum
   */
  readonly maxItems?: number;

  /**
   * How the console shows the input box.
   *
   * @default - the console's choice
   */
  readonly displayType?: DisplayType;
}

/**
 * Options of a `MapList` parameter.
 */
export interface MapListParameterOptions extends DocumentParameterOptions {
  /**
   * The value used when none is given. A parameter without a default is required.
   *
   * In Java, the builder's method is `defaultValue`, since `default` is a Java keyword.
   *
   * @default - the parameter is required
   */
  readonly default?: Record<string, any>[];

  /**
   * The fewest maps the list may have.
   *
   * @default - no minimum
   */
  readonly minItems?: number;

  /**
   * The most maps the list may have.
   *
   * @default - no maximum
   */
  readonly maxItems?: number;

  /**
   * How the console shows the input box.
   *
   * @default - the console's choice
   */
  readonly displayType?: DisplayType;
}

/**
 * A parameter a document declares: its type and the constraints on its value.
 *
 * Used to declare the parameters of a `CommandDocument`, and by every document reference whose parameters are
 * known, so that associations, maintenance window tasks and deploy-time commands can check the values they pass.
 */
export class DocumentParameter {
  /**
   * A `String` parameter.
   *
   * @example
   * const service = DocumentParameter.string({ allowedPattern: "^[a-z0-9-]+$", maxChars: 64, description: 'The service to restart' });
   */
  public static string(options: StringParameterOptions = {}): DocumentParameter {
    return new DocumentParameter(DocumentParameterType.STRING, { ...options });
  }

  /**
   * A `StringList` parameter.
   *
   * @example
   * const packages = DocumentParameter.stringList({ minItems: 1, description: 'Packages to install' });
   */
  public static stringList(options: StringListParameterOptions = {}): DocumentParameter {
    return new DocumentParameter(DocumentParameterType.STRING_LIST, { ...options });
  }

  /**
   * An `Integer` parameter.
   *
   * @example
   * const days = DocumentParameter.integer({ description: 'Days of logs to keep' });
   */
  public static integer(options: IntegerParameterOptions = {}): DocumentParameter {
    return new DocumentParameter(DocumentParameterType.INTEGER, { ...options });
  }

  /**
   * A `Boolean` parameter.
   *
   * In Java, this is `DocumentParameter.doBoolean`, since `boolean` is a Java keyword.
   *
   * @example
   * const reboot = DocumentParameter.boolean({ description: 'Reboot when done' });
   */
  public static boolean(options: BooleanParameterOptions = {}): DocumentParameter {
    return new DocumentParameter(DocumentParameterType.BOOLEAN, { ...options });
  }

  /**
   * A `StringMap` parameter.
   *
   * @example
   * const sourceInfo = DocumentParameter.stringMap({ maxChars: 4096, description: 'Where to download the script from' });
   */
  public static stringMap(options: StringMapParameterOptions = {}): DocumentParameter {
    return new DocumentParameter(DocumentParameterType.STRING_MAP, { ...options });
  }

  /** A `MapList` parameter. */
  public static mapList(options: MapListParameterOptions = {}): DocumentParameter {
    return new DocumentParameter(DocumentParameterType.MAP_LIST, { ...options });
  }

  /**
   * A parameter read from a document's content (the value of one entry of its `parameters` section).
   *
   * The declaration is checked when a `CommandDocument` uses it.
   *
   * @internal
   */
  public static _fromDeclaration(declaration: Record<string, any>): DocumentParameter {
    const { type, ...options } = declaration;
    return new DocumentParameter(type, options);
  }

  /** The parameter's type. */
  public readonly type: DocumentParameterType;

  /** Whether a value must be given: true when the parameter has no default. */
  public readonly required: boolean;

  /**
   * The only values the parameter (or each item of a list) accepts, as strings.
   *
   * @default - any value
   */
  public readonly allowedValues?: string[];

  /**
   * A regular expression the value (or each item of a list) must match.
   *
   * @default - any value
   */
  public readonly allowedPattern?: string;

  /**
   * The declaration's attributes other than `type`, as given.
   *
   * @internal
   */
  public readonly _options: Record<string, any>;

  private constructor(type: DocumentParameterType, options: Record<string, any>) {
    this.type = type;
    this._options = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    this.required = this._options.default === undefined;
    this.allowedValues = Array.isArray(this._options.allowedValues) ? this._options.allowedValues.map(String) : undefined;
    this.allowedPattern = this._options.allowedPattern;
  }

  /**
   * The declaration as it appears in a document's `parameters` section.
   *
   * @internal
   */
  public _render(): Record<string, any> {
    return { type: this.type, ...this._options };
  }
}
