// An API failure as a Fluent MessageBar: Graph's (or Entra's AADSTS) message and its code; the request id, to
// match the server's log, is in the code's tooltip.
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { ApiError } from '../api';

export interface ErrorBarProps {
  readonly error: ApiError | undefined;
  /** What was being done, e.g. "Could not sign in". */
  readonly title?: string;
}

export function ErrorBar({ error, title }: ErrorBarProps) {
  if (!error) return null;
  const details = [error.code, error.target && `field ${error.target}`].filter(Boolean).join(' · ');
  return (
    <MessageBar intent="error" layout="multiline" role="alert">
      <MessageBarBody>
        {title && <MessageBarTitle>{title}</MessageBarTitle>}
        {error.message}
        {details && (
          <div style={{ opacity: 0.7, fontSize: '0.9em' }} title={error.requestId ? `request-id ${error.requestId}` : undefined}>
            {details}
          </div>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}
