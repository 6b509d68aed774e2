import assert from 'node:assert/strict';
import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import { EngagementBot } from '../../bot/engagement-bot';

describe('bot welcome', () => {
  it('greets a member who installs the app with the help card', async () => {
    const bot = new EngagementBot();
    const adapter = new TestAdapter((context) => bot.run(context));
    await adapter
      .send({
        type: ActivityTypes.ConversationUpdate,
        channelId: 'msteams',
        membersAdded: [{ id: 'user-1', name: 'Ana' }],
        recipient: { id: 'bot', name: 'Account engagement' },
      } as Partial<Activity>)
      .assertReply((reply) => {
        const card = reply.attachments?.[0];
        assert.equal(card?.contentType, 'application/vnd.microsoft.card.adaptive');
        assert.match(JSON.stringify(card?.content), /engagement for Contoso\?/);
      });
  });
});
