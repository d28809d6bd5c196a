// Keeps the `heapscope.rules.<id>` settings in package.json in step with language-server/rules/:
// one resource-scoped severity setting per rule, defaulting to the rule's own default severity.
// Run after adding a rule: `node scripts/sync-rule-settings.mjs` (`--check` fails when out of date).
import fs from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const rulesDir = path.join(root, 'language-server', 'rules');
const field = (text, name) => new RegExp(`\\b${name}:\\s*'([^']+)'`).exec(text)?.[1];

const rules = fs.readdirSync(rulesDir)
  .filter((file) => file.endsWith('.ts') && file !== 'index.ts' && file !== 'rule.ts')
  .map((file) => fs.readFileSync(path.join(rulesDir, file), 'utf8'))
  .map((text) => ({ id: field(text, 'id'), severity: field(text, 'defaultSeverity'), title: field(text, 'title') }))
  .filter((rule) => rule.id && rule.severity && rule.title)
  .sort((a, b) => a.id.localeCompare(b.id));

const manifestPath = path.join(root, 'package.json');
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
const properties = manifest.contributes.configuration.properties;
const others = Object.entries(properties).filter(([key]) => !key.startsWith('heapscope.rules.'));
const ruleSettings = rules.map((rule) => [`heapscope.rules.${rule.id}`, {
  type: 'string',
  enum: ['error', 'warning', 'information', 'hint', 'off'],
  default: rule.severity,
  scope: 'resource',
  markdownDescription: `Severity of the \`${rule.id}\` leak rule: ${rule.title.charAt(0).toLowerCase()}${rule.title.slice(1)}.`,
}]);
// Rule settings follow the trace setting, before the runtime settings.
const [first, ...rest] = others;
manifest.contributes.configuration.properties = Object.fromEntries([first, ...ruleSettings, ...rest]);
const text = JSON.stringify(manifest, null, 2) + '\n';
if (process.argv.includes('--check')) {
  if (text !== fs.readFileSync(manifestPath, 'utf8')) {
    console.error('package.json rule settings are out of date: run node scripts/sync-rule-settings.mjs');
    process.exit(1);
  }
} else {
  fs.writeFileSync(manifestPath, text);
  console.log(`heapscope.rules.*: ${rules.map((rule) => rule.id).join(', ')}`);
}
