import { crc32 } from 'node:zlib';
import { mkdir, open, readFile, rename, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../core/text/error-text';

/**
 * An append-only journal of the embedded Cosmos DB's writes: one entry per line,
 *
 *     <byte length of the JSON> <CRC-32 of the JSON, 8 hex digits> {"seq":…,"at":"…","data":…}\n
 *
 * Entries are numbered (`seq`, increasing) so a snapshot can say up to which entry it holds. An
 * append resolves only once its entry is on disk (written and fsync'd); appends made while a write
 * is under way are written together with one fsync (group commit).
 */

export interface JournalEntry<T> {
  seq: number;
  /** When the entry was appended (ISO instant). */
  at: string;
  data: T;
}

/** The part of a journal that could not be read back: a torn last entry, or a corrupt one and what follows. */
export interface IgnoredTail {
  /** Byte offset of the first ignored byte (the end of the last whole entry). */
  offset: number;
  bytes: number;
  /** True when the ignored bytes are one incomplete last line: a write cut off by a crash. */
  torn: boolean;
  /** Lines (whole or not) in the ignored bytes. */
  lines: number;
  reason: string;
  /** When the ignored entry was written: its own `at` when legible, else the journal's last change. */
  writtenAt: string;
}

export interface JournalContents<T> {
  entries: JournalEntry<T>[];
  /** Bytes of whole entries from the start of the file; what follows is `ignored`. */
  validBytes: number;
  ignored?: IgnoredTail;
}

const HEADER = /^(\d{1,10}) ([0-9a-f]{8}) /;
/** Longest header: 10 digits, a space, 8 hex digits, a space. */
const MAX_HEADER = 20;
const NEWLINE = 0x0a;

export function encodeEntry<T>(entry: JournalEntry<T>): Buffer {
  const json = Buffer.from(JSON.stringify(entry), 'utf8');
  const header = `${json.length} ${crc32(json).toString(16).padStart(8, '0')} `;
  return Buffer.concat([Buffer.from(header, 'latin1'), json, Buffer.from('\n', 'latin1')]);
}

interface Parsed<T> {
  entries: (JournalEntry<T> & { offset: number })[];
  validBytes: number;
  bad?: { offset: number; reason: string };
}

function parseEntries<T>(buffer: Buffer): Parsed<T> {
  const entries: (JournalEntry<T> & { offset: number })[] = [];
  let offset = 0;
  let lastSeq = 0;
  const stop = (reason: string): Parsed<T> => ({ entries, validBytes: offset, bad: { offset, reason } });
  while (offset < buffer.length) {
    const head = buffer.subarray(offset, Math.min(buffer.length, offset + MAX_HEADER)).toString('latin1');
    const match = HEADER.exec(head);
    if (!match) {
      const partial = offset + MAX_HEADER > buffer.length && /^\d{0,10}( [0-9a-f]{0,8})?$/.test(head);
      return stop(partial ? 'the entry ends inside its header' : 'the entry has no valid header');
    }
    const start = offset + match[0].length;
    const end = start + Number(match[1]);
    if (end + 1 > buffer.length) return stop('the entry is shorter than its header says');
    if (buffer[end] !== NEWLINE) return stop('the entry does not end where its header says');
    const json = buffer.subarray(start, end);
    if (crc32(json) !== parseInt(match[2] ?? '', 16)) return stop('checksum mismatch');
    let entry: JournalEntry<T>;
    try {
      entry = JSON.parse(json.toString('utf8')) as JournalEntry<T>;
    } catch {
      return stop('the entry is not JSON');
    }
    if (!Number.isSafeInteger(entry.seq) || entry.seq <= lastSeq || typeof entry.at !== 'string') {
      return stop('the entry is out of sequence');
    }
    entries.push({ ...entry, offset });
    lastSeq = entry.seq;
    offset = end + 1;
  }
  return { entries, validBytes: offset };
}

/** Reads a journal file; a missing file is an empty journal. Never throws for bad content. */
export async function readJournal<T>(file: string): Promise<JournalContents<T>> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], validBytes: 0 };
    throw error;
  }
  const parsed = parseEntries<T>(buffer);
  const entries = parsed.entries.map(({ offset: _offset, ...entry }) => entry);
  if (!parsed.bad) return { entries, validBytes: parsed.validBytes };
  const rest = buffer.subarray(parsed.bad.offset);
  let newlines = 0;
  for (const byte of rest) if (byte === NEWLINE) newlines += 1;
  const endsWithNewline = rest[rest.length - 1] === NEWLINE;
  const lines = newlines + (endsWithNewline ? 0 : 1);
  const at = /"at":"([^"\\]{1,40})"/.exec(rest.subarray(0, 200).toString('latin1'))?.[1];
  const writtenAt = at && !Number.isNaN(Date.parse(at)) ? at : (await stat(file)).mtime.toISOString();
  return {
    entries,
    validBytes: parsed.validBytes,
    ignored: {
      offset: parsed.bad.offset,
      bytes: rest.length,
      torn: lines === 1,
      lines,
      reason: parsed.bad.reason,
      writtenAt,
    },
  };
}

