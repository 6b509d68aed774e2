import { lazy, type ComponentType } from 'react';
import type { Route, Screen } from '../router';

export interface ScreenProps {
  route: Route;
}

const screens: Record<Screen, ComponentType<ScreenProps>> = {
  overview: lazy(() => import('../screens/OverviewScreen').then((m) => ({ default: m.OverviewScreen }))),
  setup: lazy(() => import('../wizard/SetupWizard').then((m) => ({ default: m.SetupWizard }))),
  consent: lazy(() => import('../screens/ConsentScreen').then((m) => ({ default: m.ConsentScreen }))),
  runs: lazy(() => import('../screens/runs/RunsScreen').then((m) => ({ default: m.RunsScreen }))),
  mailboxes: lazy(() =>
    import('../screens/mailboxes/MailboxesScreen').then((m) => ({ default: m.MailboxesScreen })),
  ),
  results: lazy(() => import('../screens/results/ResultsScreen').then((m) => ({ default: m.ResultsScreen }))),
  customers: lazy(() =>
    import('../screens/customers/CustomersScreen').then((m) => ({ default: m.CustomersScreen })),
  ),
  segments: lazy(() =>
    import('../screens/segments/SegmentsScreen').then((m) => ({ default: m.SegmentsScreen })),
  ),
  alerts: lazy(() => import('../screens/alerts/AlertsScreen').then((m) => ({ default: m.AlertsScreen }))),
  settings: lazy(() => import('../screens/SettingsScreen').then((m) => ({ default: m.SettingsScreen }))),
};

export function ScreenView(props: ScreenProps) {
  const View = screens[props.route.screen];
  return <View route={props.route} />;
}
