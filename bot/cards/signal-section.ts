import type { SignalLabel } from '../../core/results/signal-labels';
import { text, type Element } from './adaptive';

/**
 * The account's true risk signals, one line each with its meaning ("**Unanswered**: 3 or more
 * emails to them in 30 days, no reply"); nothing when none is true.
 */
export function signalSection(labels: readonly SignalLabel[]): Element[] {
  if (!labels.length) return [];
  return [
    text('Risk signals', { weight: 'Bolder', spacing: 'Medium', separator: true }),
    ...labels.map((label) =>
      text(`⚠ **${label.name}**: ${label.meaning}`, { color: 'Attention', wrap: true, spacing: 'Small' }),
    ),
  ];
}
