import { app } from '@microsoft/teams-js';

export type TeamsTheme = 'default' | 'dark' | 'contrast';

export interface HostContext {
  inTeams: boolean;
  theme: TeamsTheme;
}

const INIT_TIMEOUT_MS = 1500;

/** Inside Teams: initialise and follow the theme. In a plain browser the init never answers, so give up fast. */
export async function connectToHost(onThemeChange: (theme: TeamsTheme) => void): Promise<HostContext> {
  if (window.parent === window) return { inTeams: false, theme: prefersDark() ? 'dark' : 'default' };
  try {
    await Promise.race([
      app.initialize(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('not in Teams')), INIT_TIMEOUT_MS)),
    ]);
    const context = await app.getContext();
    app.registerOnThemeChangeHandler((theme) => onThemeChange(asTheme(theme)));
    return { inTeams: true, theme: asTheme(context.app.theme) };
  } catch {
    return { inTeams: false, theme: prefersDark() ? 'dark' : 'default' };
  }
}

function asTheme(theme: string | undefined): TeamsTheme {
  return theme === 'dark' || theme === 'contrast' ? theme : 'default';
}

function prefersDark(): boolean {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}
