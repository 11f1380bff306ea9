// Small pieces the directory's forms share: a field's message shown once the field was touched or the form
// submitted (as the portal does), and Fluent Field props for a message.
import { useState } from 'react';

/** Which fields to show problems for: those left once, or all after a submit. */
export function useTouched() {
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  return {
    touch: (name: string) => setTouched((t) => (t.has(name) ? t : new Set([...t, name]))),
    submit: () => setSubmitted(true),
    reset: () => {
      setTouched(new Set());
      setSubmitted(false);
    },
    /** The problem to show for a field, or undefined. */
    show: (name: string, problem: string | undefined) => (submitted || touched.has(name) ? problem : undefined),
  };
}

/** Fluent Field props for a problem: the message and the error state. */
export function validation(problem: string | undefined): { validationMessage?: string; validationState?: 'error' } {
  return problem ? { validationMessage: problem, validationState: 'error' } : {};
}

/**
 * Counts the openings of a dialog, for a `key` that gives each opening a fresh form. The dialog itself stays
 * mounted (Fluent's modal bookkeeping, which hides the rest of the page, is undone only when a dialog closes,
 * not when it disappears).
 */
export function useOpenings(open: boolean): number {
  const [count, setCount] = useState(open ? 1 : 0);
  const [wasOpen, setWasOpen] = useState(open);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) setCount((c) => c + 1);
  }
  return count;
}
