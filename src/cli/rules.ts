// `tarmac rules check` and `tarmac rules eval`: the rule language offline, with positioned errors and the
// explanation tree, for people and (with --json) for scripts.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  RuleError,
  checkFilterRule,
  checkRule,
  explainFilterRule,
  explainRule,
  subjectFromGraph,
  type CheckedRule,
  type RuleExplanation,
  type RuleSubject,
} from '../rules/index.js';

const tty = process.stdout.isTTY;
const paint = (code: number) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const red = paint(31);
const green = paint(32);
const dim = paint(2);

interface RuleOptions {
  filter?: boolean;
  json?: boolean;
}

function check(text: string, options: RuleOptions): CheckedRule {
  return options.filter ? checkFilterRule(text) : checkRule(text);
}

/** The rule with a caret line under the offending characters. */
export function pointAt(text: string, error: RuleError): string {
  const lines = text.split('\n');
  let offset = 0;
  for (const line of lines) {
    if (error.position <= offset + line.length) {
      const column = error.position - offset;
      const width = Math.max(1, Math.min(error.end, offset + line.length) - error.position);
      return `  ${line}\n  ${' '.repeat(column)}${'^'.repeat(width)}`;
    }
    offset += line.length + 1;
  }
  return `  ${text}`;
}

function reportError(text: string, err: unknown, options: RuleOptions): number {
  if (!(err instanceof RuleError)) throw err;
  if (options.json) {
    console.log(JSON.stringify({ valid: false, position: err.position, end: err.end, detail: err.detail, message: err.message }, null, 2));
  } else {
    console.log(`${red('✗')} ${err.message}\n${pointAt(text, err)}`);
  }
  return 1;
}

/** Renders the explanation as an indented tree, marking what decided the outcome. */
export function renderExplanation(node: RuleExplanation, depth = 0): string[] {
  const mark = node.expressionResult ? green('✓') : red('✗');
  const value = node.propertyToEvaluate ? dim(`   ${node.propertyToEvaluate.propertyName} = ${JSON.stringify(node.actualValue ?? null)}`) : '';
  const decided = node.decisive && node.expressionEvaluationDetails.every((c) => !c.decisive) ? '   ← decided' : '';
  const label = node.kind === 'and' || node.kind === 'or' ? `-${node.kind}` : node.expression;
  return [`${'  '.repeat(depth + 1)}${mark} ${label}${value}${decided}`, ...node.expressionEvaluationDetails.flatMap((c) => renderExplanation(c, depth + 1))];
}

export function registerRulesCommands(program: Command): void {
  const rules = program.command('rules').description('check and evaluate dynamic membership rules (and assignment filter rules)');

  rules
    .command('check')
    .argument('<rule>', 'the rule text')
    .option('--filter', 'an Intune assignment filter rule instead of a membership rule')
    .option('--json', 'print the result as JSON')
    .description('check a rule: valid (exit 0), or the position and reason it is not (exit 1)')
    .action((text: string, options: RuleOptions) => {
      try {
        const rule = check(text, options);
        if (options.json) console.log(JSON.stringify({ valid: true, kind: rule.kind, warnings: rule.warnings }, null, 2));
        else {
          console.log(`${green('✓')} valid ${options.filter ? 'assignment filter' : `${rule.kind}`} rule`);
          for (const w of rule.warnings) console.log(`  ${dim(`note at position ${w.position}: ${w.message}`)}`);
        }
      } catch (err) {
        process.exitCode = reportError(text, err, options);
      }
    });

  rules
    .command('eval')
    .argument('<rule>', 'the rule text')
    .requiredOption('--object <file>', 'JSON file: the user or device, keyed by rule property names (or a Graph object with --graph)')
    .option('--graph', 'the object is a Graph user or device as /users or /devices return it')
    .option('--filter', 'an Intune assignment filter rule instead of a membership rule')
    .option('--json', 'print the result and explanation as JSON')
    .description('evaluate a rule for one object and explain every expression (exit 0 if it matches, 1 if not)')
    .action((text: string, options: RuleOptions & { object: string; graph?: boolean }) => {
      let rule: CheckedRule;
      try {
        rule = check(text, options);
      } catch (err) {
        process.exitCode = reportError(text, err, options) + 1;
        return;
      }
      let object: Record<string, unknown>;
      try {
        object = JSON.parse(readFileSync(options.object, 'utf8'));
      } catch (err) {
        console.error(`tarmac: cannot read ${options.object} as JSON: ${(err as Error).message}`);
        process.exitCode = 2;
        return;
      }
      const subject: RuleSubject = options.graph && !options.filter ? subjectFromGraph(rule.kind, object) : object;
      const explanation = options.filter ? explainFilterRule(rule, subject) : explainRule(rule, subject, { clock: { now: () => Date.now() } });
      if (options.json) console.log(JSON.stringify({ match: explanation.expressionResult, explanation }, null, 2));
      else {
        console.log(explanation.expressionResult ? `${green('✓')} match` : `${red('✗')} no match`);
        console.log(renderExplanation(explanation).join('\n'));
      }
      process.exitCode = explanation.expressionResult ? 0 : 1;
    });
}
