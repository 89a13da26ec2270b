import protobuf from 'protobufjs';
import { typeForUrl } from './proto-schema';

/**
 * Checks a value in the proto3 JSON mapping against protobufjs descriptors, the way Envoy parses
 * its config: protobufjs's own `fromObject` drops unknown fields and bad enums silently and cannot
 * read "5s" Durations, so this walks the descriptors itself. It reports unknown fields, wrong
 * types, bad enum names (matched case-insensitively, like Envoy), unresolvable `@type`s in Any,
 * and the protoc-gen-validate `(validate.rules)` Envoy enforces at load. JSON `null` means unset.
 */
export interface SchemaFindings {
  errors: string[];
  warnings: string[];
}

type Rules = Record<string, unknown>;
type Json = unknown;

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const UINT32 = { min: 0, max: 2 ** 32 - 1 };
const INTEGER_TYPES: Record<string, { min: number; max: number; bits64: boolean }> = {
  int32: { ...INT32, bits64: false },
  sint32: { ...INT32, bits64: false },
  sfixed32: { ...INT32, bits64: false },
  uint32: { ...UINT32, bits64: false },
  fixed32: { ...UINT32, bits64: false },
  int64: { min: -(2 ** 63), max: 2 ** 63, bits64: true },
  sint64: { min: -(2 ** 63), max: 2 ** 63, bits64: true },
  sfixed64: { min: -(2 ** 63), max: 2 ** 63, bits64: true },
  uint64: { min: 0, max: 2 ** 64, bits64: true },
  fixed64: { min: 0, max: 2 ** 64, bits64: true },
};
const WRAPPER_SCALARS: Record<string, string> = {
  '.google.protobuf.DoubleValue': 'double',
  '.google.protobuf.FloatValue': 'float',
  '.google.protobuf.Int64Value': 'int64',
  '.google.protobuf.UInt64Value': 'uint64',
  '.google.protobuf.Int32Value': 'int32',
  '.google.protobuf.UInt32Value': 'uint32',
  '.google.protobuf.BoolValue': 'bool',
  '.google.protobuf.StringValue': 'string',
  '.google.protobuf.BytesValue': 'bytes',
};
const DURATION = /^(-)?([0-9]+)(?:\.([0-9]{1,9}))?s$/;
const HEADER_NAME = /^:?[0-9a-zA-Z!#$%&'*+\-.^_|~`]+$/;
/** RFC 7230 field-value characters: no control characters except horizontal tab. */
function isHeaderValue(text: string): boolean {
  return [...text].every((char) => {
    const code = char.charCodeAt(0);
    return code === 9 || (code >= 32 && code !== 127);
  });
}
function hasNoLineBreakOrNul(text: string): boolean {
  return !/[\r\n]/.test(text) && !text.includes(String.fromCharCode(0));
}
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: Json): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Proto3's JSON name of a field: lowerCamelCase of its proto name. */
export function jsonName(protoName: string): string {
  return protoName.replace(/_([a-z0-9])/g, (_match, next: string) => next.toUpperCase());
}

/** A Duration JSON string in seconds (possibly fractional), or undefined when malformed. */
export function durationSeconds(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const seconds = Number(match[2]) + Number(`0.${match[3] ?? '0'}`);
  return match[1] ? -seconds : seconds;
}

/** `(validate.rules)` of a field or `(validate.required)` of a oneof, merged from protobufjs's parsedOptions. */
function optionValue(parsed: unknown, option: string): unknown {
  if (!Array.isArray(parsed)) return undefined;
  let merged: unknown;
  for (const entry of parsed as Record<string, unknown>[]) {
    if (!(option in entry)) continue;
    const value = entry[option];
    merged = isObject(value) && isObject(merged) ? { ...merged, ...value } : value;
  }
  return merged;
}

/** PGV patterns are RE2; the ones in Envoy's protos read the same as JavaScript regular expressions. */
function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return true;
  }
}

