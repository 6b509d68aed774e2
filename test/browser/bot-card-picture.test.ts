import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type {
  AdaptiveCard,
  ChartPoint,
  Element,
  LineChart,
  VerticalBarChart,
} from '../../bot/cards/adaptive';
import { customerCard } from '../../bot/cards/customer-card';
import { tabLinks } from '../../bot/cards/tab-links';
import { DEFAULT_SIGNAL_THRESHOLDS } from '../../core/engine/signals';
import { cardData, type CustomerCard, type CustomerCardData } from '../../core/results/customer-card';
import type { StoredEngagementRow } from '../../core/results/stored-rows';
import { startEnrichmentStack, type EnrichmentStack } from '../../local/enrichment-stack';
import { runDemoEnrichment } from '../support/demo-run';
import { demoTenant } from '../../local/graph-simulator';
import { ARTIFACTS_DIR } from './browser-support';

const library = path.dirname(createRequire(import.meta.url).resolve('adaptivecards/package.json'));

/** The first of a month: the card's history is 12 whole months, with no part months to footnote. */
const AS_OF = '2026-12-01T00:00:00.000Z';
/** The README's picture is 1360 × 2000 pixels: this many CSS pixels at a scale of 1.25. */
const VIEWPORT = { width: 1088, height: 1600 };
const SCALE = 1.25;
/** Teams gives a bot's card about this many CSS pixels in a chat on a laptop. */
const CARD_WIDTH = 520;

/** Teams' chart colours (light theme), as the Agents Playground draws them. */
const CHART_COLORS: Record<string, string> = {
  categoricalBlue: '#2461ca',
  categoricalMarigold: '#f3c761',
  categoricalTeal: '#00b7c3',
  categoricalPurple: '#8764b8',
};

/** Teams' light theme for Adaptive Cards (its host config), fonts as installed here. */
const TEAMS_LIGHT = {
  fontTypes: {
    default: {
      fontFamily: "'Segoe UI', 'Liberation Sans', Arial, sans-serif",
      fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
      fontWeights: { lighter: 200, default: 400, bolder: 600 },
    },
    monospace: {
      fontFamily: "'Liberation Mono', monospace",
      fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
      fontWeights: { lighter: 200, default: 400, bolder: 600 },
    },
  },
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#e1dfdd' },
  containerStyles: {
    default: {
      backgroundColor: '#ffffff',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        dark: { default: '#242424', subtle: '#616161' },
        light: { default: '#ffffff', subtle: '#f5f5f5' },
        accent: { default: '#5b5fc7', subtle: '#7f85f5' },
        good: { default: '#0e7a0b', subtle: '#13a10e' },
        warning: { default: '#bc4b09', subtle: '#da6b1a' },
        attention: { default: '#c4314b', subtle: '#d13438' },
      },
    },
  },
  factSet: {
    title: { weight: 'Bolder', size: 'Default', color: 'Default', wrap: true, maxWidth: 160 },
    value: { weight: 'Default', size: 'Default', color: 'Default', wrap: true },
    spacing: 12,
  },
  actions: { maxActions: 6, buttonSpacing: 8, actionsOrientation: 'Horizontal', actionAlignment: 'Left' },
};

const escapeXml = (value: string) =>
  value.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);

/** A y axis whose ticks are whole numbers: 0, then 4 (or 5, 2, 1) equal steps up to `max`. */
function ticks(max: number): number[] {
  const steps = [4, 5, 2, 1].find((n) => Number.isInteger(max / n)) ?? 1;
  return Array.from({ length: steps + 1 }, (_, i) => (max * i) / steps);
}

const CHART = { width: CARD_WIDTH - 32, left: 48, right: 8, top: 14, plot: 150 };

