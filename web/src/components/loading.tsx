// What a screen shows before its first answer.
import { Spinner } from '@fluentui/react-components';

export function Loading({ label = 'Loading…' }: { readonly label?: string }) {
  return <Spinner size="small" label={label} labelPosition="after" style={{ justifyContent: 'flex-start', padding: '16px 0' }} />;
}
