// The frame of every screen: its title (also the browser tab's), a line saying what it is for, the
// screen's commands on the right, then its content.
import { useEffect, type ReactNode } from 'react';
import { Text, Title2, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXXL}`, maxWidth: '1400px' },
  header: { display: 'flex', alignItems: 'flex-start', justifyContent: 'space-between', gap: tokens.spacingHorizontalL },
  heading: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  description: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexShrink: 0 },
});

export interface PageProps {
  readonly title: string;
  readonly description?: ReactNode;
  /** Buttons and menus of the screen, shown beside the title. */
  readonly actions?: ReactNode;
  readonly children?: ReactNode;
}

export function Page({ title, description, actions, children }: PageProps) {
  const styles = useStyles();
  useEffect(() => {
    document.title = `${title} - Tarmac admin center`;
  }, [title]);
  return (
    <section className={styles.page} aria-labelledby="page-title">
      <div className={styles.header}>
        <div className={styles.heading}>
          <Title2 as="h1" id="page-title">
            {title}
          </Title2>
          {description && <Text className={styles.description}>{description}</Text>}
        </div>
        {actions && <div className={styles.actions}>{actions}</div>}
      </div>
      {children}
    </section>
  );
}
