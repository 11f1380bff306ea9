// "Validate rules", as the Entra portal has it: pick up to 20 users or devices and see, for the rule being
// edited (saved or not), whether each would be a member, and why: every expression with the actual value it
// read and its result, as a tree (the control API's explain, the server's own evaluator).
import { useEffect, useState } from 'react';
import {
  Badge,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Tree,
  TreeItem,
  TreeItemLayout,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { PersonAddRegular } from '@fluentui/react-icons/svg/person-add';
import { CheckmarkCircleFilled } from '@fluentui/react-icons/svg/checkmark-circle';
import { DismissCircleFilled } from '@fluentui/react-icons/svg/dismiss-circle';
import { asApiError, control, type ApiError } from '../../api';
import { useSignedIn } from '../../session';
import { ObjectSearch, type PickedObject } from './object-picker';
import { detailOf, nameOf } from './objects';
import type { RuleCheck, RuleSubject } from './rule-check';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  bar: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  muted: { color: tokens.colorNeutralForeground3 },
  detail: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  node: { display: 'flex', flexDirection: 'column', paddingTop: '2px', paddingBottom: '2px' },
  nodeLine: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  actual: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  decisive: { fontWeight: tokens.fontWeightSemibold },
  explanation: { padding: `${tokens.spacingVerticalS} 0`, overflowX: 'auto' },
  yes: { color: tokens.colorPaletteGreenForeground1 },
  no: { color: tokens.colorPaletteRedForeground1 },
});

/** One expression of the rule, evaluated (the control API's explain). */
export interface Explanation {
  readonly expression: string;
  readonly expressionResult: boolean;
  readonly kind: 'and' | 'or' | 'not' | 'comparison' | 'any' | 'all' | 'memberOf' | 'directReports';
  readonly position: number;
  readonly end: number;
  readonly decisive: boolean;
  readonly operator?: string;
  readonly value?: unknown;
  readonly actualValue?: unknown;
  readonly item?: unknown;
  readonly propertyToEvaluate: { readonly propertyName: string; readonly propertyValue: string | null } | null;
  readonly expressionEvaluationDetails: readonly Explanation[];
}

interface ExplainAnswer {
  readonly result: boolean;
  readonly decidedBy: readonly Explanation[];
  readonly explanation: Explanation;
}

interface Outcome {
  readonly rule: string;
  readonly answer?: ExplainAnswer;
  readonly error?: ApiError;
}

const MAX = 20;

export interface ValidateRulesProps {
  /** The rule being edited. */
  readonly rule: string;
  readonly check: RuleCheck;
  /** Whom the rule is about: users or devices are offered. */
  readonly subject: RuleSubject;
}