function ruleDuration(value: unknown): number | undefined {
  if (!isObject(value)) return undefined;
  return Number(value['seconds'] ?? 0) + Number(value['nanos'] ?? 0) / 1e9;
}

class SchemaWalker {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  constructor(private readonly root: protobuf.Root) {}

  private fail(path: string, message: string): void {
    this.errors.push(`${path || '(root)'}: ${message}`);
  }

  message(type: protobuf.Type, value: Json, path: string): void {
    if (value === null) return;
    if (this.wellKnown(type, value, path)) return;
    if (!isObject(value)) {
      this.fail(path, `expected an object (${type.name}), got ${describe(value)}`);
      return;
    }
    const seen = new Map<string, string>();
    for (const [key, fieldValue] of Object.entries(value)) {
      const field =
        type.fields[key] ?? type.fieldsArray.find((candidate) => jsonName(candidate.name) === key);
      const fieldPath = path ? `${path}.${key}` : key;
      if (!field) {
        this.fail(fieldPath, `unknown field of ${type.fullName.slice(1)}`);
        continue;
      }
      const other = seen.get(field.name);
      if (other !== undefined) this.fail(fieldPath, `field set twice (also as '${other}')`);
      seen.set(field.name, key);
      if (fieldValue === null) continue;
      if (field.options?.['deprecated'] === true) {
        this.warnings.push(`${fieldPath}: deprecated field of ${type.fullName.slice(1)}`);
      }
      this.field(field, fieldValue, fieldPath);
    }
    this.absentFields(type, value, path);
    this.oneofs(type, value, path);
  }

  private isSet(value: Record<string, Json>, field: protobuf.Field): boolean {
    const present = value[field.name] ?? value[jsonName(field.name)];
    return present !== undefined && present !== null;
  }

  /**
   * Rules on fields left out: a message marked required is missing, and a plain scalar is checked
   * at its proto3 default ("" or 0), as PGV does (an unset `name` with min_len 1 fails). Members of
   * a oneof, proto3 `optional` fields and repeated fields are checked only when set.
   */
  private absentFields(type: protobuf.Type, value: Record<string, Json>, path: string): void {
    for (const field of type.fieldsArray) {
      const rules = optionValue(field.parsedOptions, '(validate.rules)');
      if (!isObject(rules) || field.partOf !== null || this.isSet(value, field)) continue;
      const fieldPath = path ? `${path}.${field.name}` : field.name;
      const required = Object.values(rules).some((kind) => isObject(kind) && kind['required'] === true);
      if (required) this.fail(fieldPath, 'is required');
      if (field.repeated || field.map || field.resolvedType) continue;
      const proto3Default = field.type === 'string' ? '' : field.type === 'bool' ? false : 0;
      this.scalarRules(field.type, proto3Default, `${fieldPath} (unset)`, rules);
    }
  }

  private oneofs(type: protobuf.Type, value: Record<string, Json>, path: string): void {
    for (const oneof of type.oneofsArray) {
      const set = oneof.fieldsArray.filter((field) => this.isSet(value, field)).map((field) => field.name);
      if (set.length > 1) this.fail(path, `only one of ${set.join(', ')} may be set (oneof ${oneof.name})`);
      const required = oneof.options?.['(validate.required)'] === true;
      if (required && set.length === 0) {
        this.fail(path, `one of ${oneof.oneof.join(', ')} is required (oneof ${oneof.name})`);
      }
    }
  }

  private field(field: protobuf.Field, value: Json, path: string): void {
    const rules = optionValue(field.parsedOptions, '(validate.rules)');
    if (field.map) {
      if (!isObject(value)) {
        this.fail(path, `expected an object (map), got ${describe(value)}`);
        return;
      }
      for (const [key, entry] of Object.entries(value))
        this.single(field, entry, `${path}["${key}"]`, undefined);
      this.mapRules(isObject(rules) ? rules['map'] : undefined, value, path);
      return;
    }
    if (field.repeated) {
      if (!Array.isArray(value)) {
        this.fail(path, `expected an array, got ${describe(value)}`);
        return;
      }
      const repeatedRules = isObject(rules) && isObject(rules['repeated']) ? rules['repeated'] : undefined;
      const items = repeatedRules && isObject(repeatedRules['items']) ? repeatedRules['items'] : undefined;
      value.forEach((element, index) => this.single(field, element, `${path}[${index}]`, items));
      this.repeatedRules(repeatedRules, value, path);
      return;
    }
    this.single(field, value, path, isObject(rules) ? rules : undefined);
  }

