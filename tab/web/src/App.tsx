import {
  FluentProvider,
  Spinner,
  makeStyles,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { ApiProblem, setTokenSource } from './api/client';
import { EnrichmentProvider } from './enrichment/EnrichmentProvider';
import { Shell } from './shell/Shell';
import { useGlobalStyles } from './ui/global-styles';
import { connectToHost, teamsToken, type HostContext, type TeamsTheme } from './teams-context';
import { errorMessage } from '../../../core/text/error-text';

const themes = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

const useStyles = makeStyles({
  starting: { minHeight: '100vh', paddingTop: '30vh', backgroundColor: tokens.colorNeutralBackground3 },
});

async function ssoToken(): Promise<string> {
  try {
    return await teamsToken();
  } catch (error) {
    const reason = errorMessage(error);
    throw new ApiProblem(
      401,
      'SignInFailed',
      `Teams could not sign you in to Account engagement (${reason}).`,
    );
  }
}

export function App() {
  useGlobalStyles();
  const styles = useStyles();
  const [theme, setTheme] = useState<TeamsTheme>('default');
  const [host, setHost] = useState<HostContext | undefined>();

  useEffect(() => {
    let cancelled = false;
    let connected: HostContext | undefined;
    void connectToHost((next) => {
      if (!cancelled) setTheme(next);
    }).then((context) => {
      connected = context;
      if (cancelled) {
        context.dispose();
        return;
      }
      if (context.inTeams) setTokenSource(ssoToken);
      if (context.subPageId && !window.location.hash) window.location.hash = `#/${context.subPageId}`;
      setTheme(context.theme);
      setHost(context);
    });
    return () => {
      cancelled = true;
      connected?.dispose();
    };
  }, []);

  return (
    // No class on the provider: Fluent copies it onto every portal (tooltips, menus, chart callouts).
    <FluentProvider theme={themes[theme]} data-theme={theme}>
      {host ? (
        <EnrichmentProvider>
          <Shell inTeams={host.inTeams} />
        </EnrichmentProvider>
      ) : (
        <div className={styles.starting}>
          <Spinner label="Starting Account engagement…" />
        </div>
      )}
    </FluentProvider>
  );
}
