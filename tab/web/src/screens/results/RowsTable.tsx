import {
  Body1,
  Button,
  Caption1,
  Dropdown,
  Field,
  Link,
  Option,
  SearchBox,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ChevronLeftRegular, ChevronRightRegular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import { api } from '../../api/operations';
import type { AggregationLevel, EngagementRow } from '../../api/types';
import { useResource } from '../../api/use-resource';
import { hrefOf } from '../../router';
import { COLUMNS, type Column } from '../../ui/columns';
import { formatCount } from '../../ui/format';
import { ProblemBar } from '../../ui/ProblemBar';
import { ScoreWithStale } from '../../ui/StaleMark';
import { useDebounced } from '../../ui/use-debounced';
import type { SignalThresholds } from '../../../../../core/engine/signals';
import type { SignalName } from '../../../../../core/results/signal-labels';
import { SignalFilter } from '../customers/SignalFilter';

const LEVELS: readonly AggregationLevel[] = ['Year', 'Month', 'Week'];

const useStyles = makeStyles({
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: tokens.spacingHorizontalM,
  },
  search: { flex: '1 1 220px', maxWidth: '360px' },
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '640px', tableLayout: 'auto' },
  numeric: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  nowrap: { whiteSpace: 'nowrap' },
  // The name and what is shown beside it on one line; in a side panel below it, keeping the column narrow.
  account: {
    display: 'flex',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalXXS,
    '@media (max-width: 640px)': { flexDirection: 'column', alignItems: 'flex-start' },
  },
  pager: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    justifyContent: 'flex-end',
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

export type RowsQuery = {
  level: AggregationLevel;
  sort: Column;
  order: 'asc' | 'desc';
  search: string | undefined;
  /** Only accounts showing this risk signal (Year rows). */
  signal?: SignalName;
  pageSize: number;
  page: string | undefined;
};

/** A row as a source gives it: the entity's rows carry the account's signals too. */
export type ShownRow = EngagementRow & { Signals?: SignalName[] | null };

export interface RowsSource {
  /** Names the source in the load's cache key (e.g. the enrichment and segment). */
  key: string;
  load(
    query: RowsQuery,
    signal: AbortSignal,
  ): Promise<{
    rows: ShownRow[];
    total: number;
    nextPage?: string;
    level?: AggregationLevel;
    /** What the rows' signals mean: the thresholds their run computed them with. */
    signalThresholds?: SignalThresholds;
  }>;
  /** Whether the source can search by account name. */
  searchable: boolean;
}

/** The output entity's rows (the results API). */
export const entityRows = (enrichmentId: string): RowsSource => ({
  key: `rows:${enrichmentId}`,
  load: (query, signal) => api.rows(enrichmentId, query, signal),
  searchable: true,
});

export interface RowsTableProps {
  source: RowsSource;
  columns: readonly Column[];
  pageSize: number;
  /** Show the level picker (the full entity); the preview stays on the Year rows. */
  levelPicker?: boolean;
  /** Label the headers with the entity's own column names instead of friendly labels. */
  entityHeaders?: boolean;
  caption: string;
  /** Offer the risk signal filter (on Year rows). */
  signalFilter?: boolean;
  /** The enrichment's stale threshold: Year rows of stale accounts get the stale mark beside the score. */
  staleThresholdDays?: number;
  /** What the total counts, e.g. "300 customers"; by default the rows of the level ("1,564 Month rows"). */
  countText?: (total: number, level: AggregationLevel) => string;
  /** What to show beside the customer's name in its row (the Customers list: its risk signals). */
  accountDetail?: (row: ShownRow, signalThresholds: SignalThresholds | undefined) => ReactNode;
}

/** "1,564 Month rows". */
export const levelRows = (total: number, level: AggregationLevel): string =>
  `${formatCount(total)} ${level} ${total === 1 ? 'row' : 'rows'}`;

/** A page of the output entity: searched by name, sorted by any column on the server, paged with tokens. */
export function RowsTable(props: RowsTableProps) {
  const styles = useStyles();
  const [search, setSearch] = useState('');
  const [level, setLevel] = useState<AggregationLevel>('Year');
  const [sort, setSort] = useState<{ column: Column; order: 'asc' | 'desc' }>({
    column: 'EngagementScore',
    order: 'desc',
  });
  /** Tokens of the pages before the current one; the current page's token is the last. */
  const [pages, setPages] = useState<string[]>([]);
  const [signal, setSignal] = useState<SignalName>();
  const settledSearch = useDebounced(search.trim());
  const page = pages.at(-1);
  const filtered = props.signalFilter && level === 'Year' ? signal : undefined;

  const query: RowsQuery = {
    level,
    sort: sort.column,
    order: sort.order,
    search: settledSearch || undefined,
    ...(filtered ? { signal: filtered } : {}),
    pageSize: props.pageSize,
    page,
  };
  const rows = useResource(`${props.source.key}:${JSON.stringify(query)}`, (signal) =>
    props.source.load(query, signal),
  );

  const sortBy = (column: Column) => {
    setPages([]);
    setSort((current) =>
      current.column === column
        ? { column, order: current.order === 'asc' ? 'desc' : 'asc' }
        : { column, order: COLUMNS[column].numeric ? 'desc' : 'asc' },
    );
  };

  const data = rows.data;
  const firstRow = pages.length * props.pageSize + 1;
  return (
    <>
      <div className={styles.toolbar}>
        {props.source.searchable && (
          <Field label="Search customers" className={styles.search}>
            <SearchBox
              value={search}
              onChange={(_, d) => {
                setSearch(d.value);
                setPages([]);
              }}
              placeholder="Customer name"
            />
          </Field>
        )}
        {props.signalFilter && level === 'Year' && (
          <SignalFilter
            value={signal}
            onChange={(next) => {
              setSignal(next);
              setPages([]);
            }}
          />
        )}
        {props.levelPicker && (
          <Field label="Aggregation level">
            <Dropdown
              value={level}
              selectedOptions={[level]}
              onOptionSelect={(_, d) => {
                setLevel(d.optionValue as AggregationLevel);
                setPages([]);
              }}
            >
              {LEVELS.map((l) => (
                <Option key={l} value={l}>
                  {l}
                </Option>
              ))}
            </Dropdown>
          </Field>
        )}
        {data && (
          <Caption1 className={styles.muted} aria-live="polite" data-testid="rows-count">
            {(props.countText ?? levelRows)(data.total, data.level ?? level)}
          </Caption1>
        )}
        {rows.loading && <Spinner size="tiny" aria-label="Loading rows" />}
      </div>
      <ProblemBar problem={rows.problem} onRetry={rows.reload} />
      <div className={styles.tableWrap}>
        <Table sortable size="small" aria-label={props.caption} className={styles.table}>
          <TableHeader>
            <TableRow>
              {props.columns.map((column) => (
                <TableHeaderCell
                  key={column}
                  sortDirection={
                    sort.column === column ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined
                  }
                  onClick={() => sortBy(column)}
                  className={mergeClasses(COLUMNS[column].numeric && styles.numeric)}
                >
                  {props.entityHeaders ? (
                    column
                  ) : (
                    <Tooltip content={column} relationship="description">
                      <span>{COLUMNS[column].label}</span>
                    </Tooltip>
                  )}
                </TableHeaderCell>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {data?.rows.map((row) => (
              <TableRow key={`${row.AccountId}:${row.AggregationLevel}:${row.AggregationStartDate}`}>
                {props.columns.map((column) => (
                  <TableCell
                    key={column}
                    className={mergeClasses(COLUMNS[column].numeric && styles.numeric, styles.nowrap)}
                  >
                    {column === 'AccountName' ? (
                      <AccountName
                        row={row}
                        detail={props.accountDetail}
                        signalThresholds={data.signalThresholds}
                      />
                    ) : column === 'EngagementScore' ? (
                      <ScoreWithStale
                        score={row.EngagementScore}
                        row={row}
                        thresholdDays={row.AggregationLevel === 'Year' ? props.staleThresholdDays : undefined}
                      />
                    ) : (
                      COLUMNS[column].format(row)
                    )}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {data && data.rows.length === 0 && (
        <Body1>
          {settledSearch
            ? `No customer matches “${settledSearch}”${filtered ? ' with that signal' : ''}.`
            : filtered
              ? 'No customer shows that signal.'
              : 'No rows.'}
        </Body1>
      )}
      {data && data.rows.length > 0 && (
        <nav className={styles.pager} aria-label={`${props.caption} pages`}>
          <Caption1 className={styles.muted}>
            {formatCount(firstRow)}–{formatCount(firstRow + data.rows.length - 1)} of{' '}
            {formatCount(data.total)}
          </Caption1>
          <Button
            icon={<ChevronLeftRegular />}
            disabled={pages.length === 0}
            onClick={() => setPages((p) => p.slice(0, -1))}
            aria-label="Previous page"
          />
          <Button
            icon={<ChevronRightRegular />}
            disabled={!data.nextPage}
            onClick={() => data.nextPage && setPages((p) => [...p, data.nextPage as string])}
            aria-label="Next page"
          />
        </nav>
      )}
    </>
  );
}

function AccountName(props: {
  row: ShownRow;
  detail: RowsTableProps['accountDetail'];
  signalThresholds: SignalThresholds | undefined;
}) {
  const styles = useStyles();
  const link = <Link href={hrefOf('customers', props.row.AccountId)}>{props.row.AccountName}</Link>;
  if (!props.detail) return link;
  return (
    <div className={styles.account}>
      {link}
      {props.detail(props.row, props.signalThresholds)}
    </div>
  );
}
