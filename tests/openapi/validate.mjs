// Checks captrack's OpenAPI document with real validators, then the HTTP suite's answers against it.
//
// Usage: node validate.mjs <openapi.json> <folder of responses-*.jsonl>
//
// 1. The document: @apidevtools/swagger-parser validates it against the OpenAPI 3.1 schema and resolves
//    every $ref; then what that schema cannot say: each path's {parameters} are declared by each of its
//    operations and nothing else is; operationIds are unique; each operation has a summary and a
//    success response; only the routes docs/HTTP.md lists as public run without a security scheme.
// 2. The answers: tests/support/ResponseLog.cpp logs every answer the HTTP tests (tests/http/, SQLite)
//    received: method, route, status, content type, JSON body. Each must be documented (its route and
//    method, its status or status range, its media type), and each JSON body must validate, with Ajv
//    (JSON Schema 2020-12, OpenAPI 3.1's dialect, formats checked), against the schema the document
//    gives for that route, status and media type; each JSON request body the server accepted (2xx) must
//    validate against the route's request schema, and each query parameter of an answered request must
//    be documented. A copy of the document the server served
//    (GET /api/v1/openapi.json) must be the document checked here, byte for byte.
// 3. Coverage: every operation of /api/ must have had at least one success answer validated, save the
//    few listed in UNEXERCISED with the reason.
// Prints what it checked; exits 1 on any failure, 2 on bad usage.

import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';

const [docFile, logFolder] = process.argv.slice(2);
if (!docFile || !logFolder) {
  console.error('usage: node validate.mjs <openapi.json> <folder of responses-*.jsonl>');
  process.exit(2);
}
const docText = fs.readFileSync(docFile, 'utf8').trim();
const doc = JSON.parse(docText);
// Failures by kind (a route and what is wrong with it), each with its first example and a count, so that
// one mistake met by a thousand answers reads as one line.
const failures = new Map();
function fail(message, kind = message) {
  const entry = failures.get(kind) || { message, count: 0 };
  entry.count++;
  failures.set(kind, entry);
}

// Routes the HTTP suite does not reach with a success, and why (each is tested another way).
const UNEXERCISED = new Map([
  ['GET /metrics', 'scraped by Prometheus itself in tests/metrics/prometheus_scrape.py'],
  ['GET /calendar/{feed}', 'parsed by python3-icalendar in tests/calendar/calendar_feed.py'],
]);
// The only routes of /api/ that run without signing in (docs/HTTP.md "API conventions").
const PUBLIC_API = new Set(['POST /api/v1/auth/login', 'GET /api/v1/openapi.json']);

