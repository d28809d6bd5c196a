import * as assert from 'node:assert/strict';
import { agreeingStaticFindings, type StaticFinding } from '../../../engine/editor/agreement';
import type { RuntimeFinding } from '../../../engine/editor/types';

const runtime: RuntimeFinding = {
  kind: 'retaining-closure',
  at: { url: '/srv/app/leaky.js', line: 6, column: 12 },
  subject: '`remember`',
  bytes: 9 * 1024 * 1024,
  retainedBy: { name: 'cache' },
};

const statics: StaticFinding[] = [
  { rule: 'unbounded-cache', startLine: 4, endLine: 4, message: '`cache` is a module-level Map; `remember` adds an entry on every tick and nothing removes it' },
  { rule: 'timer-leak', startLine: 6, endLine: 6, message: 'setInterval started and never cleared' },
  { rule: 'listener-leak', startLine: 9, endLine: 9, message: '`socket` gets a listener per request' },
  { rule: 'growing-array', startLine: 12, endLine: 12, message: 'the array `cacheKeys` only grows' },
];

describe('static and runtime findings that agree', () => {
  it('matches a static finding on the same line, and one naming the holding variable elsewhere', () => {
    assert.deepEqual(agreeingStaticFindings(runtime, statics), [
      { rule: 'unbounded-cache', line: 4, sameLine: false },
      { rule: 'timer-leak', line: 6, sameLine: true },
    ]);
  });

  it('does not match a name that merely contains the variable, nor other lines', () => {
    assert.deepEqual(agreeingStaticFindings({ ...runtime, at: { ...runtime.at, line: 30 } }, statics.slice(2)), []);
  });

  it('matches only by line when the runtime side could not name a holder', () => {
    assert.deepEqual(agreeingStaticFindings({ ...runtime, retainedBy: undefined }, statics), [{ rule: 'timer-leak', line: 6, sameLine: true }]);
  });
});
