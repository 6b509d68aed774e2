import assert from 'node:assert/strict';
import type { AdaptiveCard } from '../../bot/cards/adaptive';
import { AlertStore, type StaleAlert } from '../../core/store/alert-store';
import type { Containers } from '../../core/store/containers';
import { FakeConnector } from '../../local/fake-connector';
import { cardTexts } from '../support/adaptive-cards';
import { appContainers, tenantOf } from '../support/enrichment-fixture';
import { pendingAlert } from '../support/pending-alert';
import { startTestApp, type TestApp } from '../support/test-app';
import { ADMIN_SIGHTING_MS, AdminRepository } from '../../core/store/admin-repository';
import { ssoClaims, startProductionServer, type ProductionServer } from '../support/production-server';
import { startTokenIssuer, type TokenIssuer } from '../support/token-issuer';

const BOT = { id: '28:account-engagement', name: 'Account engagement' };
const GAIL = { id: '29:gail', aadObjectId: '7d1c3a52-0b7e-4a55-9d2f-6f1f0c2a9b11', name: 'Gail Ortiz' };
const GAIL_EMAIL = 'gail.ortiz@fabrikam.com';
const HAL = { id: '29:hal', aadObjectId: '0b2d4f61-3c5e-4a77-8e9f-1a2b3c4d5e6f', name: 'Hal Moreno' };
const HAL_EMAIL = 'hal.moreno@fabrikam.com';
/** Teams cannot say who this is: no member lookup answers, no stored chat, not a tracked user. */
const NOBODY = { id: '29:nobody', aadObjectId: 'f0f0f0f0-0000-4000-8000-000000000000', name: 'Gail Ortiz' };
const OTHER_TENANT = '11111111-2222-4333-8444-555555555555';

let counter = 0;

