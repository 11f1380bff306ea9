// Stands in for a screen that is not built yet: what it will do and the API calls it will make.
import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  calls: { margin: `${tokens.spacingVerticalS} 0 0`, paddingLeft: tokens.spacingHorizontalXL, fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
});

export interface PlaceholderProps {
  /** The Graph or control API requests the screen will be built on, e.g. "GET /beta/deviceManagement/...". */
  readonly calls: readonly string[];
}

export function Placeholder({ calls }: PlaceholderProps) {
  const styles = useStyles();
  return (
    <MessageBar intent="info" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>This screen is coming</MessageBarTitle>
        Until then, the same configuration can be made through Microsoft Graph or the control API:
        <ul className={styles.calls}>
          {calls.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}
