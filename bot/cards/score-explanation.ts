import { scoreExplanationText, type CardScoreExplanation } from '../../core/results/score-explanation';
import { text, type Element } from './adaptive';

/**
 * Why the score is what it is, as the tab's card says it: the rank, the points each kind of
 * activity gave, what would raise it and how points are counted; nothing for a run from before
 * scores were explained.
 */
export function scoreExplanationSection(explanation: CardScoreExplanation | undefined): Element[] {
  if (!explanation) return [];
  const words = scoreExplanationText(explanation);
  return [
    text(words.title, { weight: 'Bolder', spacing: 'Medium', separator: true }),
    text(words.rank, { weight: 'Bolder', spacing: 'Small' }),
    text(words.meaning, { spacing: 'None' }),
    ...(words.parts.length > 0
      ? [
          {
            type: 'FactSet' as const,
            spacing: 'Small' as const,
            facts: words.parts.map((part) => ({
              title: part.label,
              value: `${part.points} points · ${part.percent}%`,
            })),
          },
        ]
      : []),
    text(words.raise, { color: 'Accent', spacing: 'Small' }),
    text(words.how, { size: 'Small', isSubtle: true, spacing: 'Small' }),
  ];
}
