import {
  Hamburger,
  MessageBar,
  MessageBarBody,
  NavDrawer,
  NavDrawerBody,
  NavDrawerHeader,
  NavItem,
  Spinner,
  Subtitle2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { Suspense, useEffect, useRef, useState } from 'react';
import { useRoute } from '../router';
import { hrefOf } from '../router';
import { focusNextPageTitle } from '../ui/PageHeader';
import { useMediaQuery } from '../ui/use-media-query';
import { NAV_ENTRIES } from './navigation';
import { ScreenView } from './ScreenView';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    minHeight: '100vh',
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground1,
  },
  drawer: { position: 'sticky', top: 0, height: '100vh', width: '260px', minWidth: '260px' },
  column: { flex: '1 1 auto', minWidth: 0, display: 'flex', flexDirection: 'column' },
  topBar: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    position: 'sticky',
    top: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  main: {
    width: '100%',
    boxSizing: 'border-box',
    maxWidth: '1200px',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXXL}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
  },
  mainNarrow: { padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}` },
  appName: { padding: `0 ${tokens.spacingHorizontalS}` },
});

/** The tab's frame: navigation (a rail when wide, an overlay when narrow), the local-identity banner and the screen. */
export function Shell(props: { inTeams: boolean }) {
  const styles = useStyles();
  const route = useRoute();
  const wide = useMediaQuery('(min-width: 760px)');
  const [navOpen, setNavOpen] = useState(false);
  const firstScreen = useRef(true);

  useEffect(() => {
    if (firstScreen.current) {
      firstScreen.current = false;
      return;
    }
    focusNextPageTitle();
    setNavOpen(false);
  }, [route.screen, route.accountId]);

  const selected = route.screen;
  return (
    <div className={styles.root}>
      <NavDrawer
        className={styles.drawer}
        open={wide || navOpen}
        type={wide ? 'inline' : 'overlay'}
        selectedValue={selected}
        onOpenChange={(_, data) => setNavOpen(data.open)}
        aria-label="Account engagement"
      >
        <NavDrawerHeader>
          {!wide && <Hamburger onClick={() => setNavOpen(false)} aria-label="Close navigation" />}
          <Subtitle2 className={styles.appName}>Account engagement</Subtitle2>
        </NavDrawerHeader>
        <NavDrawerBody>
          {NAV_ENTRIES.map((entry) => (
            <NavItem
              key={entry.screen}
              href={hrefOf(entry.screen)}
              value={entry.screen}
              icon={<entry.icon />}
            >
              {entry.label}
            </NavItem>
          ))}
        </NavDrawerBody>
      </NavDrawer>
      <div className={styles.column}>
        {!wide && (
          <div className={styles.topBar}>
            <Hamburger
              onClick={() => setNavOpen(true)}
              aria-label="Open navigation"
              aria-expanded={navOpen}
            />
            <Subtitle2>Account engagement</Subtitle2>
          </div>
        )}
        <main className={mergeClasses(styles.main, !wide && styles.mainNarrow)} aria-labelledby="page-title">
          {!props.inTeams && (
            <MessageBar intent="info" data-testid="local-identity-banner">
              <MessageBarBody>Running outside Teams: the local development identity is used.</MessageBarBody>
            </MessageBar>
          )}
          <Suspense fallback={<Spinner label="Loading…" />}>
            <ScreenView route={route} />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
