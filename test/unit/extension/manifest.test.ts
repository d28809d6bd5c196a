// The extension manifest's hand-written parts stay consistent with the code they name: one severity
// setting per leak rule (default = the rule's own), menus and keybindings name declared commands,
// and every declared command is registered by extension/commands.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../../language-server/rules';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

describe('the extension manifest', () => {
  it('has a resource-scoped severity setting per leak rule, defaulting to the rule\'s severity', () => {
    const properties = contributes.configuration.properties as Record<string, { default: string; scope: string; enum: string[] }>;
    for (const rule of allRules) {
      const setting = properties[`heapscope.rules.${rule.id}`];
      assert.ok(setting, `no setting heapscope.rules.${rule.id} (run node scripts/sync-rule-settings.mjs)`);
      assert.equal(setting.default, rule.defaultSeverity, rule.id);
      assert.equal(setting.scope, 'resource', rule.id);
      assert.deepEqual(setting.enum, ['error', 'warning', 'information', 'hint', 'off']);
    }
    const ruleSettings = Object.keys(properties).filter((key) => key.startsWith('heapscope.rules.'));
    assert.equal(ruleSettings.length, allRules.length, 'a setting for a rule that no longer exists');
  });

  it('names only declared commands in its menus', () => {
    const declared = new Set((contributes.commands as { command: string }[]).map((c) => c.command));
    for (const [menu, entries] of Object.entries(contributes.menus as Record<string, { command: string }[]>)) {
      for (const entry of entries) assert.ok(declared.has(entry.command), `${menu} names ${entry.command}, which is not declared`);
    }
  });

  it('registers every declared command in extension/commands.ts (or the test hook)', () => {
    const source = ['commands.ts', 'test-hook.ts'].map((file) => fs.readFileSync(path.join(root, 'extension', file), 'utf8')).join('\n');
    for (const { command } of contributes.commands as { command: string }[]) {
      assert.ok(source.includes(`'${command}'`), `${command} is declared but never registered`);
    }
  });

  it('keeps heap contents out of reach of an untrusted workspace and of remote hosts by default', () => {
    const properties = contributes.configuration.properties;
    assert.equal(properties['heapscope.allowRemote'].default, false);
    assert.equal(properties['heapscope.allowRemote'].scope, 'application');
    assert.equal(properties['heapscope.snapshotDirectory'].scope, 'machine');
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('heapscope.snapshotDirectory'));
  });
});