/** Axes, grid, labels and titles of a chart, with `x(i)` and `y(v)` to place its marks. */
function frame(points: ChartPoint[], max: number, xTitle: string, yTitle: string) {
  const { width, left, right, top, plot } = CHART;
  const band = (width - left - right) / points.length;
  const x = (i: number) => left + band * (i + 0.5);
  const y = (v: number) => top + plot - (v / max) * plot;
  const font = `font-family="'Segoe UI', 'Liberation Sans', Arial, sans-serif"`;
  const parts = [
    ...ticks(max).map(
      (t) =>
        `<line x1="${left}" x2="${width - right}" y1="${y(t)}" y2="${y(t)}" stroke="#e8e8e8" stroke-dasharray="${t === 0 ? '' : '4 3'}"/>` +
        `<text x="${left - 8}" y="${y(t) + 4}" text-anchor="end" font-size="11" fill="#616161" ${font}>${t}</text>`,
    ),
    ...points.map(
      (p, i) =>
        `<text x="${x(i)}" y="${top + plot + 18}" text-anchor="middle" font-size="11" fill="#616161" ${font}>${escapeXml(p.x.slice(0, 3))}</text>`,
    ),
    `<text transform="translate(12 ${top + plot / 2}) rotate(-90)" text-anchor="middle" font-size="11" font-weight="600" fill="#424242" ${font}>${escapeXml(yTitle)}</text>`,
    `<text x="${left + (width - left - right) / 2}" y="${top + plot + 40}" text-anchor="middle" font-size="11" font-weight="600" fill="#424242" ${font}>${escapeXml(xTitle)}</text>`,
  ];
  return { x, y, band, parts, font, bottom: top + plot + 40 };
}

const image = (svg: string, height: number, altText: string): Element =>
  ({
    type: 'Image',
    url: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    altText,
    width: `${CHART.width}px`,
    height: `${height}px`,
    spacing: 'Small',
  }) as unknown as Element;

/** Teams' line chart as an image: the card's series, axis titles and legend. */
function lineChart(chart: LineChart): Element {
  const points = chart.data[0]?.values ?? [];
  const max = chart.yMax ?? Math.max(1, ...chart.data.flatMap((s) => s.values.map((v) => v.y)));
  const f = frame(points, max, chart.xAxisTitle ?? '', chart.yAxisTitle ?? '');
  const lines = chart.data.map(
    (series) =>
      `<polyline fill="none" stroke="${CHART_COLORS[series.color ?? ''] ?? '#2461ca'}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round" points="${series.values.map((v, i) => `${f.x(i)},${f.y(v.y)}`).join(' ')}"/>`,
  );
  let at = CHART.left + 40;
  const legend = chart.data.map((series) => {
    const mark = `<rect x="${at}" y="${f.bottom + 16}" width="10" height="10" fill="${CHART_COLORS[series.color ?? ''] ?? '#2461ca'}"/><text x="${at + 15}" y="${f.bottom + 25}" font-size="11" fill="#424242" ${f.font}>${escapeXml(series.legend)}</text>`;
    at += 36 + series.legend.length * 6.2;
    return mark;
  });
  const height = f.bottom + 34;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART.width}" height="${height}" viewBox="0 0 ${CHART.width} ${height}">${[...f.parts, ...lines, ...legend].join('')}</svg>`;
  return image(svg, height, `${chart.yAxisTitle ?? ''} chart`);
}

/** Teams' vertical bar chart as an image, each bar's value above it. */
function barChart(chart: VerticalBarChart): Element {
  const max = chart.data.length ? Math.max(1, ...chart.data.map((p) => p.y)) : 1;
  const top = ticks(max).length > 1 ? max : 1;
  const f = frame(chart.data, top, chart.xAxisTitle ?? '', chart.yAxisTitle ?? '');
  const color = CHART_COLORS[chart.color ?? ''] ?? '#00b7c3';
  const bars = chart.data.map((p, i) => {
    const w = f.band * 0.62;
    const value = chart.showBarValues
      ? `<text x="${f.x(i)}" y="${f.y(p.y) - 5}" text-anchor="middle" font-size="11" font-weight="600" fill="#242424" ${f.font}>${p.y}</text>`
      : '';
    return `<rect x="${f.x(i) - w / 2}" y="${f.y(p.y)}" width="${w}" height="${f.y(0) - f.y(p.y)}" fill="${color}"/>${value}`;
  });
  const height = f.bottom + 10;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART.width}" height="${height}" viewBox="0 0 ${CHART.width} ${height}">${[...f.parts, ...bars].join('')}</svg>`;
  return image(svg, height, `${chart.yAxisTitle ?? ''} chart`);
}

/** The card with its charts drawn as Teams draws them (the adaptivecards library has no charts). */
function withCharts(card: AdaptiveCard): AdaptiveCard {
  return {
    ...card,
    body: card.body.map((element) =>
      element.type === 'Chart.Line'
        ? lineChart(element)
        : element.type === 'Chart.VerticalBar'
          ? barChart(element)
          : element,
    ),
  };
}

