import type { AnyExtension, Long } from '@grpc/proto-loader';

/**
 * The proto3 JSON mapping Envoy reads, derived from the protobuf object types that
 * `nx run mesh:generate-types` writes. Those types describe protobufjs objects (a Duration is
 * `{seconds, nanos}`, a UInt32Value `{value}`); Envoy's JSON wants `"5s"` and `5`. `EnvoyJson<T>`
 * rewrites every field of a generated message type into its JSON form, so a builder that
 * type-checks emits the shape Envoy parses:
 * - Duration → `"1.5s"` (make one with `duration`), Timestamp → RFC 3339 string, FieldMask → string;
 * - wrappers (UInt32Value, BoolValue, ...) → the bare value; 64-bit integers → number or string;
 * - enums → their names (never numbers); bytes → base64 string;
 * - Struct/Value/ListValue → plain JSON; Any → only what `typed` makes, with a matching `@type`.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A google.protobuf.Duration in the JSON mapping: seconds with up to nine decimals and an `s`. */
export type DurationJson = `${number}s`;

declare const typedAnyBrand: unique symbol;

/** A google.protobuf.Any in the JSON mapping, made only by `typed` (the brand is a compile-time fact). */
export interface AnyJson {
  readonly '@type': `type.googleapis.com/${string}`;
  readonly [typedAnyBrand]: true;
}

type Brand<T> = T extends { __type: infer B } ? B : never;
type WellKnown<Name extends string> = { __type: `.google.protobuf.${Name}` };

type ScalarJson<T> = T extends Long
  ? never
  : T extends Buffer | Uint8Array
    ? string
    : T extends number
      ? number extends T
        ? number
        : never // a numeric enum value: Envoy's configs name enums
      : T;

/** Keys of the JSON object: not the brand, nor the generator's virtual oneof fields (their values name sibling fields). */
type JsonKey<T, K extends keyof T> = K extends '__type'
  ? never
  : NonNullable<T[K]> extends keyof T
    ? never
    : K;

type MessageJson<T> = {
  [K in keyof T as JsonKey<T, K>]?: FieldJson<NonNullable<T[K]>>;
};

type FieldJson<T> = T extends readonly (infer E)[]
  ? EnvoyJson<E>[]
  : T extends Long
    ? never
    : T extends { __type: string } | AnyExtension | { type_url: string }
      ? EnvoyJson<T> | null
      : T extends Buffer | Uint8Array
        ? string
        : T extends object
          ? { [key: string]: EnvoyJson<T[keyof T]> }
          : ScalarJson<T> | null;

export type EnvoyJson<T> = T extends AnyExtension | { type_url: string }
  ? AnyJson
  : T extends WellKnown<'Duration'>
    ? DurationJson
    : T extends WellKnown<'Timestamp' | 'FieldMask' | 'StringValue' | 'BytesValue'>
      ? string
      : T extends WellKnown<'UInt32Value' | 'Int32Value' | 'DoubleValue' | 'FloatValue'>
        ? number
        : T extends WellKnown<'UInt64Value' | 'Int64Value'>
          ? number | string
          : T extends WellKnown<'BoolValue'>
            ? boolean
            : T extends WellKnown<'Struct'>
              ? { [key: string]: JsonValue }
              : T extends WellKnown<'Value'>
                ? JsonValue
                : T extends WellKnown<'ListValue'>
                  ? JsonValue[]
                  : T extends WellKnown<'Empty'>
                    ? Record<string, never>
                    : T extends { __type: string }
                      ? MessageJson<T>
                      : ScalarJson<T>;

const TYPE_URL_PREFIX = 'type.googleapis.com/';

/**
 * An Any holding `value` as message `T`. The brand names the message, so the type name and the
 * value's shape cannot disagree: `typed<Router>('.envoy.extensions.filters.http.router.v3.Router', {})`.
 */
export function typed<T extends { __type: string }>(typeName: Brand<T>, value: EnvoyJson<T>): AnyJson {
  return { '@type': `${TYPE_URL_PREFIX}${typeName.slice(1)}`, ...(value as object) } as AnyJson;
}

/** A Duration of `milliseconds`, as Envoy's JSON wants it ("0.25s", "3s"). */
export function duration(milliseconds: number): DurationJson {
  if (!Number.isInteger(milliseconds) || milliseconds < 0) {
    throw new RangeError(
      `a duration must be a non-negative whole number of milliseconds, got ${milliseconds}`,
    );
  }
  return `${milliseconds / 1000}s`;
}