  private single(field: protobuf.Field, value: Json, path: string, rules: Rules | undefined): void {
    if (value === null) return;
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Enum) {
      this.enumValue(resolved, value, path, rules);
      return;
    }
    if (resolved instanceof protobuf.Type) {
      const scalar = WRAPPER_SCALARS[resolved.fullName];
      if (scalar !== undefined) {
        if (this.scalar(scalar, value, path)) this.scalarRules(scalar, value, path, rules);
        return;
      }
      this.message(resolved, value, path);
      if (resolved.fullName === '.google.protobuf.Duration' && typeof value === 'string') {
        this.durationRules(value, path, rules);
      }
      return;
    }
    if (this.scalar(field.type, value, path)) this.scalarRules(field.type, value, path, rules);
  }

  /** Handles the well-known types with a JSON form of their own; false for an ordinary message. */
  private wellKnown(type: protobuf.Type, value: Json, path: string): boolean {
    switch (type.fullName) {
      case '.google.protobuf.Duration':
        if (typeof value !== 'string' || durationSeconds(value) === undefined) {
          this.fail(path, `expected a Duration string such as "5s" or "0.25s", got ${describe(value)}`);
        } else if (value.startsWith('-')) {
          this.fail(path, `Envoy rejects negative durations, got ${describe(value)}`);
        }
        return true;
      case '.google.protobuf.Timestamp':
      case '.google.protobuf.FieldMask':
        if (typeof value !== 'string')
          this.fail(path, `expected a string (${type.name}), got ${describe(value)}`);
        return true;
      case '.google.protobuf.Struct':
        if (!isObject(value)) this.fail(path, `expected an object (Struct), got ${describe(value)}`);
        return true;
      case '.google.protobuf.ListValue':
        if (!Array.isArray(value)) this.fail(path, `expected an array (ListValue), got ${describe(value)}`);
        return true;
      case '.google.protobuf.Value':
        return true;
      case '.google.protobuf.Empty':
        if (!isObject(value) || Object.keys(value).length > 0) this.fail(path, `expected {} (Empty)`);
        return true;
      case '.google.protobuf.Any':
        this.any(value, path);
        return true;
      default: {
        const scalar = WRAPPER_SCALARS[type.fullName];
        if (scalar === undefined) return false;
        this.scalar(scalar, value, path);
        return true;
      }
    }
  }

  private any(value: Json, path: string): void {
    if (!isObject(value)) {
      this.fail(path, `expected an object with "@type" (Any), got ${describe(value)}`);
      return;
    }
    const typeUrl = value['@type'];
    if (typeof typeUrl !== 'string') {
      this.fail(path, 'Any without a "@type"');
      return;
    }
    const type = typeForUrl(this.root, typeUrl);
    if (!type) {
      this.fail(`${path}["@type"]`, `cannot resolve ${typeUrl} (not a message of the loaded Envoy protos)`);
      return;
    }
    const { '@type': _typeUrl, ...content } = value;
    const embedded =
      type.fullName.startsWith('.google.protobuf.') && 'value' in content ? content['value'] : content;
    this.message(type, embedded, path);
  }

  private enumValue(type: protobuf.Enum, value: Json, path: string, rules: Rules | undefined): void {
    if (typeof value === 'string') {
      const name = Object.keys(type.values).find(
        (candidate) => candidate.toLowerCase() === value.toLowerCase(),
      );
      if (name === undefined) {
        this.fail(
          path,
          `unknown ${type.name} value ${describe(value)} (one of ${Object.keys(type.values).join(', ')})`,
        );
      }
      return;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.fail(path, `expected an enum name of ${type.name}, got ${describe(value)}`);
      return;
    }
    const enumRules = rules && isObject(rules['enum']) ? rules['enum'] : undefined;
    if (enumRules?.['defined_only'] === true && !Object.values(type.values).includes(value)) {
      this.fail(path, `${value} is not a defined ${type.name} value (validate.rules: defined_only)`);
    }
  }

  /** Type-checks a scalar in its JSON form; true when the value has the right type. */
  private scalar(type: string, value: Json, path: string): boolean {
    const wrong = (expected: string) => {
      this.fail(path, `expected ${expected} (${type}), got ${describe(value)}`);
      return false;
    };
    if (type === 'string') return typeof value === 'string' || wrong('a string');
    if (type === 'bool') return typeof value === 'boolean' || wrong('true or false');
    if (type === 'bytes') return (typeof value === 'string' && BASE64.test(value)) || wrong('base64 text');
    if (type === 'double' || type === 'float') {
      return (
        typeof value === 'number' ||
        ['NaN', 'Infinity', '-Infinity'].includes(value as string) ||
        wrong('a number')
      );
    }
    const range = INTEGER_TYPES[type];
    if (!range) return wrong('a known scalar');
    const number = typeof value === 'string' && /^-?[0-9]+$/.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number)) return wrong('an integer');
    if (number < range.min || number > range.max) return wrong(`an integer in ${range.min}..${range.max}`);
    return true;
  }

  private scalarRules(type: string, value: Json, path: string, rules: Rules | undefined): void {
    if (!rules) return;
    const kind = WRAPPER_SCALARS[type] ?? type;
    const own = rules[kind];
    if (!isObject(own)) return;
    if (typeof value === 'string' && kind === 'string') {
      this.stringRules(own, value, path);
      return;
    }
    if (typeof value === 'boolean') {
      if (typeof own['const'] === 'boolean' && value !== own['const']) {
        this.fail(path, `must be ${own['const']} (validate.rules), got ${value}`);
      }
      return;
    }
    const number = Number(value);
    if (Number.isNaN(number)) return;
    this.rangeRules(own, number, path, String(number));
  }

  private stringRules(rules: Rules, value: string, path: string): void {
    const length = [...value].length;
    const bytes = Buffer.byteLength(value);
    const check = (ok: boolean, message: string) =>
      ok || this.fail(path, `${message} (validate.rules), got ${describe(value)}`);
    if (typeof rules['min_len'] === 'number')
      check(length >= rules['min_len'], `must have at least ${rules['min_len']} characters`);
    if (typeof rules['max_len'] === 'number')
      check(length <= rules['max_len'], `must have at most ${rules['max_len']} characters`);
    if (typeof rules['min_bytes'] === 'number')
      check(bytes >= rules['min_bytes'], `must have at least ${rules['min_bytes']} bytes`);
    if (typeof rules['max_bytes'] === 'number')
      check(bytes <= rules['max_bytes'], `must have at most ${rules['max_bytes']} bytes`);
    if (typeof rules['const'] === 'string') check(value === rules['const'], `must be "${rules['const']}"`);
    if (typeof rules['pattern'] === 'string')
      check(matches(rules['pattern'], value), `must match ${rules['pattern']}`);
    const wellKnown = rules['well_known_regex'];
    if (wellKnown === 'HTTP_HEADER_NAME' || wellKnown === 'HTTP_HEADER_VALUE') {
      // strict: false (what Envoy's protos ask for) only bans NUL, CR and LF; strict adds RFC 7230's charset.
      const strict = rules['strict'] !== false;
      const isName = wellKnown === 'HTTP_HEADER_NAME';
      const valid = !strict
        ? hasNoLineBreakOrNul(value)
        : isName
          ? HEADER_NAME.test(value)
          : isHeaderValue(value);
      check(valid, `must be a valid ${isName ? 'header name' : 'header value'}`);
    }
    if (typeof rules['prefix'] === 'string')
      check(value.startsWith(rules['prefix']), `must start with "${rules['prefix']}"`);
    if (Array.isArray(rules['in']))
      check(rules['in'].includes(value), `must be one of ${rules['in'].join(', ')}`);
    if (Array.isArray(rules['not_in']))
      check(!rules['not_in'].includes(value), `must not be ${rules['not_in'].join(', ')}`);
  }

  /** PGV's numeric and duration bounds: gt/gte with lt/lte, an exclusive range when lt < gt. */
  private rangeRules(
    rules: Rules,
    value: number,
    path: string,
    shown: string,
    toNumber: (bound: unknown) => number = Number,
  ): void {
    const bound = (key: string) => (rules[key] === undefined ? undefined : toNumber(rules[key]));
    const [gt, gte, lt, lte] = [bound('gt'), bound('gte'), bound('lt'), bound('lte')];
    const lower =
      gt !== undefined
        ? { limit: gt, ok: value > gt, text: `> ${gt}` }
        : gte !== undefined
          ? { limit: gte, ok: value >= gte, text: `>= ${gte}` }
          : undefined;
    const upper =
      lt !== undefined
        ? { limit: lt, ok: value < lt, text: `< ${lt}` }
        : lte !== undefined
          ? { limit: lte, ok: value <= lte, text: `<= ${lte}` }
          : undefined;
    const exclusive = lower && upper && upper.limit < lower.limit;
    const ok = exclusive ? lower.ok || upper.ok : (lower?.ok ?? true) && (upper?.ok ?? true);
    if (!ok) {
      const wanted = [lower?.text, upper?.text].filter(Boolean).join(exclusive ? ' or ' : ' and ');
      this.fail(path, `must be ${wanted} (validate.rules), got ${shown}`);
    }
    const constant = bound('const');
    if (constant !== undefined && value !== constant)
      this.fail(path, `must be ${constant} (validate.rules), got ${shown}`);
    if (Array.isArray(rules['in']) && !rules['in'].map(toNumber).includes(value)) {
      this.fail(path, `must be one of ${rules['in'].join(', ')} (validate.rules), got ${shown}`);
    }
  }

  private durationRules(value: string, path: string, rules: Rules | undefined): void {
    const own = rules?.['duration'];
    const seconds = durationSeconds(value);
    if (!isObject(own) || seconds === undefined) return;
    this.rangeRules(own, seconds, path, value, (bound) => ruleDuration(bound) ?? Number.NaN);
  }

  private repeatedRules(rules: Rules | undefined, value: Json[], path: string): void {
    if (!rules) return;
    if (typeof rules['min_items'] === 'number' && value.length < rules['min_items']) {
      this.fail(path, `needs at least ${rules['min_items']} item(s) (validate.rules), got ${value.length}`);
    }
    if (typeof rules['max_items'] === 'number' && value.length > rules['max_items']) {
      this.fail(path, `takes at most ${rules['max_items']} item(s) (validate.rules), got ${value.length}`);
    }
  }

  private mapRules(rules: unknown, value: Record<string, Json>, path: string): void {
    if (!isObject(rules)) return;
    const pairs = Object.keys(value).length;
    if (typeof rules['min_pairs'] === 'number' && pairs < rules['min_pairs']) {
      this.fail(path, `needs at least ${rules['min_pairs']} entries (validate.rules), got ${pairs}`);
    }
  }
}

/** Schema findings for `value` as message `typeName` of `root`. */
export function checkAgainstSchema(root: protobuf.Root, typeName: string, value: Json): SchemaFindings {
  const type = root.lookupType(typeName);
  if (!isObject(value)) {
    return { errors: [`(root): expected an object (${type.name}), got ${describe(value)}`], warnings: [] };
  }
  const walker = new SchemaWalker(root);
  walker.message(type, value, '');
  return { errors: walker.errors, warnings: walker.warnings };
}
