// The assignment filter's rule editor: a plain textarea with an overlay behind it that underlines the
// range the syntax check objects to, checked as you type with the control API's rule check
// (POST /_tarmac/rules/check {"rule", "kind": "filter"} → {valid} or {valid: false, error: {position, end,
// detail, hint, message}}). No editor library: the overlay repeats the text with the same font and wrapping,
// transparent except for the wavy underline, and follows the textarea's scrolling.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Field, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { asApiError, control, type ApiError } from '../../api';
import { useDebounced } from './ui';

export interface RuleCheck {
  readonly valid: boolean;
  readonly error?: { readonly position: number; readonly end: number; readonly detail?: string; readonly hint?: string | null; readonly message: string };
}

const useStyles = makeStyles({
  frame: {
    position: 'relative',
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderBottomColor: tokens.colorNeutralStrokeAccessible,
    backgroundColor: tokens.colorNeutralBackground1,
    ':focus-within': { borderBottomColor: tokens.colorCompoundBrandStroke },
  },
  invalid: { borderTopColor: tokens.colorPaletteRedBorder2, borderRightColor: tokens.colorPaletteRedBorder2, borderBottomColor: tokens.colorPaletteRedBorder2, borderLeftColor: tokens.colorPaletteRedBorder2 },
  // The textarea and the overlay share every metric that decides where a character lands.
  text: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    margin: 0,
    border: 'none',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    wordBreak: 'normal',
    letterSpacing: 'normal',
    boxSizing: 'border-box',
    width: '100%',
  },
  overlay: { position: 'absolute', inset: 0, color: 'transparent', overflow: 'hidden', pointerEvents: 'none' },
  textarea: {
    position: 'relative',
    display: 'block',
    minHeight: '120px',
    resize: 'none',
    // It grows with its text instead of scrolling, so that no scroll bar narrows it beside the overlay.
    overflowY: 'hidden',
    backgroundColor: 'transparent',
    color: tokens.colorNeutralForeground1,
    caretColor: tokens.colorNeutralForeground1,
    outlineStyle: 'none',
  },
  mark: {
    color: 'transparent',
    backgroundColor: tokens.colorPaletteRedBackground1,
    textDecorationLine: 'underline',
    textDecorationStyle: 'wavy',
    textDecorationColor: tokens.colorPaletteRedForeground1,
    textDecorationThickness: '1.5px',
    textUnderlineOffset: '3px',
  },
  message: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
});

/** Checks the rule's text as you type; the last answer for the current text (undefined while checking). */
export function useRuleCheck(rule: string): { check: RuleCheck | undefined; error: ApiError | undefined; checking: boolean } {
  const settled = useDebounced(rule, 250);
  const [state, setState] = useState<{ rule: string; check?: RuleCheck; error?: ApiError }>({ rule: '' });
  useEffect(() => {
    if (settled.trim() === '') {
      setState({ rule: settled });
      return;
    }
    const controller = new AbortController();
    control<RuleCheck>('POST', '/rules/check', { rule: settled, kind: 'filter' }, { signal: controller.signal })
      .then((check) => setState({ rule: settled, check }))
      .catch((err) => controller.signal.aborted || setState({ rule: settled, error: asApiError(err) }));
    return () => controller.abort();
  }, [settled]);
  const current = state.rule === rule;
  return { check: current ? state.check : undefined, error: current ? state.error : undefined, checking: !current && rule.trim() !== '' };
}

export interface RuleEditorProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** The check of `value`, from useRuleCheck (the form also needs it, to refuse saving a broken rule). */
  readonly checked: ReturnType<typeof useRuleCheck>;
  readonly hint?: string;
}

export function RuleEditor({ label, value, onChange, checked, hint }: RuleEditorProps) {
  const styles = useStyles();
  const { check, error, checking } = checked;
  const textarea = useRef<HTMLTextAreaElement>(null);
  const overlay = useRef<HTMLDivElement>(null);
  const bad = check && !check.valid ? check.error : undefined;

  const follow = () => {
    if (overlay.current && textarea.current) {
      overlay.current.scrollTop = textarea.current.scrollTop;
      overlay.current.scrollLeft = textarea.current.scrollLeft;
    }
  };
  useEffect(follow, [value, bad]);
  useLayoutEffect(() => {
    const t = textarea.current;
    if (!t) return;
    t.style.height = 'auto';
    t.style.height = `${t.scrollHeight + 2}px`;
  }, [value]);

  // The range to underline, at least one character (an error at the end underlines a space after it).
  let marked: [string, string, string] | undefined;
  if (bad) {
    const start = Math.max(0, Math.min(bad.position, value.length));
    const end = Math.max(start + 1, Math.min(bad.end, value.length));
    marked = [value.slice(0, start), value.slice(start, end) || ' ', value.slice(end)];
  }

  const status = value.trim() === '' ? undefined : checking ? 'Checking…' : error ? `The rule could not be checked: ${error.message}` : check?.valid ? 'The rule syntax is valid.' : undefined;
  return (
    <Field
      label={label}
      required
      hint={hint}
      validationState={bad ? 'error' : check?.valid ? 'success' : 'none'}
      validationMessage={
        bad ? (
          <span className={styles.message} data-rule-error={`${bad.position}-${bad.end}`}>
            {bad.message}
          </span>
        ) : (
          status
        )
      }
    >
      {(fieldProps) => (
        <div className={mergeClasses(styles.frame, bad && styles.invalid)}>
          <div ref={overlay} aria-hidden="true" className={mergeClasses(styles.text, styles.overlay)} data-rule-overlay="">
            {marked ? (
              <>
                {marked[0]}
                <mark className={styles.mark} data-rule-mark="">
                  {marked[1]}
                </mark>
                {marked[2]}
              </>
            ) : (
              value
            )}
            {/* A trailing newline needs a character after it to take its line. */}
            {'\u200b'}
          </div>
          <textarea
            {...fieldProps}
            ref={textarea}
            className={mergeClasses(styles.text, styles.textarea)}
            value={value}
            spellCheck={false}
            rows={5}
            onChange={(e) => onChange(e.target.value)}
            onScroll={follow}
          />
        </div>
      )}
    </Field>
  );
}
