import type { Container, SqlParameter } from '@azure/cosmos';
import { withoutSystemFields } from './cosmos-documents';
import { isCosmosStatus } from './cosmos-errors';

/** A document of the `configurations` container: enrichments, drafts, consent requests. */
export interface ConfigurationDocument {
  id: string;
  tenantId: string;
  type: string;
}

export interface Stored<T> {
  document: T;
  /** Cosmos DB's ETag: a replace succeeds only while the document still has it. */
  etag: string;
}

/** The configuration documents of one tenant, with optimistic concurrency through ETags. */
export class ConfigurationRepository {
  constructor(
    private readonly container: Container,
    readonly tenantId: string,
  ) {}

  async read<T extends ConfigurationDocument>(id: string): Promise<Stored<T> | undefined> {
    const { resource, etag } = await this.container.item(id, this.tenantId).read<T>();
    return resource ? { document: withoutSystemFields(resource), etag } : undefined;
  }

  /** False when a document with that id exists already. */
  async create<T extends ConfigurationDocument>(document: T): Promise<boolean> {
    try {
      await this.container.items.create(document);
      return true;
    } catch (error) {
      if (isCosmosStatus(error, 409)) return false;
      throw error;
    }
  }

  /** False when the document changed (or went) since it was read with `etag`. */
  async replace<T extends ConfigurationDocument>(document: T, etag: string): Promise<boolean> {
    try {
      await this.container
        .item(document.id, this.tenantId)
        .replace(document, { accessCondition: { type: 'IfMatch', condition: etag } });
      return true;
    } catch (error) {
      if (isCosmosStatus(error, 412) || isCosmosStatus(error, 404)) return false;
      throw error;
    }
  }

  async upsert<T extends ConfigurationDocument>(document: T): Promise<void> {
    await this.container.items.upsert(document);
  }

  async delete(id: string): Promise<boolean> {
    try {
      await this.container.item(id, this.tenantId).delete();
      return true;
    } catch (error) {
      if (isCosmosStatus(error, 404)) return false;
      throw error;
    }
  }

  /** The tenant's documents of one type whose listed fields equal the given values. */
  async list<T extends ConfigurationDocument>(
    type: string,
    equal: Record<string, string> = {},
  ): Promise<T[]> {
    const conditions = ['c.tenantId = @tenant', 'c.type = @type'];
    const parameters: SqlParameter[] = [
      { name: '@tenant', value: this.tenantId },
      { name: '@type', value: type },
    ];
    Object.entries(equal).forEach(([field, value], i) => {
      if (!/^[A-Za-z]+$/.test(field)) throw new Error(`not a field name: ${field}`);
      conditions.push(`c.${field} = @value${i}`);
      parameters.push({ name: `@value${i}`, value });
    });
    const { resources } = await this.container.items
      .query<T>(
        { query: `SELECT * FROM c WHERE ${conditions.join(' AND ')}`, parameters },
        { partitionKey: this.tenantId },
      )
      .fetchAll();
    return resources.map(withoutSystemFields);
  }

  /** Every tenant's documents of one type (a cross-partition query, for the scheduler). */
  static async listAcrossTenants<T extends ConfigurationDocument>(
    container: Container,
    type: string,
  ): Promise<T[]> {
    const { resources } = await container.items
      .query<T>({
        query: 'SELECT * FROM c WHERE c.type = @type',
        parameters: [{ name: '@type', value: type }],
      })
      .fetchAll();
    return resources.map(withoutSystemFields);
  }
}
