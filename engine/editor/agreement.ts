/**
 * When the two halves of Heapscope point at the same thing: a static finding of the language server
 * and a runtime finding. They agree when they are on the same line, or when the static message names
 * the variable the runtime evidence found holding the memory (the language server flags `cache.set`
 * on line 5, the heap shows `cache` growing, and the closure that holds it is defined on line 7).
 */
import type { RuntimeFinding } from './types';

/** A language-server diagnostic, reduced to what agreement needs (0-based lines). */
export interface StaticFinding {
  rule: string;
  startLine: number;
  endLine: number;
  message: string;
}

export interface Agreement {
  rule: string;
  /** 0-based line of the static finding. */
  line: number;
  sameLine: boolean;
}

export function agreeingStaticFindings(finding: RuntimeFinding, statics: readonly StaticFinding[]): Agreement[] {
  const holder = finding.retainedBy?.name;
  const agreements: Agreement[] = [];
  for (const candidate of statics) {
    const sameLine = candidate.startLine <= finding.at.line && finding.at.line <= candidate.endLine;
    const namesHolder = holder !== undefined && candidate.message.includes(`\`${holder}\``);
    if (sameLine || namesHolder) agreements.push({ rule: candidate.rule, line: candidate.startLine, sameLine });
  }
  return agreements;
}
