import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  CardHeader,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Link,
  Spinner,
  Subtitle2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, DeleteRegular, EditRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { ApiProblem } from '../../api/client';
import { api } from '../../api/operations';
import type { Enrichment, Segment } from '../../api/types';
import { useResource } from '../../api/use-resource';
import type { ScreenProps } from '../../shell/ScreenView';
import { formatCount } from '../../ui/format';
import { NeedsEnrichment } from '../../ui/NeedsEnrichment';
import { PageHeader } from '../../ui/PageHeader';
import { ProblemBar } from '../../ui/ProblemBar';
import { RowsTable, type RowsSource } from '../results/RowsTable';
import { MeasuresPanel } from './MeasuresPanel';
import { describeRules } from './rule-model';
import { SegmentBuilder } from './SegmentBuilder';

const useStyles = makeStyles({
  list: {
    display: 'grid',
    gap: tokens.spacingHorizontalM,
    gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 240px), 1fr))',
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  item: { height: '100%', boxSizing: 'border-box', gap: tokens.spacingVerticalXS },
  selected: { outline: `2px solid ${tokens.colorBrandStroke1}` },
  members: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground2 },
  card: { gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

const segmentHref = (query: string) => `#/segments${query ? `?${query}` : ''}`;

export function SegmentsScreen(props: ScreenProps) {
  return (
    <NeedsEnrichment title="Segments and measures">
      {(enrichment) => <Segments enrichment={enrichment} query={props.route.query} />}
    </NeedsEnrichment>
  );
}

const memberRows = (enrichmentId: string, segmentId: string): RowsSource => ({
  key: `members:${enrichmentId}:${segmentId}`,
  load: ({ sort, order, pageSize, page }, signal) =>
    api.members(enrichmentId, segmentId, { sort, order, pageSize, page }, signal),
  searchable: false,
});

function Segments(props: { enrichment: Enrichment; query: URLSearchParams }) {
  const styles = useStyles();
  const id = props.enrichment.enrichmentId;
  const list = useResource(`segments:${id}`, (signal) => api.segments(id, signal));
  const segments = list.data?.segments ?? [];
  const editId = props.query.get('edit');
  const creating = props.query.has('new');
  const selectedId = props.query.get('segment') ?? segments[0]?.segmentId;
  const selected = segments.find((s) => s.segmentId === selectedId);
  const [deleteProblem, setDeleteProblem] = useState<ApiProblem>();

  const afterSave = (segment: Segment) => {
    list.reload();
    window.location.hash = segmentHref(`segment=${encodeURIComponent(segment.segmentId)}`);
  };

  if (creating || editId) {
    const editing = segments.find((s) => s.segmentId === editId);
    if (editId && !editing) return list.loading ? <Spinner label="Loading the segment…" /> : null;
    return (
      <SegmentBuilder
        key={editId ?? 'new'}
        enrichmentId={id}
        {...(editing ? { segment: editing } : {})}
        onSaved={afterSave}
        onCancel={() => window.history.back()}
      />
    );
  }

  const remove = async (segment: Segment) => {
    setDeleteProblem(undefined);
    try {
      await api.deleteSegment(id, segment.segmentId);
      list.reload();
      window.location.hash = segmentHref('');
    } catch (error) {
      setDeleteProblem(error instanceof ApiProblem ? error : undefined);
    }
  };

  return (
    <>
      <PageHeader
        title="Segments and measures"
        description="Groups of accounts by rules over the output entity's columns, kept current by every run."
        actions={
          <Button appearance="primary" icon={<AddRegular />} as="a" href={segmentHref('new=1')}>
            New segment
          </Button>
        }
      />
      <ProblemBar problem={list.problem} title="The segments could not be loaded" onRetry={list.reload} />
      {list.loading && !list.data && <Spinner label="Loading the segments…" />}
      {list.data && (
        <ul className={styles.list} aria-label="Segments">
          {segments.map((segment) => (
            <li key={segment.segmentId}>
              <Card
                className={mergeClasses(styles.item, segment.segmentId === selectedId && styles.selected)}
                data-testid={`segment-${segment.segmentId}`}
              >
                <CardHeader
                  header={
                    <Link
                      href={segmentHref(`segment=${encodeURIComponent(segment.segmentId)}`)}
                      aria-current={segment.segmentId === selectedId ? 'true' : undefined}
                    >
                      {segment.name}
                    </Link>
                  }
                  action={segment.builtIn ? <Badge appearance="tint">Built-in</Badge> : undefined}
                />
                <Body1>
                  <span className={styles.members} data-testid="segment-members">
                    {segment.members === null ? '—' : formatCount(segment.members)}
                  </span>{' '}
                  <span className={styles.muted}>of {formatCount(list.data?.accounts ?? 0)} accounts</span>
                </Body1>
                <Caption1 className={styles.muted}>
                  {segment.description ?? describeRules(segment.rules)}
                </Caption1>
              </Card>
            </li>
          ))}
        </ul>
      )}
      {selected && (
        <Card className={styles.card} aria-labelledby="segment-title">
          <CardHeader
            header={
              <Subtitle2 as="h2" id="segment-title">
                {selected.name}: members
              </Subtitle2>
            }
            description={<Caption1 className={styles.muted}>{describeRules(selected.rules)}</Caption1>}
            action={
              selected.builtIn ? undefined : (
                <div className={styles.actions}>
                  <Button
                    icon={<EditRegular />}
                    as="a"
                    href={segmentHref(`edit=${encodeURIComponent(selected.segmentId)}`)}
                  >
                    Edit
                  </Button>
                  <Dialog>
                    <DialogTrigger disableButtonEnhancement>
                      <Button icon={<DeleteRegular />}>Delete</Button>
                    </DialogTrigger>
                    <DialogSurface>
                      <DialogBody>
                        <DialogTitle>Delete “{selected.name}”?</DialogTitle>
                        <DialogContent>The segment goes; the accounts and their results stay.</DialogContent>
                        <DialogActions>
                          <DialogTrigger disableButtonEnhancement>
                            <Button>Cancel</Button>
                          </DialogTrigger>
                          <DialogTrigger disableButtonEnhancement>
                            <Button appearance="primary" onClick={() => void remove(selected)}>
                              Delete
                            </Button>
                          </DialogTrigger>
                        </DialogActions>
                      </DialogBody>
                    </DialogSurface>
                  </Dialog>
                </div>
              )
            }
          />
          <ProblemBar problem={deleteProblem} title="Not deleted" />
          <RowsTable
            key={selected.segmentId}
            source={memberRows(id, selected.segmentId)}
            columns={['AccountName', 'EngagementScore', 'DaysSinceLastEmail', 'DaysSinceLastMeeting']}
            pageSize={10}
            caption={`Members of ${selected.name}`}
            staleThresholdDays={props.enrichment.staleThresholdDays}
            countText={(total) => `${formatCount(total)} ${total === 1 ? 'member' : 'members'}`}
          />
        </Card>
      )}
      {list.data && (
        <MeasuresPanel
          key={selected?.segmentId ?? 'all'}
          enrichmentId={id}
          segments={segments}
          {...(selected ? { segmentId: selected.segmentId } : {})}
        />
      )}
    </>
  );
}
