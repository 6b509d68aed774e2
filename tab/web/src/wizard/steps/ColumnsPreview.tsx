import {
  Caption1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { DatasetPreview } from '../../api/types';
import { formatCount } from '../../ui/format';

type ColumnPreview = DatasetPreview['columns']['accounts'][number];

const useStyles = makeStyles({
  wrap: { overflowX: 'auto', marginTop: tokens.spacingVerticalS },
  table: { minWidth: '420px' },
  samples: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
});

/** A dataset's columns with a few sample values each. */
export function ColumnsPreview(props: { title: string; columns: readonly ColumnPreview[] }) {
  const styles = useStyles();
  return (
    <div className={styles.wrap}>
      <Table size="extra-small" aria-label={props.title} className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{props.title}</TableHeaderCell>
            <TableHeaderCell>Sample values</TableHeaderCell>
            <TableHeaderCell>Filled</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {props.columns.map((column) => (
            <TableRow key={column.name}>
              <TableCell>{column.name}</TableCell>
              <TableCell>
                <Caption1 className={styles.samples}>{column.samples.join(', ') || '—'}</Caption1>
              </TableCell>
              <TableCell>{formatCount(column.filled)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
