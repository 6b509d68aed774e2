/** Links from the bot's cards into the tab, which shows an account's full card. */
export interface TabLinks {
  customer(accountId: string): string;
}

export interface TabLinkOptions {
  /** The Teams app id (the manifest's `id`): links then open the tab inside Teams. */
  teamsAppId?: string;
  /** The tab's own URL (`…/tab/`), for links outside Teams (local mode, the Agents Playground). */
  tabUrl(): string;
}

/** The static tab that lists customers (appPackage/manifest.json). */
const CUSTOMERS_ENTITY_ID = 'customers';

/**
 * In Teams: a deep link to the personal tab whose sub-entity (`customers/<id>`) the tab turns into
 * its `#/customers/<id>` route. Elsewhere: that route of the tab's URL.
 */
export function tabLinks(options: TabLinkOptions): TabLinks {
  return {
    customer(accountId) {
      const route = `customers/${encodeURIComponent(accountId)}`;
      if (!options.teamsAppId) return `${options.tabUrl()}#/${route}`;
      const context = encodeURIComponent(JSON.stringify({ subEntityId: route }));
      return `https://teams.microsoft.com/l/entity/${encodeURIComponent(options.teamsAppId)}/${CUSTOMERS_ENTITY_ID}?context=${context}`;
    },
  };
}