/** Other chats in the list beside the bot's: colleagues of the demo tenant. */
interface ListedChat {
  name: string;
  preview: string;
  time: string;
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();

/**
 * A Teams-like chat in the light theme: app bar, chat list, the bot's chat with the seller's
 * question and the bot's card, a compose box.
 */
function chatPage(question: string, me: string, preview: string, others: readonly ListedChat[]): string {
  const icon = (label: string, shape: string, selected = false) =>
    `<div class="app${selected ? ' on' : ''}"><svg width="22" height="22" viewBox="0 0 20 20" fill="${selected ? '#e8ebfa' : 'none'}" stroke="currentColor" stroke-width="1.4" stroke-linejoin="round" stroke-linecap="round">${shape}</svg><div>${label}</div></div>`;
  return `<!doctype html><html><head><style>
  * { box-sizing: border-box; }
  body { margin: 0; width: ${VIEWPORT.width}px; height: ${VIEWPORT.height}px; overflow: hidden; background: #f5f5f5;
    font-family: 'Segoe UI', 'Liberation Sans', Arial, sans-serif; color: #242424; }
  .top { height: 44px; background: #ebebeb; display: flex; align-items: center; padding: 0 12px; gap: 12px; }
  .search { flex: 1; max-width: 420px; margin: 0 auto; height: 30px; border-radius: 4px; background: #fff;
    color: #616161; font-size: 13px; display: flex; align-items: center; padding: 0 12px; }
  .me { width: 30px; height: 30px; border-radius: 50%; background: #ead6f5; color: #5c2e91; font-size: 12px;
    font-weight: 600; display: flex; align-items: center; justify-content: center; }
  .main { display: flex; height: ${VIEWPORT.height - 44}px; }
  .list { width: 296px; flex: none; background: #fafafa; border-right: 1px solid #e0e0e0; }
  .list h1 { font-size: 18px; font-weight: 700; margin: 0; padding: 16px 16px 12px; }
  .item { display: flex; gap: 10px; align-items: center; padding: 9px 16px; }
  .item.on { background: #fff; box-shadow: inset 0 0 0 1px #e0e0e0; }
  .item .who { flex: 1; min-width: 0; }
  .item .line { display: flex; justify-content: space-between; font-size: 14px; }
  .item .line span:last-child { font-size: 12px; color: #616161; }
  .item .preview { font-size: 12px; color: #616161; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .person { width: 32px; height: 32px; border-radius: 50%; background: #e0e0e0; color: #424242; font-size: 12px;
    font-weight: 600; display: flex; align-items: center; justify-content: center; flex: none; }
  .rail { width: 64px; background: #ebebeb; padding-top: 8px; }
  .app { height: 56px; display: flex; flex-direction: column; align-items: center; justify-content: center;
    font-size: 10px; color: #616161; gap: 4px; border-left: 3px solid transparent; }
  .app.on { color: #5b5fc7; border-left-color: #5b5fc7; font-weight: 600; }
  .chat { flex: 1; display: flex; flex-direction: column; background: #f5f5f5; border-top-left-radius: 6px; overflow: hidden; }
  .head { height: 56px; background: #fff; display: flex; align-items: center; gap: 10px; padding: 0 20px;
    border-bottom: 1px solid #e0e0e0; flex: none; }
  .bot { width: 32px; height: 32px; border-radius: 50%; background: #5b5fc7; color: #fff; font-size: 12px;
    font-weight: 600; display: flex; align-items: center; justify-content: center; flex: none; }
  .name { font-weight: 600; font-size: 16px; }
  .tab { margin-left: 12px; font-size: 14px; font-weight: 600; padding: 17px 2px 15px; border-bottom: 3px solid #5b5fc7; }
  .messages { flex: 1; overflow: hidden; padding: 16px 28px 8px; }
  .mine { display: flex; flex-direction: column; align-items: flex-end; margin-bottom: 14px; }
  .meta { font-size: 12px; color: #616161; margin-bottom: 4px; }
  .bubble { background: #e8ebfa; border-radius: 6px; padding: 8px 14px; font-size: 14px; }
  .theirs { display: flex; gap: 10px; align-items: flex-start; }
  .theirs .bot { margin-top: 20px; }
  .card { width: ${CARD_WIDTH}px; background: #fff; border-radius: 6px; box-shadow: 0 1px 2px rgba(0,0,0,.14), 0 0 2px rgba(0,0,0,.12); overflow: hidden; }
  .compose { flex: none; margin: 0 28px 16px; height: 44px; background: #fff; border-radius: 4px;
    border-bottom: 2px solid #5b5fc7; display: flex; align-items: center; padding: 0 14px; font-size: 14px; color: #616161;
    box-shadow: 0 1px 2px rgba(0,0,0,.1); }
  .ac-pushButton { background: #fff !important; color: #242424 !important; border: 1px solid #d1d1d1 !important;
    border-radius: 4px !important; font-weight: 600 !important; font-size: 14px !important; padding: 5px 12px !important; }
  .ac-textBlock strong { font-weight: 600; }
  .ac-factset td { padding-top: 2px !important; padding-bottom: 2px !important; }
  </style></head><body>
  <div class="top"><div class="search">Search</div><div class="me">${escapeXml(initials(me))}</div></div>
  <div class="main">
    <div class="rail">${[
      icon(
        'Activity',
        '<path d="M10 3a5 5 0 0 0-5 5v3l-1.5 3h13L15 11V8a5 5 0 0 0-5-5z"/><path d="M8 16.5a2 2 0 0 0 4 0"/>',
      ),
      icon(
        'Chat',
        '<path d="M4 4h12a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H8l-4 3v-3a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z"/>',
        true,
      ),
      icon(
        'Teams',
        '<circle cx="7.5" cy="7" r="2.5"/><circle cx="14" cy="7.5" r="2"/><path d="M3 16c0-2.5 2-4 4.5-4s4.5 1.5 4.5 4M13 12.2c2.5-.4 4.5 1 4.5 3.3"/>',
      ),
      icon(
        'Calendar',
        '<rect x="3" y="4" width="14" height="13" rx="2"/><path d="M3 8h14M7 2.5v3M13 2.5v3"/>',
      ),
      icon(
        'Apps',
        '<rect x="3" y="3" width="5.5" height="5.5" rx="1"/><rect x="11.5" y="3" width="5.5" height="5.5" rx="1"/><rect x="3" y="11.5" width="5.5" height="5.5" rx="1"/><rect x="11.5" y="11.5" width="5.5" height="5.5" rx="1"/>',
      ),
    ].join('')}</div>
    <div class="list"><h1>Chat</h1>
      <div class="item on"><div class="bot">AE</div><div class="who"><div class="line"><span>Account engagement</span><span>9:02 AM</span></div><div class="preview">${escapeXml(preview)}</div></div></div>
      ${others
        .map(
          (chat) =>
            `<div class="item"><div class="person">${escapeXml(initials(chat.name))}</div><div class="who"><div class="line"><span>${escapeXml(chat.name)}</span><span>${escapeXml(chat.time)}</span></div><div class="preview">${escapeXml(chat.preview)}</div></div></div>`,
        )
        .join('')}
    </div>
    <div class="chat">
      <div class="head"><div class="bot">AE</div><div class="name">Account engagement</div><div class="tab">Chat</div></div>
      <div class="messages" id="messages">
        <div class="mine"><div class="meta">9:02 AM</div><div class="bubble">${escapeXml(question)}</div></div>
        <div class="theirs"><div class="bot">AE</div><div><div class="meta">Account engagement&nbsp;&nbsp;9:02 AM</div><div class="card" id="card"></div></div></div>
      </div>
      <div class="compose">Type a message</div>
    </div>
  </div>
  </body></html>`;
}

/**
 * The README's picture of the bot (docs/screenshots/bot-customer-card.png is a copy of
 * test-artifacts/bot-customer-card.png): the card the bot answers "engagement for …?" with, for the
 * demo tenant's best-scored account that stopped answering, built from a run of the demo enrichment
 * as the bot builds it, rendered by the adaptivecards library in Chromium inside a Teams-like light
 * chat. Teams draws the card's charts itself and the library does not, so they are drawn as images.
 */
describe('the bot card picture in the README', function () {
  this.timeout(120_000);
  let stack: EnrichmentStack;
  let browser: Browser;
  let page: Page;
  let data: CustomerCardData;
  /** The account's owner, who asks, and three other sellers with chats of their own. */
  let owner = '';
  let colleagues: string[] = [];

  before(async () => {
    const tenant = demoTenant({ asOf: AS_OF });
    stack = await startEnrichmentStack({ tenant: tenant.source });
    const outcome = await runDemoEnrichment(stack, tenant, { runId: 'readme', asOf: Date.parse(AS_OF) });
    const years = await stack.results.visibleRows<StoredEngagementRow>('Office', { level: 'Year' });
    const [shown] = years
      .filter((row) => (row.Signals ?? []).includes('Unanswered'))
      .sort(
        (a, b) =>
          (b.Signals?.length ?? 0) - (a.Signals?.length ?? 0) || b.EngagementScore - a.EngagementScore,
      );
    assert.ok(shown, 'the demo tenant has an Unanswered account');
    const card = await stack.results.readCard<CustomerCard>('Office', outcome.visible.runId, shown.AccountId);
    assert.ok(card);
    data = cardData(card, { enrichmentId: 'demo-sales-engagement', runId: 'readme', asOf: AS_OF }, 'Month');
    const ownerEmail = tenant.customers.accounts.find((a) => a.AccountId === shown.AccountId)?.OwnerEmail;
    owner = tenant.sellers.find((s) => s.mail === ownerEmail)?.displayName ?? '';
    colleagues = tenant.sellers
      .filter((s) => s.mail !== ownerEmail)
      .slice(0, 3)
      .map((s) => s.displayName ?? '');

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: SCALE });
  });
  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows the card with its risk signals and why it scores what it does, whole, in a 1360 × 2000 picture', async () => {
    const name = data.year.AccountName;
    const card = customerCard(data, tabLinks({ tabUrl: () => 'http://localhost:3978/tab/' }), {
      thresholds: DEFAULT_SIGNAL_THRESHOLDS,
    });
    const [first = '', second = '', third = ''] = colleagues;
    await page.setContent(
      chatPage(`engagement for ${name}?`, owner, 'Sent a card', [
        { name: first, preview: 'Are you free for the pipeline review?', time: 'Yesterday' },
        { name: second, preview: 'Thanks, I sent them the renewal figures', time: 'Mon' },
        { name: third, preview: 'See you at the kickoff', time: '27/11' },
      ]),
    );
    await page.addStyleTag({ path: path.join(library, 'dist', 'adaptivecards.css') });
    await page.addScriptTag({ path: path.join(library, 'dist', 'adaptivecards.js') });
    const shown = await page.evaluate(
      async ({ json, hostConfig }) => {
        const AC = (window as unknown as { AdaptiveCards: typeof import('adaptivecards') }).AdaptiveCards;
        AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
          const html = text
            .replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c)
            .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
            .replace(/\\(.)/g, '$1');
          result.outputHtml = `<p>${html}</p>`;
          result.didProcess = true;
        };
        const adaptive = new AC.AdaptiveCard();
        adaptive.hostConfig = new AC.HostConfig(hostConfig);
        adaptive.parse(json);
        const element = adaptive.render();
        const box = document.getElementById('card');
        if (element && box) box.appendChild(element);
        await Promise.all([...document.images].map((img) => img.decode()));
        const messages = document.getElementById('messages');
        const widest = Math.max(
          ...[...(box?.querySelectorAll('*') ?? [])].map((e) => e.getBoundingClientRect().right),
        );
        return {
          text: box?.innerText ?? '',
          buttons: [...(box?.querySelectorAll('button') ?? [])].map((b) => b.innerText.trim()),
          charts: box?.querySelectorAll('img').length ?? 0,
          cutOff: messages ? messages.scrollHeight - messages.clientHeight : -1,
          overflow: Math.round(widest - (box?.getBoundingClientRect().right ?? 0)),
        };
      },
      { json: withCharts(card) as unknown as Record<string, unknown>, hostConfig: TEAMS_LIGHT },
    );
    assert.match(shown.text, new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(shown.text, /Risk signals\s+⚠ Unanswered: 3 or more emails to them in 30 days/);
    assert.match(
      shown.text,
      new RegExp(`Why ${data.year.EngagementScore}\\?\\s+Ranks \\d+\\w\\w of \\d+ active accounts`),
    );
    assert.match(shown.text, /Emails, by month, last 12 months/);
    assert.equal(shown.charts, 2, 'the emails and meetings charts');
    assert.deepEqual(shown.buttons, ['Open full card', 'By week', 'Refresh']);
    assert.ok(shown.cutOff <= 0, `the card is cut off by ${shown.cutOff} px`);
    assert.ok(shown.overflow <= 0, `the card's content is ${shown.overflow} px wider than the card`);

    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const file = path.join(ARTIFACTS_DIR, 'bot-customer-card.png');
    const png = await page.screenshot({ path: file });
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1360, 2000]);
  });
});
