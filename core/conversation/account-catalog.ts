import type { Container } from '@azure/cosmos';
import { AccountIndex } from '../accounts/account-index';
import { listEnrichments, type EnrichmentConfig } from '../config/enrichment-config';
import type { DatasetRecord } from '../datasets/customer-dataset';
import { loadDataset } from '../datasets/dataset-library';
import type { Containers } from '../store/containers';
import { ResultsRepository, type VisibleRun } from '../store/results-repository';

/** The enrichment whose results the bot answers from, and the run of it that is shown. */
export interface ShownResults {
  tenantId: string;
  config: EnrichmentConfig;
  visible: VisibleRun;
  results: ResultsRepository;
  /** The results container, for queries of its own. */
  container: Container;
}

/** Who owns which accounts, from the dataset's owner field. */
export interface OwnerIndex {
  /** Lower-case owner email → account ids. */
  byOwner: ReadonlyMap<string, readonly string[]>;
  /** Accounts without an owner in the dataset (all of them when no owner field is mapped). */
  unassigned: ReadonlySet<string>;
}

interface RunAccounts {
  key: string;
  index: Promise<AccountIndex>;
  owners: Promise<OwnerIndex>;
  /** Engagement scores by account id, read when a chooser first needs them. */
  scores?: Promise<ReadonlyMap<string, number>>;
}

const normalise = (email: string | null | undefined) => (email ?? '').trim().toLowerCase();

/**
 * The accounts a tenant's sellers can ask about. The shown results are those of the tenant's
 * enrichment published most recently. Its account index (for forgiving name lookups) and owner
 * index come from the enrichment's customer dataset, whose accounts are the rows' accounts: a few
 * chunk documents, rather than a query over every Year row. They are built once per published run
 * and kept for the tenants asked about most recently.
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
    return { tenantId, ...best, results, container };
  }

  /** The account index of the shown run. */
  index(shown: ShownResults): Promise<AccountIndex> {
    return this.#accounts(shown).index;
  }

  /**
   * The accounts of a seller, as alerts choose owners: those the dataset's owner field gives them,
   * and those without an owner whose most engaged tracked user they are.
   */
  async accountsOf(shown: ShownResults, email: string): Promise<string[]> {
    const { byOwner, unassigned } = await this.#accounts(shown).owners;
    const ids = [...(byOwner.get(email) ?? [])];
    if (!unassigned.size) return ids;
    const { resources } = await shown.container.items
      .query<string>(
        {
          query:
            "SELECT VALUE c.AccountId FROM c WHERE c.tenantId = @tenant AND c.type = 'row' AND c.entity = @entity AND c.runId = @run AND c.AggregationLevel = 'Year' AND c.TopEngagedUserEmail = @email",
          parameters: [
            { name: '@tenant', value: shown.tenantId },
            { name: '@entity', value: shown.config.entityName },
            { name: '@run', value: shown.visible.runId },
            { name: '@email', value: email },
          ],
        },
        { partitionKey: shown.tenantId },
      )
      .fetchAll();
    return [...ids, ...resources.filter((id) => unassigned.has(id))];
  }

  /**
   * The engagement score of every account of the shown run (its Year rows, two fields each),
   * which ranks a chooser's equally close matches. Read once per run, when first needed.
   */
  scores(shown: ShownResults): Promise<ReadonlyMap<string, number>> {
    const entry = this.#accounts(shown);
    if (!entry.scores) {
      const scores = readScores(shown);
      entry.scores = scores;
      // A failed read is not kept: the next chooser tries again.
      scores.catch(() => {
        if (entry.scores === scores) delete entry.scores;
      });
    }
    return entry.scores;
  }

  /** Builds (or keeps) the indexes of a run before anyone asks, e.g. right after it is published. */
  async warm(shown: ShownResults): Promise<void> {
    const accounts = this.#accounts(shown);
    await Promise.all([accounts.index, accounts.owners]);
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
    const accounts = loadDataset(this.containers, shown.tenantId, shown.config.datasetId).then(
      (dataset) => dataset?.accounts ?? [],
    );
    const entry: RunAccounts = {
      key,
      index: accounts.then(
        (list) =>
          new AccountIndex(list.map((a) => ({ id: a.AccountId ?? '', name: a.Name ?? a.AccountId ?? '' }))),
      ),
      owners: accounts.then((list) => ownerIndex(list, shown.config.mapping.ownerField)),
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
}

async function readScores(shown: ShownResults): Promise<ReadonlyMap<string, number>> {
  const { resources } = await shown.container.items
    .query<{ AccountId: string; EngagementScore: number }>(
      {
        query:
          "SELECT c.AccountId, c.EngagementScore FROM c WHERE c.tenantId = @tenant AND c.type = 'row' AND c.entity = @entity AND c.runId = @run AND c.AggregationLevel = 'Year'",
        parameters: [
          { name: '@tenant', value: shown.tenantId },
          { name: '@entity', value: shown.config.entityName },
          { name: '@run', value: shown.visible.runId },
        ],
      },
      { partitionKey: shown.tenantId },
    )
    .fetchAll();
  return new Map(resources.map((row) => [row.AccountId, row.EngagementScore]));
}

/** Account ids by owner email (lower-case), from the dataset's owner field. */
function ownerIndex(accounts: readonly DatasetRecord[], field: string | null | undefined): OwnerIndex {
  const byOwner = new Map<string, string[]>();
  const unassigned = new Set<string>();
  for (const account of accounts) {
    if (!account.AccountId) continue;
    const owner = field ? normalise(account[field]) : '';
    if (!owner) {
      unassigned.add(account.AccountId);
      continue;
    }
    const list = byOwner.get(owner);
    if (list) list.push(account.AccountId);
    else byOwner.set(owner, [account.AccountId]);
  }
  return { byOwner, unassigned };
}
