import { loadSettings, type LocalSettings } from '../../core/config/settings';
import { tempDir } from './temp-dir';

/** Local-mode settings on ephemeral ports with a fresh data folder (removed by `cleanup`). */
export function testLocalSettings(overrides: Record<string, string> = {}): {
  settings: LocalSettings;
  cleanup(): void;
} {
  const data = tempDir('stack');
  const settings = loadSettings({
    env: {
      APP_MODE: 'local',
      PORT: '0',
      COSMOS_PORT: '0',
      GRAPH_SIMULATOR_PORT: '0',
      PLAYGROUND_PORT: '0',
      LOCAL_DATA_DIR: data.path,
      ...overrides,
    },
    envDir: data.path,
  });
  if (settings.APP_MODE !== 'local') throw new Error('expected local settings');
  return { settings, cleanup: data.cleanup };
}