/** The one line that reports an ignored tail. */
export function describeIgnoredTail(ignored: IgnoredTail, replayed: number, keptIn?: string): string {
  const what = ignored.torn
    ? `a torn last entry (${ignored.bytes} bytes) written at ${ignored.writtenAt}`
    : `a corrupt entry and the ${ignored.lines - 1} line(s) after it (${ignored.bytes} bytes from byte ${ignored.offset}, written at ${ignored.writtenAt}: ${ignored.reason})`;
  return `journal: ignored ${what}; the ${replayed} entries before it were replayed${keptIn ? `; the ignored bytes are kept in ${keptIn}` : ''}`;
}

/** fsync of a folder, so a file created or renamed in it stays after a crash (a no-op where unsupported). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open or fsync a folder; its renames are durable without it.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Writes `file` whole or not at all: a temporary file fsync'd, renamed over it, the folder fsync'd. */
export async function writeFileDurably(file: string, data: string | Buffer): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncDirectory(path.dirname(file));
}

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let written = 0;
  while (written < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, written, buffer.length - written);
    written += bytesWritten;
  }
}

interface Pending {
  seq: number;
  bytes: Buffer;
  resolve(): void;
  reject(error: unknown): void;
}

export interface JournalOpenOptions {
  /** Bytes of whole entries (from `readJournal`): anything after them is cut off before appending. */
  validBytes: number;
  /** The sequence number to continue after. */
  lastSeq: number;
}

export class Journal<T> {
  private pending: Pending[] = [];
  private flushQueued = false;
  /** Flushes and compactions, one at a time in order. */
  private chain: Promise<void> = Promise.resolve();
  private broken: Error | undefined;
  private closed = false;
  private lastWritten: number;

  private constructor(
    readonly file: string,
    private handle: FileHandle,
    /** Bytes of whole entries in the file. */
    private size: number,
    private seq: number,
  ) {
    this.lastWritten = seq;
  }

  static async open<T>(file: string, options: JournalOpenOptions): Promise<Journal<T>> {
    await mkdir(path.dirname(file), { recursive: true });
    const existed = await stat(file).then(
      () => true,
      () => false,
    );
    const handle = await open(file, 'a');
    try {
      const { size } = await handle.stat();
      if (size !== options.validBytes) {
        await handle.truncate(options.validBytes);
        await handle.sync();
      }
      if (!existed) await syncDirectory(path.dirname(file));
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new Journal<T>(file, handle, options.validBytes, options.lastSeq);
  }

  /** The sequence number of the last entry appended (on disk or on its way). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Appends an entry; resolves once it is on disk (fsync'd), rejects if it could not be written. */
  append(data: T): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the journal is closed'));
    if (this.broken) return Promise.reject(this.broken);
    this.seq += 1;
    const bytes = encodeEntry({ seq: this.seq, at: new Date().toISOString(), data });
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ seq: this.seq, bytes, resolve, reject });
      if (!this.flushQueued) {
        this.flushQueued = true;
        void this.enqueue(() => this.flush());
      }
    });
  }

  /**
   * Drops the entries up to `throughSeq` (a durable snapshot holds them): the file is emptied, or
   * rewritten with the entries appended after them.
   */
  compact(throughSeq: number): Promise<void> {
    return this.enqueue(async () => {
      if (this.broken || this.closed) return;
      if (this.lastWritten <= throughSeq) {
        if (this.size === 0) return;
        await this.handle.truncate(0);
        await this.handle.sync();
        this.size = 0;
        return;
      }
      const buffer = (await readFile(this.file)).subarray(0, this.size);
      const parsed = parseEntries<T>(buffer);
      const keepFrom = parsed.entries.find((entry) => entry.seq > throughSeq)?.offset ?? parsed.validBytes;
      const kept = buffer.subarray(keepFrom, parsed.validBytes);
      await writeFileDurably(this.file, kept);
      const previous = this.handle;
      this.handle = await open(this.file, 'a');
      this.size = kept.length;
      await previous.close();
    });
  }

  /** Waits for every appended entry to be written, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.enqueue(() => this.flush());
    this.closed = true;
    await this.chain;
    await this.handle.close();
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async flush(): Promise<void> {
    this.flushQueued = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      if (this.broken) throw this.broken;
      const buffer = Buffer.concat(batch.map((entry) => entry.bytes));
      await writeAll(this.handle, buffer);
      await this.handle.datasync();
      this.size += buffer.length;
      this.lastWritten = batch[batch.length - 1]?.seq ?? this.lastWritten;
      for (const entry of batch) entry.resolve();
    } catch (error) {
      // Cut off whatever part of the batch reached the file, so later entries follow whole ones.
      await this.handle
        .truncate(this.size)
        .then(() => this.handle.sync())
        .catch((cause: unknown) => {
          this.broken = new Error(`the journal ${this.file} cannot be written: ${errorMessage(cause)}`);
        });
      for (const entry of batch) entry.reject(error);
    }
  }
}
