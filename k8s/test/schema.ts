import { join } from 'node:path';
import ts from 'typescript';
import type { K8sObject } from './manifests';

/**
 * Offline stand-in for `kubectl apply --dry-run=server --validate=strict`, in two passes over the
 * Kubernetes OpenAPI schema as shipped by the `kubernetes-models` package:
 *
 * 1. its JSON-schema validators (types, enums, formats, required fields);
 * 2. its TypeScript declarations of the same schema, walked with the TypeScript type checker to find
 *    fields the schema does not declare: the JSON schemas allow unknown fields, while the API server's
 *    strict field validation rejects them (a misspelled `imagePullPolcy` would otherwise be dropped).
 */

/** Where `kubernetes-models` keeps a kind: `apps/v1` -> `apps/v1`, core `v1` -> `v1`. */
function modelModule(object: K8sObject): string {
  return `kubernetes-models/${object.apiVersion}/${object.kind}`;
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** Pass 1: the package's JSON-schema validator for the object's kind; an unknown kind is an error. */
async function jsonSchemaErrors(object: K8sObject): Promise<string[]> {
  let model: ModelClass | undefined;
  try {
    const exports = (await import(modelModule(object))) as Record<string, ModelClass | undefined>;
    model = exports[object.kind];
  } catch {
    model = undefined;
  }
  if (!model) return [`no schema for ${object.apiVersion} ${object.kind} (not a built-in Kubernetes kind?)`];
  try {
    new model(object).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
};

/** One in-memory file declaring a variable of each object's model type, e.g. `declare const t0: IDeployment`. */
function typeProbeProgram(objects: readonly K8sObject[]): { program: ts.Program; fileName: string } {
  // Next to this file so that module resolution finds the repository's node_modules.
  const fileName = join(__dirname, '__k8s_schema_types.ts');
  const text = objects
    .map(
      (object, index) =>
        `import type { I${object.kind} as T${index} } from '${modelModule(object)}';\nexport declare const t${index}: T${index};`,
    )
    .join('\n');
  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  host.getSourceFile = (name, languageVersion, onError) =>
    name === fileName
      ? ts.createSourceFile(name, text, languageVersion, true)
      : getSourceFile(name, languageVersion, onError);
  return { program: ts.createProgram({ rootNames: [fileName], options: COMPILER_OPTIONS, host }), fileName };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Walks a value alongside its declared type and reports every property the type does not declare. */
class UnknownFieldWalker {
  constructor(private readonly checker: ts.TypeChecker) {}

  walk(value: unknown, type: ts.Type, path: string, errors: string[]): void {
    const declared = this.checker.getNonNullableType(type);
    if (Array.isArray(value)) {
      const element = this.checker.getIndexTypeOfType(declared, ts.IndexKind.Number);
      if (element) value.forEach((item, index) => this.walk(item, element, `${path}[${index}]`, errors));
      return;
    }
    if (!isPlainObject(value)) return;
    const objectTypes = declared.isUnion()
      ? declared.types.filter((member) => member.flags & ts.TypeFlags.Object)
      : [declared];
    if (objectTypes.length === 0) return;
    for (const [key, child] of Object.entries(value)) {
      const childType = this.propertyType(objectTypes, key);
      if (!childType) {
        errors.push(
          `${path}.${key}: unknown field (not in the schema of ${this.checker.typeToString(declared)})`,
        );
        continue;
      }
      this.walk(child, childType, `${path}.${key}`, errors);
    }
  }

  private propertyType(candidates: readonly ts.Type[], key: string): ts.Type | undefined {
    for (const candidate of candidates) {
      const property = candidate.getProperty(key);
      if (property) return this.checker.getTypeOfSymbol(property);
      const indexType = this.checker.getIndexTypeOfType(candidate, ts.IndexKind.String);
      if (indexType) return indexType;
    }
    return undefined;
  }
}

/** Pass 2: unknown fields anywhere in each object, as the API server's strict field validation reports them. */
function unknownFieldErrors(objects: readonly K8sObject[]): string[][] {
  const { program, fileName } = typeProbeProgram(objects);
  const sourceFile = program.getSourceFile(fileName);
  if (!sourceFile) throw new Error(`internal error: ${fileName} was not compiled`);
  const importErrors = program.getSemanticDiagnostics(sourceFile);
  const checker = program.getTypeChecker();
  const walker = new UnknownFieldWalker(checker);
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(sourceFile) as ts.Symbol);
  return objects.map((object, index) => {
    const unresolved = importErrors.find(
      (diagnostic) =>
        diagnostic.start !== undefined &&
        sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line === index * 2,
    );
    if (unresolved) return [];
    const symbol = exported.find((candidate) => candidate.name === `t${index}`);
    if (!symbol) return [`internal error: no declared type for object ${index}`];
    const errors: string[] = [];
    walker.walk(object, checker.getTypeOfSymbol(symbol), object.kind, errors);
    return errors;
  });
}

export interface SchemaReport {
  object: K8sObject;
  errors: string[];
}

/** Validates objects against the Kubernetes schema, unknown fields rejected. Only objects with errors are returned. */
export async function validateAgainstSchema(objects: readonly K8sObject[]): Promise<SchemaReport[]> {
  const typeErrors = unknownFieldErrors(objects);
  const reports = await Promise.all(
    objects.map(async (object, index) => ({
      object,
      errors: [...(await jsonSchemaErrors(object)), ...(typeErrors[index] ?? [])],
    })),
  );
  return reports.filter((report) => report.errors.length > 0);
}
