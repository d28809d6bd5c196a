/**
 * Runs every rule on every fixture under test/fixtures/rules/ (see harness.ts for the format):
 * exact expected findings, and every quick fix applied, re-checked and type-checked.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  applyEdits, findingKeys, FIXTURE_EXTENSIONS, fixturesRoot, lintFixture, loadFixture, typeDiagnostics, withoutLines,
} from './harness';

const ruleDirs = fs.existsSync(fixturesRoot) ? fs.readdirSync(fixturesRoot).filter((d) => fs.statSync(path.join(fixturesRoot, d)).isDirectory()).sort() : [];

describe('rule fixtures', () => {
  it('has fixtures', () => assert.ok(ruleDirs.length > 0, `no fixture folders under ${fixturesRoot}`));

  for (const dir of ruleDirs) {
    describe(dir, () => {
      const files = fs.readdirSync(path.join(fixturesRoot, dir)).filter((f) => FIXTURE_EXTENSIONS.test(f)).sort();
      it('has positives and look-alike negatives', () => {
        assert.ok(files.some((f) => !/\.ok\.\w+$/.test(f)), 'no positive fixture');
        assert.ok(files.some((f) => /\.ok\.\w+$/.test(f)), 'no *.ok.* negative fixture');
      });

      for (const name of files) {
        const fixture = loadFixture(path.join(fixturesRoot, dir, name));
        it(`${name}: exact findings`, () => {
          assert.ok(fixture.source, `${name} needs a "// source: <public issue or fix>" header`);
          if (fixture.isNegative) assert.deepStrictEqual(fixture.expected, [], 'a *.ok.* fixture must not expect findings');
          else assert.ok(fixture.expected.length > 0, 'a positive fixture needs at least one "// expect: <rule>"');
          const result = lintFixture(fixture.file, fixture.text, fixture.dependencies);
          assert.strictEqual(result.note, undefined, `analysis note: ${result.note}`);
          assert.deepStrictEqual(findingKeys(fixture.text, result.diagnostics), fixture.expected,
            `findings:\n${result.diagnostics.map((d) => `  ${d.rule}: ${d.message}`).join('\n')}`);
        });

        // One test per offered fix (computed here, so a fixture without fixes simply has none).
        const fixable = lintFixture(fixture.file, fixture.text, fixture.dependencies).diagnostics.filter((d) => d.fixes.length > 0);
        for (const diagnostic of fixable) {
          for (const fix of diagnostic.fixes) {
            it(`${name}: fix "${fix.title}" type-checks and removes its finding`, () => {
              const fixed = applyEdits(fixture.text, fix.edits());
              const after = lintFixture(fixture.file, fixed, fixture.dependencies);
              const still = after.diagnostics.filter((d) => d.rule === diagnostic.rule && d.message === diagnostic.message);
              assert.deepStrictEqual(still.map((d) => d.message), [], `the finding remains after the fix:\n${fixed}`);
              const before = withoutLines(typeDiagnostics(fixture.file, fixture.text));
              const newErrors = withoutLines(typeDiagnostics(fixture.file, fixed)).filter((m) => !before.includes(m));
              assert.deepStrictEqual(newErrors, [], `the fix introduced errors:\n${fixed}`);
            });
          }
        }
      }
    });
  }
});
