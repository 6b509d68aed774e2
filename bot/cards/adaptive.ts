/**
 * Typed Adaptive Card 1.5 elements, as Teams renders them, plus Teams' chart elements. Cards are
 * built from these types (never from JSON templates with string substitution).
 */

export type Spacing = 'None' | 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge';
export type TextColor = 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

interface ElementBase {
  id?: string;
  spacing?: Spacing;
  separator?: boolean;
  isVisible?: boolean;
}

export interface TextBlock extends ElementBase {
  type: 'TextBlock';
  text: string;
  size?: 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge';
  weight?: 'Lighter' | 'Default' | 'Bolder';
  color?: TextColor;
  isSubtle?: boolean;
  wrap?: boolean;
  maxLines?: number;
  horizontalAlignment?: 'Left' | 'Center' | 'Right';
}

export interface Fact {
  title: string;
  value: string;
}

export interface FactSet extends ElementBase {
  type: 'FactSet';
  facts: Fact[];
}

export interface Column {
  type: 'Column';
  width?: 'auto' | 'stretch' | number;
  verticalContentAlignment?: 'Top' | 'Center' | 'Bottom';
  items: Element[];
  selectAction?: Action;
}

export interface ColumnSet extends ElementBase {
  type: 'ColumnSet';
  columns: Column[];
  selectAction?: Action;
}

export interface Container extends ElementBase {
  type: 'Container';
  items: Element[];
  style?: ContainerStyle;
  bleed?: boolean;
  selectAction?: Action;
}

export interface ActionSet extends ElementBase {
  type: 'ActionSet';
  actions: Action[];
}

/** Teams' named chart colours (a subset). */
export type ChartColor = 'categoricalBlue' | 'categoricalMarigold' | 'categoricalTeal' | 'categoricalPurple';

export interface ChartPoint {
  x: string;
  y: number;
}

/** Teams' line chart: one series per legend entry. */
export interface LineChart extends ElementBase {
  type: 'Chart.Line';
  title?: string;
  xAxisTitle?: string;
  yAxisTitle?: string;
  yMin?: number;
  yMax?: number;
  data: { legend: string; color?: ChartColor; values: ChartPoint[] }[];
  /** What clients without Teams charts show instead. */
  fallback: Element;
}

/** Teams' vertical bar chart: one bar per point. */
export interface VerticalBarChart extends ElementBase {
  type: 'Chart.VerticalBar';
  title?: string;
  xAxisTitle?: string;
  yAxisTitle?: string;
  color?: ChartColor;
  showBarValues?: boolean;
  data: ChartPoint[];
  /** What clients without Teams charts show instead. */
  fallback: Element;
}

export type Element = TextBlock | FactSet | ColumnSet | Container | ActionSet | LineChart | VerticalBarChart;

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

/** Data every card action carries; the bot validates it with zod before acting on it. */
export type ActionData = Record<string, string | number | boolean>;

export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: ActionData;
}

/** Universal Actions (`adaptiveCard/action`), with a Submit fallback for clients without them. */
export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: ActionData;
  fallback: SubmitAction;
}

export type Action = OpenUrlAction | SubmitAction | ExecuteAction;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: '1.5';
  body: Element[];
  actions?: Action[];
  /** Read by screen readers and notifications when the card cannot be shown. */
  fallbackText?: string;
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export function adaptiveCard(body: Element[], actions: Action[] = [], fallbackText?: string): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length ? { actions } : {}),
    ...(fallbackText ? { fallbackText } : {}),
  };
}

export const text = (value: string, options: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock => ({
  type: 'TextBlock',
  text: value,
  wrap: true,
  ...options,
});

/** An Execute action whose Submit fallback sends the same data with the verb as `action`. */
export function execute(title: string, verb: string, data: ActionData): ExecuteAction {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data: { action: verb, ...data },
    fallback: { type: 'Action.Submit', title, data: { action: verb, ...data } },
  };
}

export const openUrl = (title: string, url: string): OpenUrlAction => ({
  type: 'Action.OpenUrl',
  title,
  url,
});

/** Card text is Markdown: names from the data are shown as written, not as emphasis, code or links. */
export function plain(value: string): string {
  return value.replace(/([\\`*_[\]<>])/g, '\\$1');
}
