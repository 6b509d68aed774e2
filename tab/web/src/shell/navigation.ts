import {
  AlertFilled,
  AlertRegular,
  BuildingMultipleFilled,
  BuildingMultipleRegular,
  DataTrendingFilled,
  DataTrendingRegular,
  FilterFilled,
  FilterRegular,
  HistoryFilled,
  HistoryRegular,
  HomeFilled,
  HomeRegular,
  MailFilled,
  MailRegular,
  SettingsFilled,
  SettingsRegular,
  ShieldCheckmarkFilled,
  ShieldCheckmarkRegular,
  WandFilled,
  WandRegular,
  bundleIcon,
  type FluentIcon,
} from '@fluentui/react-icons';
import type { Screen } from '../router';

export interface NavEntry {
  screen: Screen;
  label: string;
  icon: FluentIcon;
}

export const NAV_ENTRIES: readonly NavEntry[] = [
  { screen: 'overview', label: 'Overview', icon: bundleIcon(HomeFilled, HomeRegular) },
  { screen: 'setup', label: 'Set up', icon: bundleIcon(WandFilled, WandRegular) },
  { screen: 'consent', label: 'Consent', icon: bundleIcon(ShieldCheckmarkFilled, ShieldCheckmarkRegular) },
  { screen: 'runs', label: 'Runs', icon: bundleIcon(HistoryFilled, HistoryRegular) },
  { screen: 'mailboxes', label: 'Mailboxes', icon: bundleIcon(MailFilled, MailRegular) },
  { screen: 'results', label: 'Results', icon: bundleIcon(DataTrendingFilled, DataTrendingRegular) },
  {
    screen: 'customers',
    label: 'Customers',
    icon: bundleIcon(BuildingMultipleFilled, BuildingMultipleRegular),
  },
  { screen: 'segments', label: 'Segments', icon: bundleIcon(FilterFilled, FilterRegular) },
  { screen: 'alerts', label: 'Alerts', icon: bundleIcon(AlertFilled, AlertRegular) },
  { screen: 'settings', label: 'Settings', icon: bundleIcon(SettingsFilled, SettingsRegular) },
];
