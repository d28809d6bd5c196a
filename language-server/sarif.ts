/**
 * SARIF 2.1.0 output for code-scanning review (GitHub code scanning, the SARIF viewer): one run,
 * the rules as `tool.driver.rules`, one result per finding with a physical location.
 */
import { severityOf, type LintSettings } from './config';
import type { LintFinding } from './lint';
import type { Rule, Severity } from './rules/rule';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
const RULE_DOCS = 'https://github.com/heapscope/heapscope/blob/main/language-server/rules/';

export function toSarif(findings: readonly LintFinding[], rules: readonly Rule[], settings: LintSettings, version: string): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'heapscope',
          informationUri: 'https://github.com/heapscope/heapscope',
          version,
          rules: rules.map((rule) => ({
            id: rule.id,
            name: rule.id.replace(/(^|-)(\w)/g, (_m, _dash: string, c: string) => c.toUpperCase()),
            shortDescription: { text: rule.title },
            fullDescription: { text: rule.description },
            helpUri: `${RULE_DOCS}${rule.id}.ts`,
            defaultConfiguration: { enabled: severityOf(rule, settings) !== undefined, level: LEVEL[severityOf(rule, settings) ?? rule.defaultSeverity] },
          })),
        },
      },
      columnKind: 'utf16CodeUnits',
      results: findings.map((f) => ({
        ruleId: f.rule,
        ruleIndex: rules.findIndex((r) => r.id === f.rule),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: f.file.split('\\').join('/'), uriBaseId: '%SRCROOT%' },
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
        }],
      })),
    }],
  };
}
