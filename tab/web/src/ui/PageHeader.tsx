import { Body1, makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import { useEffect, useRef, type ReactNode } from 'react';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
  },
  text: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    minWidth: 0,
    flex: '1 1 260px',
  },
  title: {
    ...typographyStyles.title2,
    margin: 0,
    // Focused only by code after a navigation, for screen readers; a ring would look like a control.
    outline: 'none',
  },
  description: { color: tokens.colorNeutralForeground2, maxWidth: '72ch' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

let focusPending = false;

/** After an in-app navigation the next page title takes the focus, so screen readers announce the new page. */
export function focusNextPageTitle(): void {
  focusPending = true;
}

export function PageHeader(props: { title: string; description?: ReactNode; actions?: ReactNode }) {
  const styles = useStyles();
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!focusPending) return;
    focusPending = false;
    title.current?.focus();
  }, []);
  useEffect(() => {
    document.title = `${props.title} · Account engagement`;
  }, [props.title]);
  return (
    <header className={styles.header}>
      <div className={styles.text}>
        <h1 id="page-title" tabIndex={-1} ref={title} className={styles.title}>
          {props.title}
        </h1>
        {props.description && <Body1 className={styles.description}>{props.description}</Body1>}
      </div>
      {props.actions && <div className={styles.actions}>{props.actions}</div>}
    </header>
  );
}
