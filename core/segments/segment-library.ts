import { randomUUID } from 'node:crypto';
import type { Actor } from '../config/actor';
import { ConfigurationRepository, type ConfigurationDocument } from '../store/configuration-repository';
import type { Containers } from '../store/containers';
import type { RuleGroup, SegmentDefinition } from './segment-rules';
import { STALE_SEGMENT_ID, STALE_SEGMENT_NAME, staleDescription, staleRules } from './stale-segment';

/** What segments need of an enrichment: its output entity and stale threshold. */
export interface SegmentEnrichment {
  enrichmentId: string;
  entityName: string;
  staleThresholdDays: number;
}

export interface SegmentContext {
  containers: Containers;
  tenantId: string;
  now(): number;
}

/** A segment as readers see it: the built-in one or a saved one. */
export interface Segment {
  segmentId: string;
  enrichmentId: string;
  name: string;
  description: string | null;
  /** The built-in "Stale accounts" segment: its rules follow the stale threshold; not editable. */
  builtIn: boolean;
  rules: RuleGroup;
  createdAt: string | null;
  createdBy: Actor | null;
  updatedAt: string | null;
  updatedBy: Actor | null;
  /** Send it back with an update; null for the built-in segment. */
  etag: string | null;
}

interface SegmentDocument extends ConfigurationDocument {
  type: typeof SEGMENT_TYPE;
  segmentId: string;
  enrichmentId: string;
  name: string;
  description: string | null;
  rules: RuleGroup;
  createdAt: string;
  createdBy: Actor;
  updatedAt: string;
  updatedBy: Actor;
}

const SEGMENT_TYPE = 'segment';
const documentId = (segmentId: string) => `segment:${segmentId}`;

export class SegmentNameTakenError extends Error {
  constructor(readonly segmentName: string) {
    super(`A segment named "${segmentName}" exists already; choose another name.`);
    this.name = 'SegmentNameTakenError';
  }
}

export class BuiltInSegmentError extends Error {
  constructor() {
    super(
      `"${STALE_SEGMENT_NAME}" is built in: it cannot be changed or deleted (its threshold is the enrichment's stale threshold).`,
    );
    this.name = 'BuiltInSegmentError';
  }
}

export class SegmentChangedError extends Error {
  constructor(readonly segmentId: string) {
    super(`Segment "${segmentId}" was changed by someone else since it was read; read it again and retry.`);
    this.name = 'SegmentChangedError';
  }
}

export function staleSegment(enrichment: SegmentEnrichment): Segment {
  return {
    segmentId: STALE_SEGMENT_ID,
    enrichmentId: enrichment.enrichmentId,
    name: STALE_SEGMENT_NAME,
    description: staleDescription(enrichment.staleThresholdDays),
    builtIn: true,
    rules: staleRules(enrichment.staleThresholdDays),
    createdAt: null,
    createdBy: null,
    updatedAt: null,
    updatedBy: null,
    etag: null,
  };
}

function segmentOf(document: SegmentDocument, etag: string | null): Segment {
  return {
    segmentId: document.segmentId,
    enrichmentId: document.enrichmentId,
    name: document.name,
    description: document.description,
    builtIn: false,
    rules: document.rules,
    createdAt: document.createdAt,
    createdBy: document.createdBy,
    updatedAt: document.updatedAt,
    updatedBy: document.updatedBy,
    etag,
  };
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** An enrichment's segments: the built-in "Stale accounts" and the ones admins saved. */
export class SegmentLibrary {
  private readonly documents: ConfigurationRepository;

  constructor(
    private readonly context: SegmentContext,
    private readonly enrichment: SegmentEnrichment,
  ) {
    this.documents = new ConfigurationRepository(context.containers.configurations, context.tenantId);
  }

  /** The built-in segment first, then the saved ones by name. */
  async list(): Promise<Segment[]> {
    const saved = await this.saved();
    return [
      staleSegment(this.enrichment),
      ...saved.map((document) => segmentOf(document, null)).sort((a, b) => a.name.localeCompare(b.name)),
    ];
  }

  async find(segmentId: string): Promise<Segment | undefined> {
    if (segmentId === STALE_SEGMENT_ID) return staleSegment(this.enrichment);
    const stored = await this.documents.read<SegmentDocument>(documentId(segmentId));
    if (stored?.document.enrichmentId !== this.enrichment.enrichmentId) return undefined;
    return segmentOf(stored.document, stored.etag);
  }

  async create(definition: SegmentDefinition, actor: Actor): Promise<Segment> {
    await this.checkName(definition.name);
    const at = new Date(this.context.now()).toISOString();
    const segmentId = randomUUID();
    const document: SegmentDocument = {
      id: documentId(segmentId),
      tenantId: this.context.tenantId,
      type: SEGMENT_TYPE,
      segmentId,
      enrichmentId: this.enrichment.enrichmentId,
      ...this.fields(definition),
      createdAt: at,
      createdBy: actor,
      updatedAt: at,
      updatedBy: actor,
    };
    await this.documents.create(document);
    return this.readBack(segmentId);
  }

  /** Replaces a saved segment's definition if it still has `etag`; undefined when there is no such segment. */
  async update(
    segmentId: string,
    definition: SegmentDefinition,
    etag: string,
    actor: Actor,
  ): Promise<Segment | undefined> {
    if (segmentId === STALE_SEGMENT_ID) throw new BuiltInSegmentError();
    const stored = await this.documents.read<SegmentDocument>(documentId(segmentId));
    if (stored?.document.enrichmentId !== this.enrichment.enrichmentId) return undefined;
    await this.checkName(definition.name, segmentId);
    const document: SegmentDocument = {
      ...stored.document,
      ...this.fields(definition),
      updatedAt: new Date(this.context.now()).toISOString(),
      updatedBy: actor,
    };
    if (!(await this.documents.replace(document, etag))) throw new SegmentChangedError(segmentId);
    return this.readBack(segmentId);
  }

  async delete(segmentId: string): Promise<boolean> {
    if (segmentId === STALE_SEGMENT_ID) throw new BuiltInSegmentError();
    if (!(await this.find(segmentId))) return false;
    return this.documents.delete(documentId(segmentId));
  }

  private fields(definition: SegmentDefinition) {
    return { name: definition.name, description: definition.description ?? null, rules: definition.rules };
  }

  private saved(): Promise<SegmentDocument[]> {
    return this.documents.list<SegmentDocument>(SEGMENT_TYPE, { enrichmentId: this.enrichment.enrichmentId });
  }

  private async checkName(name: string, exceptSegmentId?: string): Promise<void> {
    const taken =
      sameName(name, STALE_SEGMENT_NAME) ||
      (await this.saved()).some((s) => s.segmentId !== exceptSegmentId && sameName(s.name, name));
    if (taken) throw new SegmentNameTakenError(name);
  }

  private async readBack(segmentId: string): Promise<Segment> {
    const segment = await this.find(segmentId);
    if (!segment) throw new SegmentChangedError(segmentId);
    return segment;
  }
}
