// Exports the official AWS API models of the simulated services as small normalized JSON files.
//
// Source: the pinned @aws-sdk/client-* packages (package-lock.json). Each client ships its Smithy model in
// the compact schema encoding of @smithy/core/schema (see node_modules/@smithy/core/dist-es/submodules/
// schema/schemas/NormalizedSchema.js, sentinels.js and translateTraits.js); the CommonJS bundle exports
// every operation (`Publish$` = [9, ns, name, traits, () => input, () => output]) and structure
// (`PublishInput$` = [3, ns, name, traits, memberNames, memberSchemas, requiredCount]). That encoding keeps
// only what (de)serialization needs, so it carries no length/range/pattern/enum traits; enum value sets
// are taken from the client's TypeScript declarations (dist-types/models/*.d.ts), where each member is
// typed with its enum (`amiType?: AMITypes | undefined`).
//
// Usage: node export-models.mjs OUT_DIR
// Writes OUT_DIR/<sdkName>.json per service and OUT_DIR/index.json (written last: the build's marker).

import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Step Functions' SDK-integration service name -> npm package (names verified against the Step Functions docs). */
const SERVICES = {
  cloudwatch: '@aws-sdk/client-cloudwatch',
  dynamodb: '@aws-sdk/client-dynamodb',
  eks: '@aws-sdk/client-eks',
  elasticloadbalancingv2: '@aws-sdk/client-elastic-load-balancing-v2',
  eventbridge: '@aws-sdk/client-eventbridge',
  lambda: '@aws-sdk/client-lambda',
  route53: '@aws-sdk/client-route-53',
  scheduler: '@aws-sdk/client-scheduler',
  secretsmanager: '@aws-sdk/client-secrets-manager',
  sfn: '@aws-sdk/client-sfn',
  sns: '@aws-sdk/client-sns',
  sqs: '@aws-sdk/client-sqs',
};

const FORMAT_VERSION = 1;
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, 'package.json'));

// Simple schema sentinels (@smithy/core/schema sentinels.js).
const SIMPLE = {
  0: 'string', 1: 'number', 2: 'boolean', 4: 'timestamp', 5: 'timestamp', 6: 'timestamp', 7: 'timestamp',
  15: 'document', 17: 'number', 19: 'number', 21: 'blob', 42: 'blob',
};
const LIST_MODIFIER = 0b0100_0000;
const MAP_MODIFIER = 0b1000_0000;
// Bit order of numeric trait indicators (@smithy/core/schema translateTraits.js).
const TRAIT_BITS = ['httpLabel', 'idempotent', 'idempotencyToken', 'sensitive', 'httpPayload', 'httpResponseCode', 'httpQueryParams'];

function traitsOf(indicator) {
  if (indicator && typeof indicator === 'object') return indicator;
  const traits = {};
  const n = indicator | 0;
  TRAIT_BITS.forEach((name, i) => { if ((n >> i) & 1) traits[name] = 1; });
  return traits;
}

const deref = (ref) => (typeof ref === 'function' ? ref() : ref);

class ServiceExporter {
  constructor(sdkName, pkg) {
    this.sdkName = sdkName;
    this.pkg = pkg;
    this.shapes = {};
    this.keys = new Map(); // schema array -> key in this.shapes
    this.enums = parseTypeScriptEnums(dirname(require.resolve(`${pkg}/package.json`)));
  }

