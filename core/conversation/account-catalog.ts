import type { Container } from '@azure/cosmos';
import { AccountIndex } from '../accounts/account-index';
import { listEnrichments, type EnrichmentConfig } from '../config/enrichment-config';
import { loadDataset } from '../datasets/dataset-library';
import type { Containers } from '../store/containers';
import { ResultsQueries } from '../store/results-queries';
import { ResultsRepository, type VisibleRun } from '../store/results-repository';

/** The enrichment whose results the bot answers from, and the run of it that is shown. */
export interface ShownResults {
  tenantId: string;
  config: EnrichmentConfig;
  visible: VisibleRun;
  results: ResultsRepository;
  queries: ResultsQueries;
  /** The results container, for queries of its own. */
  container: Container;
}

/** Who owns which accounts (lower-case email → account ids). */
export type OwnerIndex = ReadonlyMap<string, readonly string[]>;

interface RunAccounts {
  key: string;
  index: Promise<AccountIndex>;
  owners: Promise<OwnerIndex>;
}

interface IndexRow {
  AccountId: string;
  AccountName: string;
  TopEngagedUserEmail?: string | null;
}

const normalise = (email: string | null | undefined) => (email ?? '').trim().toLowerCase();

/**
 * The accounts a tenant's sellers can ask about. The shown results are those of the tenant's
 * enrichment published most recently; its account index (for forgiving name lookups) and owner
 * index are built once per published run and kept for the tenants asked about most recently.
 */
export class AccountCatalog {
  readonly #runs = new Map<string, RunAccounts>();

  constructor(
    private readonly containers: Containers,
    private readonly maxTenants = 50,
  ) {}

  /** The shown results of the tenant, or undefined before its first successful run. */
  async shown(tenantId: string): Promise<ShownResults | undefined> {
    const results = new ResultsRepository(this.containers.results, tenantId);
    const configs = await listEnrichments(this.containers, tenantId);
    const candidates = await Promise.all(
      configs.map(async (config) => ({ config, visible: await results.visibleRun(config.entityName) })),
    );
    let best: { config: EnrichmentConfig; visible: VisibleRun } | undefined;
    for (const { config, visible } of candidates) {
      if (visible && (!best || visible.publishedAt > best.visible.publishedAt)) best = { config, visible };
    }
    if (!best) return undefined;
    const container = this.containers.results;
    return { tenantId, ...best, results, queries: new ResultsQueries(container, tenantId), container };
  }

  /** The account index of the shown run. */
  index(shown: ShownResults): Promise<AccountIndex> {
    return this.#accounts(shown).index;
  }

  /** Account ids by owner email: the dataset's owner field, else the most engaged tracked user. */
  owners(shown: ShownResults): Promise<OwnerIndex> {
    return this.#accounts(shown).owners;
  }

  /** Builds (or keeps) the indexes of a run before anyone asks, e.g. right after it is published. */
  async warm(shown: ShownResults): Promise<void> {
    await Promise.all([this.index(shown), this.owners(shown)]);
  }

  #accounts(shown: ShownResults): RunAccounts {
    const key = `${shown.config.entityName}\n${shown.visible.runId}`;
    const cached = this.#runs.get(shown.tenantId);
    if (cached?.key === key) {
      // Most recently used last, so the oldest tenant is the first one dropped.
      this.#runs.delete(shown.tenantId);
      this.#runs.set(shown.tenantId, cached);
      return cached;
    }
    const rows = this.#indexRows(shown);
    const entry: RunAccounts = {
      key,
      index: rows.then(
        (list) => new AccountIndex(list.map((r) => ({ id: r.AccountId, name: r.AccountName }))),
      ),
      owners: rows.then((list) => this.#ownerIndex(shown, list)),
    };
    // A failed build is not kept: the next question tries again.
    const forget = () => {
      if (this.#runs.get(shown.tenantId) === entry) this.#runs.delete(shown.tenantId);
    };
    entry.index.catch(forget);
    entry.owners.catch(forget);
    this.#runs.delete(shown.tenantId);
    this.#runs.set(shown.tenantId, entry);
    while (this.#runs.size > this.maxTenants) {
      const oldest = this.#runs.keys().next().value;
      if (oldest === undefined) break;
      this.#runs.delete(oldest);
    }
    return entry;
  }

  async #indexRows(shown: ShownResults): Promise<IndexRow[]> {
    const { resources } = await shown.container.items
      .query<IndexRow>(
        {
          query:
            "SELECT c.AccountId, c.AccountName, c.TopEngagedUserEmail FROM c WHERE c.tenantId = @tenant AND c.type = 'row' AND c.entity = @entity AND c.runId = @run AND c.AggregationLevel = 'Year'",
          parameters: [
            { name: '@tenant', value: shown.tenantId },
            { name: '@entity', value: shown.config.entityName },
            { name: '@run', value: shown.visible.runId },
          ],
        },
        { partitionKey: shown.tenantId },
      )
      .fetchAll();
    return resources;
  }

  async #ownerIndex(shown: ShownResults, rows: readonly IndexRow[]): Promise<OwnerIndex> {
    const field = shown.config.mapping.ownerField;
    const byField = new Map<string, string>();
    if (field) {
      const dataset = await loadDataset(this.containers, shown.tenantId, shown.config.datasetId);
      for (const account of dataset?.accounts ?? []) {
        const owner = normalise(account[field]);
        if (owner && account.AccountId) byField.set(account.AccountId, owner);
      }
    }
    const owners = new Map<string, string[]>();
    for (const row of rows) {
      const owner = byField.get(row.AccountId) ?? normalise(row.TopEngagedUserEmail);
      if (!owner) continue;
      const list = owners.get(owner);
      if (list) list.push(row.AccountId);
      else owners.set(owner, [row.AccountId]);
    }
    return owners;
  }
}