describe('bot authorisation of alert actions', () => {
  let app: TestApp;
  let containers: Containers;
  let tenantId: string;
  let connector: FakeConnector;
  let store: AlertStore;

  before(async () => {
    app = await startTestApp({}, { bot: { sender: { log: () => undefined } } });
    containers = await appContainers(app);
    tenantId = tenantOf(app);
    store = new AlertStore(containers.alerts, tenantId);
    connector = await new FakeConnector().start();
    connector.members.set(GAIL.id, { ...GAIL, email: GAIL_EMAIL });
    connector.members.set(HAL.id, { ...HAL, email: HAL_EMAIL });
  });
  after(async () => {
    await connector?.close();
    await app?.close();
  });

  async function gailsAlert(): Promise<StaleAlert> {
    const accountId = `AC-${String(90_000 + ++counter)}`;
    const alert = pendingAlert(GAIL_EMAIL, {
      alertId: `auth-${accountId}`,
      accountId,
      createdAt: new Date(Date.parse('2026-03-02T08:00:00Z') + counter).toISOString(),
    });
    await store.createAlerts([alert]);
    return alert;
  }

  const stored = async (alert: StaleAlert, inStore = store) =>
    (await inStore.read('alert', inStore.alertDocumentId(alert.alertId)))?.value;
  const snoozeOf = async (alert: StaleAlert) =>
    (await store.read('snooze', store.idOf('snooze', alert.enrichmentId, alert.accountId)))?.value;

  /** The `adaptiveCard/action` invoke Teams posts when `from` presses a button of the alert card. */
  async function press(
    verb: string,
    data: Record<string, unknown>,
    from: { id: string; aadObjectId?: string; name: string },
    tenant = tenantId,
  ): Promise<{ status: number; card: AdaptiveCard; texts: string[] }> {
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: `press-${++counter}`,
        channelId: 'msteams',
        serviceUrl: connector.url,
        from,
        recipient: BOT,
        conversation: { id: `a:${from.id}`, conversationType: 'personal', tenantId: tenant },
        channelData: { tenant: { id: tenant } },
        value: { action: { type: 'Action.Execute', verb, data } },
      }),
    });
    const body = (await response.json()) as { statusCode: number; value: AdaptiveCard };
    assert.equal(body.statusCode, 200, JSON.stringify(body).slice(0, 200));
    return { status: response.status, card: body.value, texts: cardTexts(body.value) };
  }

  const about = (alert: StaleAlert) => ({
    action: 'snooze',
    alertId: alert.alertId,
    enrichmentId: alert.enrichmentId,
    accountId: alert.accountId,
  });

  async function assertUntouched(alert: StaleAlert) {
    const now = await stored(alert);
    assert.equal(now?.status, 'open');
    assert.equal(now?.closedBy, null);
    assert.equal(await snoozeOf(alert), undefined, 'no snooze written');
  }

  it('lets the owner snooze their alert, recording them as who closed it', async () => {
    const alert = await gailsAlert();
    const { status, texts } = await press('snooze', about(alert), GAIL);
    assert.equal(status, 200);
    assert.ok(
      texts.some((t) => t.startsWith('Snoozed until')),
      texts.join(' | '),
    );
    const now = await stored(alert);
    assert.equal(now?.status, 'snoozed');
    assert.equal(now?.closedBy, GAIL_EMAIL);
    assert.equal((await snoozeOf(alert))?.snoozedBy, GAIL_EMAIL);
  });

  it('lets the owner say the account is not theirs', async () => {
    const alert = await gailsAlert();
    const { texts } = await press('decline', about(alert), GAIL);
    assert.ok(
      texts.some((t) => t.startsWith("Noted: it's not your account")),
      texts.join(' | '),
    );
    const now = await stored(alert);
    assert.equal(now?.status, 'declined');
    assert.equal(now?.closedBy, GAIL_EMAIL);
  });

  it('refuses another seller of the same tenant, for snooze and for "not mine"', async () => {
    const alert = await gailsAlert();
    for (const verb of ['snooze', 'decline']) {
      const { texts } = await press(verb, about(alert), HAL);
      const expected = verb === 'snooze' ? 'snooze this alert' : 'mark this account as not theirs';
      assert.equal(texts[0], `Only ${GAIL_EMAIL} or an Account engagement admin can ${expected}.`);
    }
    await assertUntouched(alert);
  });

  it('refuses a presser the bot cannot identify, even one who gives the owner’s name', async () => {
    const alert = await gailsAlert();
    const { texts } = await press('snooze', about(alert), NOBODY);
    assert.equal(texts[0], `Only ${GAIL_EMAIL} or an Account engagement admin can snooze this alert.`);
    assert.match(texts.join(' '), /could not tell who you are/);
    await assertUntouched(alert);
  });

  it('takes the presser from the activity, never from the card data', async () => {
    const alert = await gailsAlert();
    const forged = { ...about(alert), by: GAIL_EMAIL, email: GAIL_EMAIL, userId: GAIL.aadObjectId };
    const { texts } = await press('snooze', forged, HAL);
    assert.equal(texts[0], `Only ${GAIL_EMAIL} or an Account engagement admin can snooze this alert.`);
    await assertUntouched(alert);
  });

  it('refuses the Submit fallback of another seller as well', async () => {
    const alert = await gailsAlert();
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `submit-${++counter}`,
        channelId: 'msteams',
        serviceUrl: connector.url,
        from: HAL,
        recipient: BOT,
        conversation: { id: 'a:hal-submit', conversationType: 'personal', tenantId },
        channelData: { tenant: { id: tenantId } },
        value: about(alert),
      }),
    });
    assert.ok(response.ok, `the bot took the message (${response.status})`);
    const reply = connector.received.filter((r) => r.conversationId === 'a:hal-submit').at(-1);
    assert.match(JSON.stringify(reply?.activity.attachments), /can snooze this alert/);
    await assertUntouched(alert);
  });

  it('refuses a press from another tenant: the alert is not found in that tenant', async () => {
    const alert = await gailsAlert();
    const { texts } = await press('snooze', about(alert), GAIL, OTHER_TENANT);
    assert.equal(texts[0], 'This alert no longer exists.');
    await assertUntouched(alert);
    assert.equal(await stored(alert, new AlertStore(containers.alerts, OTHER_TENANT)), undefined);
  });

  describe("an admin of the tenant, known from the tab's verified token", () => {
    let issuer: TokenIssuer;
    let tab: ProductionServer;

    before(async () => {
      issuer = await startTokenIssuer();
      tab = await startProductionServer(app.stack, {
        TEAMS_SSO_JWKS_URL: issuer.jwksUrl,
        TEAMS_SSO_ALLOWED_TENANTS: tenantId,
      });
    });
    after(async () => {
      await tab?.close();
      await issuer?.close();
    });

    /** Hal opens the tab: a request with a verified Teams SSO token, with or without the admin role. */
    async function halOpensTheTab(admin: boolean) {
      const token = await issuer.sign(
        ssoClaims(tenantId, {
          oid: HAL.aadObjectId,
          preferred_username: HAL_EMAIL,
          ...(admin ? { roles: ['EngagementAdmin'] } : {}),
        }),
      );
      const answer = await fetch(`${tab.url}/api/enrichments`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(answer.status, admin ? 200 : 403);
    }

    it('refuses a seller whose tab token has no admin role', async () => {
      await halOpensTheTab(false);
      const alert = await gailsAlert();
      const { texts } = await press('snooze', about(alert), HAL);
      assert.equal(texts[0], `Only ${GAIL_EMAIL} or an Account engagement admin can snooze this alert.`);
      await assertUntouched(alert);
    });

    it("lets an admin snooze a seller's alert, recording the admin as who closed it", async () => {
      await halOpensTheTab(true);
      const alert = await gailsAlert();
      const { texts } = await press('snooze', about(alert), HAL);
      assert.ok(
        texts.some((t) => t.startsWith('Snoozed until')),
        texts.join(' | '),
      );
      const now = await stored(alert);
      assert.equal(now?.status, 'snoozed');
      assert.equal(now?.closedBy, HAL_EMAIL);
    });

    it('forgets an admin the tab has not seen for a day', async () => {
      const admins = new AdminRepository(containers.configurations, tenantId);
      const seen = Date.parse('2026-03-02T08:00:00Z');
      await admins.sighted('A1B2C3D4-0000-4000-8000-00000000000A', 'ida@fabrikam.com', seen);
      assert.equal(
        await admins.isAdmin('a1b2c3d4-0000-4000-8000-00000000000a', seen + ADMIN_SIGHTING_MS - 1),
        true,
      );
      assert.equal(
        await admins.isAdmin('a1b2c3d4-0000-4000-8000-00000000000a', seen + ADMIN_SIGHTING_MS),
        false,
      );
      assert.equal(await admins.isAdmin(HAL.aadObjectId.replace('0b2d', '9b2d'), seen), false);
    });
  });
});
