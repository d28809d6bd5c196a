/**
 * Every leak rule, in one list. To add a rule: one file under rules/ exporting a `Rule`, one import
 * line and one entry below (keep both sorted by id), fixtures in test/fixtures/rules/<id>/.
 */
import type { Rule } from './rule';
import { closureCapture } from './closure-capture';
import { growingArray } from './growing-array';
import { listenerLeak } from './listener-leak';
import { retainedSlice } from './retained-slice';
import { timerLeak } from './timer-leak';
import { unboundedCache } from './unbounded-cache';
import { unsettledPromise } from './unsettled-promise';

export const allRules: readonly Rule[] = [
  closureCapture,
  growingArray,
  listenerLeak,
  retainedSlice,
  timerLeak,
  unboundedCache,
  unsettledPromise,
];

export function ruleById(id: string): Rule | undefined {
  return allRules.find((rule) => rule.id === id);
}
