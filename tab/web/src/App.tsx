import {
  Badge,
  Body1,
  Caption1,
  Card,
  CardHeader,
  FluentProvider,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle2,
  Title2,
  makeStyles,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { connectToHost, type HostContext, type TeamsTheme } from './teams-context';

const themes = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

interface Health {
  status: string;
  mode: string;
  dependencies: Record<string, { status: 'up' | 'down'; latencyMs: number; error?: string }>;
}

const useStyles = makeStyles({
  page: {
    minHeight: '100vh',
    boxSizing: 'border-box',
    padding: tokens.spacingHorizontalXXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  grid: {
    display: 'grid',
    gap: tokens.spacingHorizontalL,
    gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))',
  },
});

const dependencyNames: Record<string, string> = { cosmos: 'Azure Cosmos DB', graph: 'Microsoft Graph' };

export function App() {
  const styles = useStyles();
  const [theme, setTheme] = useState<TeamsTheme>('default');
  const [host, setHost] = useState<HostContext | undefined>();
  const [health, setHealth] = useState<Health | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    void connectToHost(setTheme).then((context) => {
      setHost(context);
      setTheme(context.theme);
    });
    fetch('/api/health')
      .then(async (response) => setHealth((await response.json()) as Health))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  return (
    <FluentProvider theme={themes[theme]}>
      <main className={styles.page}>
        <Title2 as="h1">Account engagement</Title2>
        <Body1>
          Email and meeting engagement with every customer account over the last year, from Microsoft 365
          metadata only, scored 0–100 against your other accounts.
        </Body1>
        {host && !host.inTeams && (
          <MessageBar intent="info">
            <MessageBarBody>
              Running outside Teams: you are signed in as the local development identity.
            </MessageBarBody>
          </MessageBar>
        )}
        {error && (
          <MessageBar intent="error">
            <MessageBarBody>The service did not answer: {error}</MessageBarBody>
          </MessageBar>
        )}
        {!health && !error && <Spinner label="Checking the service…" />}
        {health && (
          <section aria-label="Service status" className={styles.grid}>
            {Object.entries(health.dependencies).map(([name, state]) => (
              <Card key={name}>
                <CardHeader
                  header={<Subtitle2>{dependencyNames[name] ?? name}</Subtitle2>}
                  action={
                    <Badge appearance="filled" color={state.status === 'up' ? 'success' : 'danger'}>
                      {state.status === 'up' ? 'Connected' : 'Unavailable'}
                    </Badge>
                  }
                />
                <Caption1>{state.error ?? `Answered in ${state.latencyMs} ms`}</Caption1>
              </Card>
            ))}
          </section>
        )}
      </main>
    </FluentProvider>
  );
}
