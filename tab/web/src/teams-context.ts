export type TeamsTheme = 'default' | 'dark' | 'contrast';

export interface HostContext {
  inTeams: boolean;
  theme: TeamsTheme;
  /** A deep link's sub-page (e.g. `customers/AC-00001`), when Teams opened the tab with one. */
  subPageId?: string;
  /** Stops following the theme. */
  dispose(): void;
}

const INIT_TIMEOUT_MS = 1500;

/**
 * Inside Teams: initialise and follow Teams' theme. In a plain browser the init never answers, so
 * give up fast and follow the system's colour scheme and forced-colours (high contrast) setting.
 */
export async function connectToHost(onThemeChange: (theme: TeamsTheme) => void): Promise<HostContext> {
  if (window.parent === window) return followSystem(onThemeChange);
  try {
    // Loaded only inside a frame: outside Teams the library is not needed at all.
    const { app } = await import('@microsoft/teams-js');
    await Promise.race([
      app.initialize(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('not in Teams')), INIT_TIMEOUT_MS)),
    ]);
    const context = await app.getContext();
    app.registerOnThemeChangeHandler((theme) => onThemeChange(asTheme(theme)));
    app.notifySuccess();
    const subPageId = context.page.subPageId;
    return {
      inTeams: true,
      theme: asTheme(context.app.theme),
      ...(subPageId ? { subPageId } : {}),
      dispose: () => undefined,
    };
  } catch {
    return followSystem(onThemeChange);
  }
}

/** The Teams SSO token for this app, sent to the API as a bearer token. */
export async function teamsToken(): Promise<string> {
  const { authentication } = await import('@microsoft/teams-js');
  return authentication.getAuthToken();
}

function asTheme(theme: string | undefined): TeamsTheme {
  return theme === 'dark' || theme === 'contrast' ? theme : 'default';
}

function followSystem(onThemeChange: (theme: TeamsTheme) => void): HostContext {
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  const contrast = window.matchMedia('(forced-colors: active)');
  const current = (): TeamsTheme => (contrast.matches ? 'contrast' : dark.matches ? 'dark' : 'default');
  const changed = () => onThemeChange(current());
  dark.addEventListener('change', changed);
  contrast.addEventListener('change', changed);
  return {
    inTeams: false,
    theme: current(),
    dispose() {
      dark.removeEventListener('change', changed);
      contrast.removeEventListener('change', changed);
    },
  };
}
