// The rule editor's check as you type: after a pause, the control API's rule check (the server's own parser
// and checker, so the editor and Graph never disagree), with the error's position; and, since the portal's
// membership type is a choice of the form, a rule about the other kind of object is refused here too.
import { useEffect, useState } from 'react';
import { asApiError, control, type ApiError } from '../../api';
import { firstPropertyOf } from './rule-syntax';

export type RuleSubject = 'user' | 'device';

export interface RuleProblem {
  readonly position: number;
  readonly end: number;
  /** Entra's short wording ("Attribute not supported."). */
  readonly detail: string;
  /** What is wrong here and how to fix it. */
  readonly hint: string;
  readonly message: string;
}

export interface RuleCheck {
  /** empty: nothing to check; checking: waiting for the pause or the answer; unavailable: the check failed. */
  readonly status: 'empty' | 'checking' | 'valid' | 'invalid' | 'unavailable';
  /** The text the result is about (while checking, the previous result is kept). */
  readonly text: string;
  readonly kind?: RuleSubject;
  readonly problem?: RuleProblem;
  readonly failure?: ApiError;
}

type CheckAnswer = { valid: true; kind: RuleSubject | null } | { valid: false; error: RuleProblem };

const PAUSE_MS = 300;
const LABEL: Record<RuleSubject, string> = { user: 'Dynamic User', device: 'Dynamic Device' };

/** Checks `rule` after each pause in typing; `subject` is the membership type chosen, when there is one. */
export function useRuleCheck(rule: string, subject?: RuleSubject): RuleCheck {
  const [result, setResult] = useState<RuleCheck>({ status: rule.trim() ? 'checking' : 'empty', text: rule });
  useEffect(() => {
    if (!rule.trim()) {
      setResult({ status: 'empty', text: rule });
      return;
    }
    setResult((r) => (r.text === rule && r.status !== 'checking' ? r : { ...r, status: 'checking' }));
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const answer = await control<CheckAnswer>('POST', '/rules/check', { rule, kind: 'membership' }, { signal: controller.signal });
        if (controller.signal.aborted) return;
        setResult(fromAnswer(rule, answer, subject));
      } catch (err) {
        if (!controller.signal.aborted) setResult({ status: 'unavailable', text: rule, failure: asApiError(err) });
      }
    }, PAUSE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [rule, subject]);
  return result;
}

function fromAnswer(rule: string, answer: CheckAnswer, subject: RuleSubject | undefined): RuleCheck {
  if (!answer.valid) return { status: 'invalid', text: rule, problem: answer.error };
  const kind = answer.kind ?? undefined;
  if (subject && kind && kind !== subject) {
    // The portal's "Invalid object type.": a user rule on a Dynamic Device group, or the other way round.
    const range = firstPropertyOf(rule, kind) ?? { position: 0, end: rule.length };
    const hint = `This rule is about ${kind}s, but the membership type is ${LABEL[subject]}: use ${subject}. properties, or choose ${LABEL[kind]}.`;
    return { status: 'invalid', text: rule, kind, problem: { ...range, detail: 'Invalid object type.', hint, message: `Invalid object type. ${hint}` } };
  }
  return { status: 'valid', text: rule, kind };
}
