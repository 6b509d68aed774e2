import assert from 'node:assert/strict';
import * as AC from 'adaptivecards';
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from '../../bot/cards/adaptive';

/** Teams' chart elements (which the adaptivecards library does not know), checked for shape. */
/** Teams' well-known chart colour names. */
const teamsColor = z.enum([
  'good',
  'warning',
  'attention',
  'neutral',
  'categoricalRed',
  'categoricalPurple',
  'categoricalLavender',
  'categoricalBlue',
  'categoricalLightBlue',
  'categoricalTeal',
  'categoricalGreen',
  'categoricalLime',
  'categoricalMarigold',
]);
const point = z.object({ x: z.string().min(1), y: z.number().finite().nonnegative() }).strict();
const chartSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('Chart.Line'),
      title: z.string().optional(),
      xAxisTitle: z.string().optional(),
      yAxisTitle: z.string().optional(),
      yMin: z.number().optional(),
      yMax: z.number().optional(),
      data: z
        .array(
          z.object({
            legend: z.string().min(1),
            color: teamsColor.optional(),
            values: z.array(point).min(1),
          }),
        )
        .min(1),
      fallback: z.object({ type: z.string() }).loose(),
    })
    .strict(),
  z
    .object({
      type: z.literal('Chart.VerticalBar'),
      title: z.string().optional(),
      xAxisTitle: z.string().optional(),
      yAxisTitle: z.string().optional(),
      color: teamsColor.optional(),
      showBarValues: z.boolean().optional(),
      data: z.array(point).min(1),
      fallback: z.object({ type: z.string() }).loose(),
    })
    .strict(),
]);

/** Teams shows cards of up to 28 KB. */
export const MAX_CARD_BYTES = 28 * 1024;

type Json = Record<string, unknown>;

function* walk(value: unknown): Generator<Json> {
  if (Array.isArray(value)) for (const item of value) yield* walk(item);
  else if (typeof value === 'object' && value !== null) {
    yield value as Json;
    for (const child of Object.values(value)) yield* walk(child);
  }
}

/**
 * Parses a card with the adaptivecards library and checks it: version 1.5, no unknown element
 * besides Teams' charts (each with a fallback the library accepts, and the right data shape), no
 * validation problems, every Action.Execute with an Action.Submit fallback, and at most 28 KB.
 * Returns the card as the library serialises it (charts replaced by their fallbacks).
 */
export function checkAdaptiveCard(json: unknown): Json {
  const bytes = Buffer.byteLength(JSON.stringify(json));
  assert.ok(bytes <= MAX_CARD_BYTES, `card of ${bytes} bytes is over Teams' 28 KB`);
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
  const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  const charts = [...walk(json)].filter(
    (node) => typeof node.type === 'string' && node.type.startsWith('Chart.'),
  );
  for (const chart of charts) chartSchema.parse(chart);
  const expected = charts.map(
    (chart) => `Unknown element type "${String(chart.type)}". Fallback will be used if present.`,
  );
  assert.deepEqual(events.sort(), expected.sort(), 'only Teams charts may be unknown to the library');
  const validation = card.validateProperties();
  assert.deepEqual(
    validation.validationEvents.map((e) => e.message),
    [],
    'the library finds no problem in the card',
  );
  assert.equal((json as Json).version, '1.5');
  for (const node of walk(json)) {
    if (node.type === 'Action.Execute') {
      assert.equal(
        (node.fallback as Json | undefined)?.type,
        'Action.Submit',
        'Action.Execute falls back to Submit',
      );
      assert.deepEqual((node.fallback as Json).data, node.data, 'the fallback submits the same data');
    }
  }
  return card.toJSON() as Json;
}

/** Every text a reader sees on a card: text blocks, facts, chart labels and action titles. */
export function cardTexts(json: unknown): string[] {
  const texts: string[] = [];
  for (const node of walk(json)) {
    if (typeof node.text === 'string') texts.push(node.text);
    if (typeof node.title === 'string') texts.push(node.title);
    if (typeof node.value === 'string' && node.type === undefined) texts.push(node.value);
  }
  return texts;
}

/** The Adaptive Card of a bot reply (the first attachment), or fails. */
export function cardOf(activity: Partial<Activity> | undefined): AdaptiveCard {
  const attachment = activity?.attachments?.[0];
  assert.equal(
    attachment?.contentType,
    ADAPTIVE_CARD_CONTENT_TYPE,
    `expected a card, got ${JSON.stringify(activity)}`,
  );
  return attachment.content as AdaptiveCard;
}
