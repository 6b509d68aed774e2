/**
 * Typed Adaptive Card 1.5 elements, as Teams renders them, plus Teams' chart elements. Cards are
 * built from these types (never from JSON templates with string substitution).
 */

import { displayText } from '../../core/text/display-text';

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
    body: shownText(body),
    ...(actions.length ? { actions: shownText(actions) } : {}),
    ...(fallbackText ? { fallbackText: displayText(fallbackText) } : {}),
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

/** Markdown that only means something at the start of a line: lists, numbering, headings, rules. */
const LINE_START_MARKUP = /^([ \t]*)([-+=]|#+|\d{1,9}[.)])/gm;

/**
 * Card text is Markdown: names from the data are shown as written, not as emphasis, code, links,
 * lists, numbering or headings. Invisible controls and bidi overrides are removed first
 * (`displayText`), so a hidden character cannot shield the Markdown from being escaped.
 */
export function plain(value: string): string {
  return displayText(value)
    .replace(/([\\`*_[\]<>])/g, '\\$1')
    .replace(LINE_START_MARKUP, (_match, indent: string, mark: string) =>
      /^\d/.test(mark) ? `${indent}${mark.slice(0, -1)}\\${mark.slice(-1)}` : `${indent}\\${mark}`,
    );
}

/** Keys whose strings are not shown: where a link goes, element kinds and ids. */
const UNSHOWN_KEYS = new Set(['url', 'verb', 'type', 'id', '$schema', 'version']);

/**
 * Every shown string of a card without invisible controls and bidi overrides (`displayText`). An
 * action's `data` (what the button sends back, ids and queries) is left as it is; a chart's `data`
 * (its legends and labels) is shown.
 */
function shownText<T>(value: T): T {
  if (typeof value === 'string') return displayText(value) as T;
  if (Array.isArray(value)) return value.map(shownText) as T;
  if (typeof value === 'object' && value !== null) {
    const action = String((value as { type?: unknown }).type).startsWith('Action.');
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [
        key,
        UNSHOWN_KEYS.has(key) || (action && key === 'data') ? field : shownText(field),
      ]),
    ) as T;
  }
  return value;
}
