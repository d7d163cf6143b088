// Validates recorded API answers against the OpenAPI document's schemas (JSON Schema 2020-12, Ajv).
//
// Usage: node web/scripts/validate-responses.mjs openapi.json responses-*.jsonl
// Each line of a .jsonl file is {method, route, status, content_type, body} as tests/api_kit.h
// records it (WEEFSEL_RECORD_RESPONSES). The schema of an answer is the one the document gives for
// the route, the method and the status (else the operation's "default": a problem). Exits 1 naming
// every answer that does not validate (and the first errors of each), or when nothing was recorded.
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';

const [docPath, ...files] = process.argv.slice(2);
if (!docPath || files.length === 0) {
  console.error('usage: validate-responses.mjs openapi.json responses.jsonl...');
  process.exit(2);
}
const doc = JSON.parse(readFileSync(docPath, 'utf8'));
// strict: false lets the OpenAPI extensions (x-free-form, x-visibility) pass as annotations.
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validators = new Map();

function schemaFor(route, method, status, contentType) {
  const op = doc.paths?.[route]?.[method.toLowerCase()];
  if (!op) return { error: `no operation ${method} ${route} in the document` };
  const answer = op.responses?.[String(status)] ?? op.responses?.default;
  if (!answer) return { error: `no response ${status} (nor default) for ${method} ${route}` };
  const type = contentType.split(';')[0].trim();
  const content = answer.content?.[type];
  if (!content) return { error: `response ${status} of ${method} ${route} has no ${type} content` };
  return { schema: content.schema };
}

function validatorFor(route, method, status, contentType) {
  const key = `${method} ${route} ${status} ${contentType}`;
  if (!validators.has(key)) {
    const found = schemaFor(route, method, status, contentType);
    if (found.error) {
      validators.set(key, { error: found.error });
    } else {
      // The schema with the document's components beside it, so that "#/components/..." resolves.
      const wrapped = { ...found.schema, components: doc.components };
      validators.set(key, { validate: ajv.compile(wrapped) });
    }
  }
  return validators.get(key);
}

let checked = 0;
const failures = new Map();  // key -> {count, example}
const seen = new Set();
for (const file of files) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    const contentType = (r.content_type || 'application/json').split(';')[0].trim();
    const v = validatorFor(r.route, r.method, r.status, contentType);
    checked++;
    seen.add(`${r.method} ${r.route}`);
    let problem = v.error;
    if (!problem && !v.validate(r.body)) problem = ajv.errorsText(v.validate.errors.slice(0, 5), { separator: '; ' });
    if (problem) {
      const key = `${r.method} ${r.route} -> ${r.status}`;
      const f = failures.get(key) ?? { count: 0, problem, body: JSON.stringify(r.body).slice(0, 300) };
      f.count++;
      failures.set(key, f);
    }
  }
}

let operations = 0;
for (const [path, ops] of Object.entries(doc.paths ?? {})) operations += Object.keys(ops).length;
console.log(`validate-responses: ${checked} answers of ${seen.size} of ${operations} operations checked`);
if (checked === 0) {
  console.error('validate-responses: nothing recorded (was WEEFSEL_RECORD_RESPONSES set?)');
  process.exit(1);
}
for (const [key, f] of failures) {
  console.error(`FAIL ${key} (${f.count}x): ${f.problem}\n     body: ${f.body}`);
}
if (failures.size > 0) {
  console.error(`validate-responses: ${failures.size} route/status pairs answered outside their schema`);
  process.exit(1);
}
console.log('validate-responses: every answer validates against its schema');
