import { AccountIndex } from '../accounts/account-index';
import type { DatasetRecord } from '../datasets/customer-dataset';
import { loadDataset } from '../datasets/dataset-library';
import { readShownResults, type ShownResults } from '../results/shown-results';
import type { Containers } from '../store/containers';
import { DatasetRepository } from '../store/dataset-repository';

/** Who owns which accounts, from the dataset's owner field. */
export interface OwnerIndex {
  /** Lower-case owner email → account ids. */
  byOwner: ReadonlyMap<string, readonly string[]>;
  /** Accounts without an owner in the dataset (all of them when no owner field is mapped). */
  unassigned: ReadonlySet<string>;
}

/** What the catalog keeps of a tenant's shown run. */
interface RunAccounts {
  /** The dataset import the index and owners were built from. */
  datasetImport: string;
  index: AccountIndex;
  owners: OwnerIndex;
  /** Engagement scores by account id, read when a chooser first needs them. */
  scores?: Promise<ReadonlyMap<string, number>>;
}

interface Slot {
  /** The run the slot is for. */
  run: string;
  accounts: Promise<RunAccounts>;
}

const normalise = (email: string | null | undefined) => (email ?? '').trim().toLowerCase();

/**
 * The accounts a tenant's sellers can ask about. The shown results are those of the tenant's
 * enrichment published most recently. Its account index (for forgiving name lookups) and owner
 * index come from the enrichment's customer dataset, whose accounts are the rows' accounts: a few
 * chunk documents, rather than a query over every Year row. They are built once per dataset
 * import (a new run of the same import finds them ready) and kept for the tenants asked about
 * most recently.
 */
export class AccountCatalog {
  readonly #slots = new Map<string, Slot>();

  constructor(
    private readonly containers: Containers,
    private readonly maxTenants = 50,
  ) {}

  /** The shown results of the tenant, or undefined before its first successful run. */
  shown(tenantId: string): Promise<ShownResults | undefined> {
    return readShownResults(this.containers, tenantId);
  }

  /** The account index of the shown run. */
  async index(shown: ShownResults): Promise<AccountIndex> {
    return (await this.#accounts(shown)).index;
  }

  /**
   * The accounts of a seller, as alerts choose owners: those the dataset's owner field gives them,
   * and those without an owner whose most engaged tracked user they are.
   */
  async accountsOf(shown: ShownResults, email: string): Promise<string[]> {
    const { byOwner, unassigned } = (await this.#accounts(shown)).owners;
    const ids = [...(byOwner.get(email) ?? [])];
    if (!unassigned.size) return ids;
    const engaged = await shown.queries.accountsEngagedMostBy(
      shown.config.entityName,
      shown.visible.runId,
      email,
    );
    return [...ids, ...engaged.filter((id) => unassigned.has(id))];
  }

  /**
   * The engagement score of every account of the shown run (its Year rows, two fields each),
   * which ranks a chooser's equally close matches. Read once per run, when first needed.
   */
  async scores(shown: ShownResults): Promise<ReadonlyMap<string, number>> {
    const entry = await this.#accounts(shown);
    if (!entry.scores) {
      const scores = shown.queries.yearScores(shown.config.entityName, shown.visible.runId);
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
    await this.#accounts(shown);
  }

  #accounts(shown: ShownResults): Promise<RunAccounts> {
    const { tenantId } = shown;
    const run = `${shown.config.entityName}\n${shown.visible.runId}`;
    const current = this.#slots.get(tenantId);
    // Most recently used last, so the oldest tenant is the first one dropped.
    this.#slots.delete(tenantId);
    if (current?.run === run) {
      this.#slots.set(tenantId, current);
      return current.accounts;
    }
    const slot: Slot = { run, accounts: this.#build(shown, current?.accounts) };
    // A failed build is not kept: the next question tries again.
    slot.accounts.catch(() => {
      if (this.#slots.get(tenantId) === slot) this.#slots.delete(tenantId);
    });
    this.#slots.set(tenantId, slot);
    while (this.#slots.size > this.maxTenants) {
      const oldest = this.#slots.keys().next().value;
      if (oldest === undefined) break;
      this.#slots.delete(oldest);
    }
    return slot.accounts;
  }

  /** The accounts of a newly shown run: those of the previous one when the dataset import is the same. */
  async #build(shown: ShownResults, previous: Promise<RunAccounts> | undefined): Promise<RunAccounts> {
    const { tenantId, config } = shown;
    const pointer = await new DatasetRepository(this.containers.datasets, tenantId).pointer(config.datasetId);
    const datasetImport = `${config.datasetId}\n${pointer?.importId ?? ''}`;
    const before = await previous?.catch(() => undefined);
    if (before?.datasetImport === datasetImport) {
      return { datasetImport, index: before.index, owners: before.owners };
    }
    const accounts = (await loadDataset(this.containers, tenantId, config.datasetId))?.accounts ?? [];
    return {
      datasetImport,
      index: new AccountIndex(
        accounts.map((a) => ({ id: a.AccountId ?? '', name: a.Name ?? a.AccountId ?? '' })),
      ),
      owners: ownerIndex(accounts, config.mapping.ownerField),
    };
  }
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
