import type { GraphConnection } from './client.ts';
import { GraphNotFoundError } from './errors.ts';
import { graphGet, graphPages, type GraphRequestOptions } from './request.ts';
import { FOLDER_FIELDS, selectParam } from './select.ts';

/**
 * The mail folders of a mailbox whose messages count: every folder and child folder except the
 * contract's excluded well-known folders and everything below them.
 *
 * Graph lists only the folders directly under the root (`/mailFolders`) and each folder's own
 * children (`/mailFolders/{id}/childFolders`), both paged (10 by default, user-list-mailfolders.md),
 * so the tree is walked level by level, following `@odata.nextLink` whole. Localised display names
 * cannot identify the excluded folders, so their ids are read by well-known name first. Search
 * folders are views over other folders and are skipped (their mail is read where it is stored).
 * Hidden folders are not read: they are not mail a person files (the listing's default).
 */

/** Well-known folders whose mail never counts, with their child folders (engagement-metrics.md). */
export const EXCLUDED_WELL_KNOWN_FOLDERS = [
  'junkemail',
  'drafts',
  'outbox',
  'conversationhistory',
  'syncissues',
] as const;

const SEARCH_FOLDER_TYPE = '#microsoft.graph.mailSearchFolder';

export interface CountedFolder {
  id: string;
  /** Display names from the top level down, e.g. "Inbox/Customers/Contoso", for reports. */
  path: string;
}

interface RawFolder {
  id?: unknown;
  displayName?: unknown;
  childFolderCount?: unknown;
  '@odata.type'?: unknown;
}

function folderRequest(mailboxId: string, what: string): GraphRequestOptions {
  return { mailboxId, what };
}

/** Ids of the excluded well-known folders this mailbox has (a mailbox may lack some of them). */
async function excludedFolderIds(
  graph: GraphConnection,
  mailboxId: string,
  label: string,
): Promise<Set<string>> {
  const user = encodeURIComponent(mailboxId);
  const ids = await Promise.all(
    EXCLUDED_WELL_KNOWN_FOLDERS.map(async (name) => {
      try {
        const folder = await graphGet<RawFolder>(
          graph,
          `/users/${user}/mailFolders/${name}?$select=id`,
          folderRequest(mailboxId, `finding the ${name} folder of mailbox ${label}`),
        );
        return typeof folder.id === 'string' ? folder.id : undefined;
      } catch (error) {
        if (error instanceof GraphNotFoundError) return undefined;
        throw error;
      }
    }),
  );
  return new Set(ids.filter((id): id is string => id !== undefined));
}

/** Every counted folder of a mailbox, parents before their children. */
export async function countedMailFolders(
  graph: GraphConnection,
  mailboxId: string,
  label: string,
  signal?: AbortSignal,
): Promise<CountedFolder[]> {
  const excluded = await excludedFolderIds(graph, mailboxId, label);
  const user = encodeURIComponent(mailboxId);
  const counted: CountedFolder[] = [];

  const walk = async (url: string, parentPath: string): Promise<void> => {
    const children: { url: string; path: string }[] = [];
    const request = folderRequest(mailboxId, `listing the mail folders of mailbox ${label}`);
    for await (const page of graphPages<RawFolder>(graph, `${url}?${selectParam(FOLDER_FIELDS)}`, request)) {
      signal?.throwIfAborted();
      for (const folder of page.value) {
        if (typeof folder.id !== 'string' || excluded.has(folder.id)) continue;
        if (folder['@odata.type'] === SEARCH_FOLDER_TYPE) continue;
        const name = typeof folder.displayName === 'string' ? folder.displayName : folder.id;
        const path = parentPath === '' ? name : `${parentPath}/${name}`;
        counted.push({ id: folder.id, path });
        if (typeof folder.childFolderCount === 'number' && folder.childFolderCount > 0) {
          children.push({
            url: `/users/${user}/mailFolders/${encodeURIComponent(folder.id)}/childFolders`,
            path,
          });
        }
      }
    }
    await Promise.all(children.map((child) => walk(child.url, child.path)));
  };
  await walk(`/users/${user}/mailFolders`, '');
  return counted;
}
