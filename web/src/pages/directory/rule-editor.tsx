// The rule syntax box of a dynamic group: a plain textarea whose text is transparent, over a copy of the rule
// drawn with colours (operators, properties, strings, values) and the server's error underlined where it is.
// The check's answer is shown below: the error with its line and column, or that the rule is valid.
import { useId, useRef, type UIEvent } from 'react';
import { Label, Spinner, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { CheckmarkCircleFilled } from '@fluentui/react-icons/svg/checkmark-circle';
import { ErrorCircleFilled } from '@fluentui/react-icons/svg/error-circle';
import { highlightRuns, lineAndColumn, type RuleTokenKind } from './rule-syntax';
import type { RuleCheck } from './rule-check';

const FONT = {
  fontFamily: tokens.fontFamilyMonospace,
  fontSize: tokens.fontSizeBase300,
  lineHeight: '20px',
  letterSpacing: 'normal',
  tabSize: 4,
} as const;
/** The box grows with the rule's lines between these, then scrolls. */
const MIN_ROWS = 5;
const MAX_ROWS = 14;
const PAD = { paddingTop: '8px', paddingBottom: '8px', paddingLeft: '10px', paddingRight: '10px' } as const;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  box: {
    position: 'relative',
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderBottomColor: tokens.colorNeutralStrokeAccessible,
    backgroundColor: tokens.colorNeutralBackground1,
    ':focus-within': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorCompoundBrandStroke}`, outlineOffset: '-1px' },
  },
  boxInvalid: { borderTopColor: tokens.colorPaletteRedBorder2, borderRightColor: tokens.colorPaletteRedBorder2, borderBottomColor: tokens.colorPaletteRedBorder2, borderLeftColor: tokens.colorPaletteRedBorder2 },
  layer: {
    ...FONT,
    ...PAD,
    margin: 0,
    boxSizing: 'border-box',
    width: '100%',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'break-word',
    wordBreak: 'break-word',
    scrollbarGutter: 'stable',
  },
  backdrop: { position: 'absolute', inset: 0, overflowY: 'hidden', pointerEvents: 'none', color: tokens.colorNeutralForeground1 },
  input: {
    position: 'relative',
    display: 'block',
    resize: 'vertical',
    border: 'none',
    outline: 'none',
    overflowY: 'auto',
    backgroundColor: 'transparent',
    color: 'transparent',
    caretColor: tokens.colorNeutralForeground1,
    '::selection': { backgroundColor: tokens.colorBrandBackground2Hover, color: 'transparent' },
    '::placeholder': { color: tokens.colorNeutralForeground4 },
  },
  logical: { color: tokens.colorPaletteBlueForeground2, fontWeight: tokens.fontWeightSemibold },
  operator: { color: tokens.colorPaletteBlueForeground2 },
  property: { color: tokens.colorPalettePurpleForeground2 },
  string: { color: tokens.colorPaletteDarkOrangeForeground2 },
  literal: { color: tokens.colorPaletteGreenForeground2 },
  punctuation: { color: tokens.colorNeutralForeground2 },
  text: {},
  space: {},
  error: {
    textDecorationLine: 'underline',
    textDecorationStyle: 'wavy',
    textDecorationColor: tokens.colorPaletteRedForeground1,
    textDecorationSkipInk: 'none',
    textUnderlineOffset: '3px',
    backgroundColor: tokens.colorPaletteRedBackground1,
  },
  status: { display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalXS, minHeight: '20px' },
  invalid: { color: tokens.colorPaletteRedForeground1 },
  valid: { color: tokens.colorPaletteGreenForeground1 },
  icon: { flexShrink: 0, marginTop: '2px' },
  detail: { fontWeight: tokens.fontWeightSemibold },
});

export interface RuleEditorProps {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly check: RuleCheck;
  readonly label?: string;
  readonly disabled?: boolean;
  /** Shown as required (the New group form). */
  readonly required?: boolean;
}

export function RuleEditor({ value, onChange, check, label = 'Rule syntax', disabled, required }: RuleEditorProps) {
  const styles = useStyles();
  const id = useId();
  const backdrop = useRef<HTMLPreElement>(null);
  const problem = check.status === 'invalid' || (check.status === 'checking' && check.problem) ? check.problem : undefined;
  const runs = highlightRuns(value, problem);
  const syncScroll = (e: UIEvent<HTMLTextAreaElement>) => {
    if (backdrop.current) backdrop.current.scrollTop = e.currentTarget.scrollTop;
  };
  const where = problem ? lineAndColumn(value, problem.position) : undefined;

  return (
    <div className={styles.root}>
      <Label htmlFor={id} required={required} disabled={disabled}>
        {label}
      </Label>
      <div className={mergeClasses(styles.box, problem && styles.boxInvalid)}>
        <pre ref={backdrop} className={mergeClasses(styles.layer, styles.backdrop)} aria-hidden="true" data-testid="rule-highlight">
          {runs.map((r, i) => (
            <span
              key={i}
              className={mergeClasses(styles[r.kind as RuleTokenKind], r.error && styles.error)}
              data-token={r.kind}
              {...(r.error ? { 'data-rule-error': '' } : {})}
            >
              {r.text}
            </span>
          ))}
          {/* A final line break in a textarea still has a line below it. */}
          {value.endsWith('\n') ? ' ' : null}
        </pre>
        <textarea
          id={id}
          className={mergeClasses(styles.layer, styles.input)}
          aria-label={label}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${id}-status`}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          disabled={disabled}
          rows={Math.min(MAX_ROWS, Math.max(MIN_ROWS, value.split('\n').length + 1))}
          placeholder='(device.devicePhysicalIds -any (_ -startsWith "[ZTDId]"))'
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onScroll={syncScroll}
        />
      </div>
      <div id={`${id}-status`} className={styles.status} aria-live="polite">
        {problem && where ? (
          <div className={mergeClasses(styles.status, styles.invalid)} role="status" aria-label="Rule error" data-position={problem.position} data-end={problem.end}>
            <ErrorCircleFilled className={styles.icon} />
            <Text>
              <span className={styles.detail}>{problem.detail}</span> {problem.hint} (line {where.line}, column {where.column})
            </Text>
          </div>
        ) : check.status === 'valid' ? (
          <div className={mergeClasses(styles.status, styles.valid)} role="status" aria-label="Rule check">
            <CheckmarkCircleFilled className={styles.icon} />
            <Text>The rule is valid: a rule for {check.kind === 'device' ? 'devices' : 'users'}.</Text>
          </div>
        ) : check.status === 'checking' ? (
          <Spinner size="extra-tiny" label="Checking the rule…" />
        ) : check.status === 'unavailable' ? (
          <div className={mergeClasses(styles.status, styles.invalid)} role="status" aria-label="Rule error">
            <ErrorCircleFilled className={styles.icon} />
            <Text>Could not check the rule: {check.failure?.message}</Text>
          </div>
        ) : null}
      </div>
    </div>
  );
}