export function ValidateRules({ rule, check, subject }: ValidateRulesProps) {
  const styles = useStyles();
  const { tenant } = useSignedIn();
  const [members, setMembers] = useState<PickedObject[]>([]);
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const [picking, setPicking] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

  // Validation starts on selection, and runs again for the rule as it is once the check has passed.
  const validRule = check.status === 'valid' && check.text === rule ? rule : null;
  const ids = members.map((m) => m.id).join(',');
  useEffect(() => {
    if (validRule === null || members.length === 0) return;
    const controller = new AbortController();
    for (const m of members) {
      control<ExplainAnswer>('POST', `/tenants/${tenant.tenantId}/rules/explain`, { memberId: m.id, membershipRule: validRule }, { signal: controller.signal }).then(
        (answer) => !controller.signal.aborted && setOutcomes((o) => ({ ...o, [m.id]: { rule: validRule, answer } })),
        (err) => !controller.signal.aborted && setOutcomes((o) => ({ ...o, [m.id]: { rule: validRule, error: asApiError(err) } })),
      );
    }
    return () => controller.abort();
  }, [validRule, ids, tenant.tenantId]);

  const plural = subject === 'device' ? 'devices' : 'users';
  const add = (picked: PickedObject[]) => {
    setPicking(false);
    setMembers((m) => [...m, ...picked.filter((p) => !m.some((x) => x.id === p.id))].slice(0, MAX));
  };

  return (
    <section className={styles.root} aria-label="Validate rules">
      <Text className={styles.muted}>
        Check whether {plural} would be members under the rule as it is written above, saved or not. Pick up to {MAX}.
      </Text>
      {picking ? (
        <ObjectSearch title={`Select ${plural} to validate`} kinds={[subject]} exclude={members.map((m) => m.id)} max={MAX - members.length} onDismiss={() => setPicking(false)} onSelect={add} />
      ) : (
        <div className={styles.bar}>
          <Button icon={<PersonAddRegular />} onClick={() => setPicking(true)} disabled={members.length >= MAX}>
            Add {plural}
          </Button>
          {members.length > 0 && (
            <Button
              appearance="subtle"
              onClick={() => {
                setMembers([]);
                setOutcomes({});
                setOpen(null);
              }}
            >
              Clear
            </Button>
          )}
        </div>
      )}
      {members.length > 0 && (
        <Table aria-label="Validation results" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Membership status</TableHeaderCell>
              <TableHeaderCell />
            </TableRow>
          </TableHeader>
          <TableBody>
            {members.map((m) => {
              const outcome = outcomes[m.id];
              const current = outcome && outcome.rule === validRule ? outcome : undefined;
              return (
                <TableRow key={m.id} data-member={m.id}>
                  <TableCell>
                    <div>{nameOf(m)}</div>
                    <div className={styles.detail}>{detailOf(m, m.kind)}</div>
                  </TableCell>
                  <TableCell>
                    <Status outcome={current} ruleValid={validRule !== null} />
                  </TableCell>
                  <TableCell>
                    <Button size="small" appearance="subtle" onClick={() => setOpen(open === m.id ? null : m.id)} aria-expanded={open === m.id} aria-label={`View details for ${nameOf(m)}`}>
                      {open === m.id ? 'Hide details' : 'View details'}
                    </Button>
                    <Button size="small" appearance="subtle" onClick={() => setMembers((list) => list.filter((x) => x.id !== m.id))} aria-label={`Remove ${nameOf(m)}`}>
                      Remove
                    </Button>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {open && members.some((m) => m.id === open) && (
        <Details name={nameOf(members.find((m) => m.id === open)!)} outcome={outcomes[open]?.rule === validRule ? outcomes[open] : undefined} check={check} />
      )}
    </section>
  );
}

function Status({ outcome, ruleValid }: { readonly outcome: Outcome | undefined; readonly ruleValid: boolean }) {
  if (!ruleValid) return <Badge appearance="tint" color="warning">Unknown</Badge>;
  if (!outcome) return <Badge appearance="tint" color="informative">Validating…</Badge>;
  if (outcome.error || !outcome.answer) return <Badge appearance="tint" color="warning">Unknown</Badge>;
  return outcome.answer.result ? (
    <Badge appearance="tint" color="success" icon={<CheckmarkCircleFilled />}>
      Member
    </Badge>
  ) : (
    <Badge appearance="tint" color="danger" icon={<DismissCircleFilled />}>
      Not a member
    </Badge>
  );
}

function Details({ name, outcome, check }: { readonly name: string; readonly outcome: Outcome | undefined; readonly check: RuleCheck }) {
  const styles = useStyles();
  if (check.status !== 'valid') {
    return (
      <Text className={styles.muted}>
        The result for {name} is unknown: {check.problem ? `the rule isn't valid (${check.problem.detail})` : 'the rule is being checked'}.
      </Text>
    );
  }
  if (!outcome) return <Text className={styles.muted}>Validating {name}…</Text>;
  if (outcome.error) return <Text className={styles.no}>The result for {name} is unknown: {outcome.error.message}</Text>;
  const answer = outcome.answer!;
  return (
    <div className={styles.explanation}>
      <Text weight="semibold">
        {name} {answer.result ? 'is a member' : 'is not a member'}: each expression of the rule with the value it read and its result.
      </Text>
      <Tree aria-label={`Rule explanation for ${name}`} defaultOpenItems={allValues(answer.explanation, 'e')} size="small">
        <ExplanationItem node={answer.explanation} value="e" />
      </Tree>
    </div>
  );
}

function allValues(node: Explanation, value: string): string[] {
  return [value, ...node.expressionEvaluationDetails.flatMap((c, i) => allValues(c, `${value}.${i}`))];
}

function ExplanationItem({ node, value }: { readonly node: Explanation; readonly value: string }) {
  const styles = useStyles();
  const children = node.expressionEvaluationDetails;
  const Icon = node.expressionResult ? CheckmarkCircleFilled : DismissCircleFilled;
  const label = `${node.expression}: ${node.expressionResult ? 'true' : 'false'}`;
  return (
    <TreeItem itemType={children.length > 0 ? 'branch' : 'leaf'} value={value} aria-label={label} data-result={String(node.expressionResult)} data-decisive={String(node.decisive)}>
      <TreeItemLayout iconBefore={<Icon className={node.expressionResult ? styles.yes : styles.no} />}>
        <span className={styles.node}>
          <span className={styles.nodeLine}>
            <code className={node.decisive ? `${styles.code} ${styles.decisive}` : styles.code}>{node.expression}</code>
            <Badge size="small" appearance="outline" color={node.expressionResult ? 'success' : 'danger'}>
              {node.expressionResult ? 'True' : 'False'}
            </Badge>
            {node.decisive && node.kind === 'comparison' && (
              <Badge size="small" appearance="tint" color="brand">
                decided
              </Badge>
            )}
          </span>
          <span className={styles.actual}>{describe(node)}</span>
        </span>
      </TreeItemLayout>
      {children.length > 0 && (
        <Tree>
          {children.map((c, i) => (
            <ExplanationItem key={i} node={c} value={`${value}.${i}`} />
          ))}
        </Tree>
      )}
    </TreeItem>
  );
}

/** What the expression read: the actual value, the item of a collection, or how the operands combined. */
function describe(node: Explanation): string {
  const parts: string[] = [];
  if (node.item !== undefined) parts.push(`For the item ${show(node.item)}`);
  switch (node.kind) {
    case 'and':
      parts.push(node.expressionResult ? 'Every operand is true.' : 'An operand is false.');
      break;
    case 'or':
      parts.push(node.expressionResult ? 'An operand is true.' : 'Every operand is false.');
      break;
    case 'not':
      parts.push('The opposite of the expression below.');
      break;
    case 'any':
    case 'all': {
      const items = Array.isArray(node.actualValue) ? node.actualValue.length : node.actualValue == null ? 0 : 1;
      const property = node.propertyToEvaluate?.propertyName ?? 'the property';
      parts.push(`${property} has ${items} ${items === 1 ? 'value' : 'values'}${items ? `: ${show(node.actualValue)}` : ''}; ${node.kind === 'any' ? 'true when one matches' : 'true when all match'}.`);
      break;
    }
    default: {
      const property = node.propertyToEvaluate?.propertyName;
      const actual = node.actualValue !== undefined ? node.actualValue : (node.propertyToEvaluate?.propertyValue ?? null);
      parts.push(`${property ? `${property} is` : 'Actual value:'} ${show(actual)}`);
    }
  }
  return parts.join(' · ');
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'null (not set)';
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value);
}