// ---- 1. The document
try {
  await SwaggerParser.validate(structuredClone(doc));
} catch (error) {
  fail(`swagger-parser refuses the document: ${error.message}`);
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const operations = [];
for (const [pattern, item] of Object.entries(doc.paths || {})) {
  for (const method of METHODS) {
    if (item[method]) operations.push({ pattern, method, op: item[method], name: `${method.toUpperCase()} ${pattern}` });
  }
}
const operationIds = new Set();
for (const { pattern, op, name } of operations) {
  const inPattern = [...pattern.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
  const declared = (op.parameters || []).filter((p) => p.in === 'path').map((p) => p.name).sort();
  if (JSON.stringify(inPattern) !== JSON.stringify(declared)) {
    fail(`${name}: path parameters ${JSON.stringify(declared)} but the pattern has ${JSON.stringify(inPattern)}`);
  }
  if (operationIds.has(op.operationId)) fail(`${name}: operationId ${op.operationId} is not unique`);
  operationIds.add(op.operationId);
  if (!op.summary) fail(`${name}: no summary`);
  if (!Object.keys(op.responses || {}).some((status) => /^[23]/.test(status))) fail(`${name}: no success response`);
  const isPublic = Array.isArray(op.security) && op.security.length === 0;
  if (isPublic && pattern.startsWith('/api/') && !PUBLIC_API.has(name)) {
    fail(`${name}: public (security: []) but docs/HTTP.md lists no such public route`);
  }
  if (!isPublic && PUBLIC_API.has(name)) fail(`${name}: public, but the document asks for a credential`);
}
const schemes = Object.keys(doc.components?.securitySchemes || {});
for (const scheme of ['session', 'apiToken']) {
  if (!schemes.includes(scheme)) fail(`no security scheme ${scheme}`);
}
console.log(`document: OpenAPI ${doc.openapi}, ${Object.keys(doc.paths).length} paths, ${operations.length} ` +
  `operations, ${Object.keys(doc.components.schemas).length} schemas, security schemes ${schemes.join(', ')}`);

// ---- 2. The answers
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(doc, 'openapi');
const validators = new Map();
const pointer = (...tokens) =>
  '#' + tokens.map((t) => '/' + encodeURIComponent(String(t).replace(/~/g, '~0').replace(/\//g, '~1'))).join('');
function validatorAt(tokens) {
  const ref = 'openapi' + pointer(...tokens);
  if (!validators.has(ref)) validators.set(ref, ajv.compile({ $ref: ref }));
  return validators.get(ref);
}
function resolve(object) {
  if (!object || !object.$ref) return { object, tokens: null };
  const tokens = object.$ref.replace(/^#\//, '').split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  return { object: tokens.reduce((o, t) => o[t], doc), tokens };
}
const mediaOf = (contentType) => (contentType || '').split(';')[0].trim().toLowerCase();
const isJson = (media) => media === 'application/json' || media.endsWith('+json');

let requestsValidated = 0;
/// A request body the server accepted (2xx) must be one the document's request schema accepts.
function checkAcceptedRequest(answer, where) {
  const method = answer.method.toLowerCase();
  const requestBody = doc.paths[answer.route][method].requestBody;
  let body;
  try {
    body = JSON.parse(answer.request_body);
  } catch {
    return; // the server took something that is not JSON: a route that reads no body
  }
  if (!requestBody) {
    if (JSON.stringify(body) !== '{}') fail(`${where}: took a body, but the document gives the route none`);
    return;
  }
  const validate = validatorAt(['paths', answer.route, method, 'requestBody', 'content', 'application/json',
    'schema']);
  requestsValidated++;
  if (!validate(body)) {
    const errors = validate.errors.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}` +
      (e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : '')).join('; ');
    fail(`${where}: the server took a request body the document refuses: ${errors}\n    request: ` +
      answer.request_body.slice(0, 300), `request ${answer.method} ${answer.route} ${errors}`);
  }
}

/// Each query parameter of a request the server answered with a success must be documented.
function checkQueryParameters(answer, where) {
  const query = answer.target.includes('?') ? answer.target.slice(answer.target.indexOf('?') + 1) : '';
  const documented = new Set((doc.paths[answer.route][answer.method.toLowerCase()].parameters || [])
    .filter((p) => p.in === 'query').map((p) => p.name));
  for (const name of new URLSearchParams(query).keys()) {
    if (!documented.has(name)) {
      fail(`${where}: the query parameter ${name} is taken but not documented`,
        `query ${answer.method} ${answer.route} ${name}`);
    }
  }
}

const files = fs.existsSync(logFolder)
  ? fs.readdirSync(logFolder).filter((f) => /^responses-.*\.jsonl$/.test(f))
  : [];
if (files.length === 0) fail(`no responses-*.jsonl in ${logFolder}: run the HTTP tests with CAPTRACK_RESPONSE_LOG`);

const seen = new Map(); // operation name -> { answers, successes }
let answers = 0;
let bodiesValidated = 0;
let servedDocuments = 0;
const MAX_REPORTED = 40;
for (const file of files) {
  for (const line of fs.readFileSync(path.join(logFolder, file), 'utf8').split('\n')) {
    if (!line) continue;
    const answer = JSON.parse(line);
    answers++;
    const where = `${answer.method} ${answer.target} -> ${answer.status} ${answer.content_type}`;
    const media = mediaOf(answer.content_type);
    let responseSpec;
    let tokens;
    if (answer.route === null) {
      // No route: an unknown path, a wrong method, a target not in normal form: an error, as problem+json.
      if (answer.status < 400) {
        fail(`${where}: a success from no route of the document`, `unrouted ${answer.status}`);
        continue;
      }
      tokens = ['components', 'responses', 'Problem'];
      responseSpec = doc.components.responses.Problem;
    } else {
      const method = answer.method.toLowerCase();
      const op = doc.paths[answer.route]?.[method];
      if (!op) {
        fail(`${where}: served by ${answer.method} ${answer.route}, which the document lacks`,
          `lacks ${answer.method} ${answer.route}`);
        continue;
      }
      const name = `${answer.method} ${answer.route}`;
      const counts = seen.get(name) || { answers: 0, successes: 0 };
      counts.answers++;
      if (answer.status < 400) counts.successes++;
      seen.set(name, counts);
      const status = String(answer.status);
      const key = [status, `${status[0]}XX`, 'default'].find((k) => op.responses[k]);
      if (!key) {
        fail(`${where}: status ${status} is not documented for ${name}`, `${name} ${status}`);
        continue;
      }
      const resolved = resolve(op.responses[key]);
      responseSpec = resolved.object;
      tokens = resolved.tokens || ['paths', answer.route, method, 'responses', key];
      if (name === 'GET /api/v1/openapi.json' && answer.status === 200) {
        servedDocuments++;
        if (answer.body.trim() !== docText) fail(`${where}: the document served is not the one checked here`, 'served');
      }
    }
    if (answer.route !== null && answer.status < 300 && answer.request_body) {
      checkAcceptedRequest(answer, where);
    }
    if (answer.route !== null && answer.status < 300) checkQueryParameters(answer, where);
    const content = responseSpec.content || {};
    if (answer.body_bytes === 0 && Object.keys(content).length === 0) continue;
    if (answer.body_bytes === 0 && answer.method === 'HEAD') continue;
    if (!content[media]) {
      fail(`${where}: media type ${media || '(none)'} not documented (documented: ${Object.keys(content).join(', ')})`,
        `${answer.route} ${answer.status} ${media}`);
      continue;
    }
    if (!isJson(media) || !content[media].schema) continue;
    const validate = validatorAt([...tokens, 'content', media, 'schema']);
    let body;
    try {
      body = JSON.parse(answer.body);
    } catch {
      fail(`${where}: not JSON`, `${answer.route} ${answer.status} not JSON`);
      continue;
    }
    bodiesValidated++;
    if (!validate(body)) {
      const errors = validate.errors.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}` +
        (e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : '')).join('; ');
      fail(`${where}: ${errors}\n    body: ${answer.body.slice(0, 300)}`, `${answer.route} ${answer.status} ${errors}`);
    }
  }
}
console.log(`answers: ${answers} from ${files.length} test processes, ${bodiesValidated} JSON bodies validated ` +
  `against their schemas, ${requestsValidated} accepted request bodies against theirs; ${servedDocuments} served ` +
  `copies of the document compared`);
if (answers > 0 && servedDocuments === 0) fail('no answer of GET /api/v1/openapi.json among the logged answers');

// ---- 3. Coverage
const unexercised = [];
for (const { pattern, name } of operations) {
  if (!pattern.startsWith('/api/') && !UNEXERCISED.has(name) && pattern !== '/healthz' && pattern !== '/readyz') {
    continue; // the web page's files: tests/http/StaticFilesTest.cpp and the browser journeys
  }
  if ((seen.get(name)?.successes || 0) > 0) continue;
  if (UNEXERCISED.has(name)) {
    console.log(`not exercised here: ${name} (${UNEXERCISED.get(name)})`);
    continue;
  }
  unexercised.push(name);
}
for (const name of unexercised) fail(`${name}: no success answer of the HTTP suite validated it`);
const covered = operations.filter(({ name }) => (seen.get(name)?.successes || 0) > 0).length;
console.log(`coverage: ${covered} of ${operations.length} operations had a success answer validated`);

if (failures.size > 0) {
  const kinds = [...failures.values()];
  for (const { message, count } of kinds.slice(0, MAX_REPORTED)) {
    console.error(`FAIL ${message}${count > 1 ? ` (and ${count - 1} more like it)` : ''}`);
  }
  if (kinds.length > MAX_REPORTED) console.error(`... and ${kinds.length - MAX_REPORTED} more kinds`);
  console.error(`${kinds.length} kind(s) of failure`);
  process.exit(1);
}
console.log('OK');