  export() {
    const client = require(this.pkg);
    const pkgDir = dirname(require.resolve(`${this.pkg}/package.json`));
    const pkgJson = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    const operations = {};
    let namespace = null;
    for (const [exportName, value] of Object.entries(client)) {
      if (!exportName.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
      const [, ns, name, , input, output] = value;
      namespace ??= ns;
      operations[name] = { input: this.refOf(deref(input)), output: this.refOf(deref(output)) };
    }
    const errors = this.errorsOf(client);
    const sortedOps = Object.fromEntries(Object.keys(operations).sort().map((k) => [k, operations[k]]));
    const sortedShapes = Object.fromEntries(Object.keys(this.shapes).sort().map((k) => [k, this.shapes[k]]));
    return {
      formatVersion: FORMAT_VERSION,
      sdkName: this.sdkName,
      package: this.pkg,
      version: pkgJson.version,
      namespace,
      protocol: protocolOf(pkgDir),
      operations: sortedOps,
      shapes: sortedShapes,
      errors,
    };
  }

  /**
   * The service's modeled error shapes (`Foo$` = [-3, ns, name, traits, ...]) with the code each is sent
   * under: the awsQueryError code when there is one (CloudWatch's InternalServiceFault arrives as
   * `InternalServiceError`), else the shape name. The model lists errors per operation, but SDK clients
   * recognize every error shape of the service on every operation, so the export is service-wide.
   */
  errorsOf(client) {
    const errors = {};
    for (const [exportName, value] of Object.entries(client)) {
      if (!exportName.endsWith('$') || !Array.isArray(value) || value[0] !== -3) continue;
      const [, ns, name, traits] = value;
      // The JS SDK's own base class (CloudWatchServiceException) is not in the service's model.
      if (String(ns).startsWith('smithy.ts.sdk.synthetic')) continue;
      const t = traits && typeof traits === 'object' ? traits : {};
      const query = t.awsQueryError;
      errors[name] = {
        code: Array.isArray(query) ? query[0] : name,
        fault: t.error ?? 'client',
        ...(Array.isArray(query) ? { httpStatus: query[1] } : t.httpError ? { httpStatus: t.httpError } : {}),
      };
    }
    return Object.fromEntries(Object.keys(errors).sort().map((k) => [k, errors[k]]));
  }

  /** Name of the (structure) shape an operation refers to; Smithy's Unit becomes an empty structure. */
  refOf(schema) {
    if (schema === 'unit') {
      this.shapes.Unit ??= { type: 'structure', members: [] };
      return 'Unit';
    }
    return this.describe(schema).ref;
  }

  /** A type descriptor: a primitive, an anonymous list/map, or { ref } to a named shape in this.shapes. */
  describe(ref) {
    let schema = deref(ref);
    if (Array.isArray(schema) && schema.length === 2) schema = deref(schema[0]); // member wrapper [schema, traits]
    if (typeof schema === 'number') return this.describeNumber(schema);
    if (schema === 'unit') return { ref: this.refOf('unit') };
    if (!Array.isArray(schema)) throw new Error(`${this.sdkName}: unexpected schema ${String(schema)}`);
    switch (schema[0]) {
      case 0: return this.describe(schema[4]); // named simple shape, e.g. a sensitive string
      case 1: case 2: case 3: case 4: case -3: return { ref: this.named(schema) };
      default: throw new Error(`${this.sdkName}: unexpected schema kind ${schema[0]} (${schema[2]})`);
    }
  }

  describeNumber(n) {
    if (n & MAP_MODIFIER) return { type: 'map', value: this.describeNumber(n & 0b0011_1111) };
    if (n & LIST_MODIFIER) return { type: 'list', member: this.describeNumber(n & 0b0011_1111) };
    const type = SIMPLE[n];
    if (!type) throw new Error(`${this.sdkName}: unknown simple schema ${n}`);
    return { type };
  }

  named(schema) {
    const existing = this.keys.get(schema);
    if (existing) return existing;
    const [kind, ns, name] = schema;
    let key = name;
    if (this.shapes[key]) key = `${ns}#${name}`; // a different shape with the same short name
    this.keys.set(schema, key);
    this.shapes[key] = {}; // reserve (recursive shapes such as AttributeValue refer to themselves)
    let shape;
    if (kind === 1) {
      shape = { type: 'list', member: this.describe(schema[4]) };
    } else if (kind === 2) {
      shape = { type: 'map', key: this.describe(schema[4]), value: this.describe(schema[5]) };
    } else {
      const memberNames = schema[4] ?? [];
      const memberSchemas = schema[5] ?? [];
      const required = kind === 3 || kind === -3 ? (schema[6] ?? 0) : 0;
      const enums = this.enums.members.get(name);
      const members = memberNames.map((memberName, i) => {
        const slot = memberSchemas[i];
        const memberTraits = Array.isArray(slot) && slot.length === 2 ? traitsOf(slot[1]) : {};
        const member = { name: memberName, ...this.describe(slot) };
        if (i < required) member.required = true; // the codegen lists required members first
        if (memberTraits.idempotencyToken) member.idempotencyToken = true;
        if (memberTraits.httpPayload) member.payload = true;
        const typed = enums?.get(memberName);
        if (typed) Object.assign(member, typed);
        return member;
      });
      shape = { type: kind === 4 ? 'union' : kind === -3 ? 'error' : 'structure', members };
    }
    this.shapes[key] = shape;
    return key;
  }
}

function protocolOf(pkgDir) {
  const file = join(pkgDir, 'dist-es', 'runtimeConfig.shared.js');
  const match = existsSync(file) && /Aws(RestJson|RestXml|Query|Ec2Query|Json1_0|Json1_1|SmithyRpcV2Cbor)Protocol/.exec(readFileSync(file, 'utf8'));
  const names = { RestJson: 'restJson1', RestXml: 'restXml', Query: 'awsQuery', Ec2Query: 'ec2Query', Json1_0: 'awsJson1_0', Json1_1: 'awsJson1_1', SmithyRpcV2Cbor: 'rpcv2Cbor' };
  return match ? names[match[1]] : null;
}

/**
 * Enum constraints from the TypeScript declarations: `export declare const X: { readonly A: "a"; ... }`
 * defines X's values; a structure member typed `X`, `X[]`, `Record<string, X>` or `Partial<Record<X, T>>`
 * gets enum, itemEnum, valueEnum or keyEnum. Unions declare each member in `interface <Name>Member`.
 */
function parseTypeScriptEnums(pkgDir) {
  const modelsDir = join(pkgDir, 'dist-types', 'models');
  const files = readdirSync(modelsDir).filter((f) => f.endsWith('.d.ts')).map((f) => readFileSync(join(modelsDir, f), 'utf8'));
  const values = new Map();
  for (const text of files) {
    for (const m of text.matchAll(/^export declare const (\w+): \{\n((?:\s+readonly [^\n]+\n)+)\};/gm)) {
      const strings = [...m[2].matchAll(/readonly [^:]+: "((?:[^"\\]|\\.)*)";/g)].map((v) => JSON.parse(`"${v[1]}"`));
      if (strings.length > 0) values.set(m[1], strings);
    }
  }
  const members = new Map();
  const constraintOf = (type) => {
    const t = type.replace(/ \| undefined$/, '').trim();
    let m;
    if (values.has(t)) return { enum: values.get(t) };
    if ((m = /^(\w+)\[\]$/.exec(t)) && values.has(m[1])) return { itemEnum: values.get(m[1]) };
    if ((m = /^Record<string, (\w+)>$/.exec(t)) && values.has(m[1])) return { valueEnum: values.get(m[1]) };
    if ((m = /^Partial<Record<(\w+), .+>>$/.exec(t)) && values.has(m[1])) return { keyEnum: values.get(m[1]) };
    return null;
  };
  const add = (shape, member, type) => {
    const constraint = constraintOf(type);
    if (!constraint) return;
    if (!members.has(shape)) members.set(shape, new Map());
    members.get(shape).set(member, constraint);
  };
  for (const text of files) {
    for (const m of text.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
      for (const f of m[2].matchAll(/^ {4}(\w+)\??: ([^;\n]+);$/gm)) add(m[1], f[1], f[2]);
    }
    for (const m of text.matchAll(/^export declare namespace (\w+) \{\n([\s\S]*?)^\}/gm)) {
      for (const i of m[2].matchAll(/^ {4}interface \w+Member \{\n([\s\S]*?)^ {4}\}/gm)) {
        for (const f of i[1].matchAll(/^ {8}(\w+): ([^;\n]+);$/gm)) {
          if (f[2] !== 'never' && f[1] !== '$unknown') add(m[1], f[1], f[2]);
        }
      }
    }
  }
  return { values, members };
}

function main() {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: node export-models.mjs OUT_DIR');
    process.exit(64);
  }
  mkdirSync(outDir, { recursive: true });
  const index = { formatVersion: FORMAT_VERSION, services: {} };
  for (const [sdkName, pkg] of Object.entries(SERVICES)) {
    const model = new ServiceExporter(sdkName, pkg).export();
    const file = `${sdkName}.json`;
    writeAtomically(join(outDir, file), JSON.stringify(model));
    index.services[sdkName] = {
      file, package: pkg, version: model.version, protocol: model.protocol,
      operations: Object.keys(model.operations).length, shapes: Object.keys(model.shapes).length,
    };
  }
  writeAtomically(join(outDir, 'index.json'), JSON.stringify(index, null, 2));
  console.log(`Exported ${Object.keys(index.services).length} AWS API models to ${outDir}`);
}

function writeAtomically(path, text) {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

main();
