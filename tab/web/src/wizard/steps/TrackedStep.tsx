import {
  Avatar,
  Body1,
  Caption1,
  Field,
  Spinner,
  Tag,
  TagPicker,
  TagPickerControl,
  TagPickerGroup,
  TagPickerInput,
  TagPickerList,
  TagPickerOption,
  TagPickerOptionGroup,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, PeopleTeamRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import { useResource } from '../../api/use-resource';
import { useDebounced } from '../../ui/use-debounced';
import { directory, type Match } from '../directory-api';
import {
  MAX_TRACKED_USERS,
  MIN_TRACKED_USERS,
  entryText,
  isTrackableEntry,
  memberCountText,
  messageFor,
  trackedSummary,
  type EntryKinds,
  type EntryLabels,
} from '../wizard-model';
import type { StepProps } from './step-props';

/** The value of the list's informative lines ("nothing found"), which select nothing. */
const NO_MATCH = '\u0000no-match';

const useStyles = makeStyles({
  summary: { color: tokens.colorNeutralForeground2 },
  group: { flexWrap: 'wrap' },
  note: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}` },
});

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** "Group · 14 people · ussales@fabrikam.com", or a person's address. */
function secondaryOf(match: Match): string {
  if (match.kind === 'user') return match.address ?? '';
  return ['Group', memberCountText(match.memberCount), match.address].filter(Boolean).join(' · ');
}

function MatchOption(props: { match: Match }) {
  const { match } = props;
  return (
    <TagPickerOption
      value={match.entry}
      text={match.displayName ?? match.entry}
      secondaryContent={secondaryOf(match)}
      media={
        match.kind === 'group' ? (
          <Avatar icon={<PeopleTeamRegular />} shape="square" aria-hidden />
        ) : (
          <Avatar name={match.displayName ?? match.entry} color="colorful" aria-hidden />
        )
      }
    >
      {match.displayName ?? match.entry}
    </TagPickerOption>
  );
}

/**
 * Tracked addresses and groups, picked from the directory: the groups and some people are offered
 * as soon as the field is focused, a word anywhere in a name finds it ("sales" finds "US Sales"),
 * and groups show how many people they resolve to before anything is saved.
 */
export function TrackedStep(props: StepProps) {
  const styles = useStyles();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  // Focusing the field opens the list; the click that focused it must not close it again.
  const focusedAt = useRef(0);
  const typed = useDebounced(query.trim(), 250);
  const tracked = props.draft.tracked ?? [];
  const matches = useResource(`directory:${typed}`, (signal) => directory.search(typed, signal), {
    enabled: typed.length > 0,
  });
  const suggestions = useResource('directory-suggestions', (signal) => directory.suggestions(signal), {
    enabled: open,
  });
  const untracked = (list: readonly Match[]) => list.filter((m) => !tracked.some((t) => same(t, m.entry)));
  const searching = query.trim() !== '';
  const found = untracked(matches.data?.matches ?? []);
  const suggested = untracked(suggestions.data?.matches ?? []);
  const freeEntry = query.trim();
  const offerFree =
    isTrackableEntry(freeEntry) &&
    !tracked.some((t) => same(t, freeEntry)) &&
    !found.some((m) => same(m.entry, freeEntry));

  const remember = (list: readonly Match[]) => {
    const kinds: EntryKinds = {};
    const labels: EntryLabels = {};
    for (const m of list) {
      kinds[m.entry] = m.kind;
      labels[m.entry] = { name: m.displayName, memberCount: m.memberCount ?? null };
    }
    props.rememberKinds(kinds);
    props.rememberLabels(labels);
  };

  // Entries whose name the tab does not know (typed as addresses, or listed on another device) are
  // looked up once each, so that they show as "US Sales · 14 people" too.
  const looked = useRef(new Set<string>());
  const { rememberKinds, rememberLabels, labels } = props;
  const unknown = tracked.filter((e) => labels[e] === undefined && !looked.current.has(e.toLowerCase()));
  const unknownKey = unknown.join('\n');
  useEffect(() => {
    if (!unknownKey) return;
    let live = true;
    const entries = unknownKey.split('\n');
    for (const entry of entries) looked.current.add(entry.toLowerCase());
    void (async () => {
      for (const entry of entries) {
        const answer = await directory.search(entry).catch(() => undefined);
        const match = answer?.matches.find((m) => same(m.entry, entry) || same(m.id, entry));
        if (!live || !match) continue;
        rememberKinds({ [entry]: match.kind });
        rememberLabels({ [entry]: { name: match.displayName, memberCount: match.memberCount ?? null } });
      }
    })();
    return () => {
      live = false;
    };
  }, [unknownKey, rememberKinds, rememberLabels]);

  const setTracked = (entries: string[]) => props.update((d) => ({ ...d, tracked: entries }));
  const groupsOffered = suggested.filter((m) => m.kind === 'group');
  const peopleOffered = suggested.filter((m) => m.kind === 'user');

  return (
    <>
      <Body1>
        Choose the colleagues whose email and meetings with customers count: people, or groups whose members
        are all tracked (nested groups included). Between {MIN_TRACKED_USERS} and{' '}
        {MAX_TRACKED_USERS.toLocaleString()} users must result; groups are expanded when you save.
      </Body1>
      <Field
        label="Addresses and groups to track"
        required
        validationMessage={messageFor(props.messages, 'tracked')}
        hint="Pick a group or a person from the list, or type part of a name or an address. A full address can be added as typed."
      >
        <TagPicker
          open={open}
          onOpenChange={(_, data) => {
            if (!data.open && data.type === 'click' && Date.now() - focusedAt.current < 500) return;
            setOpen(data.open);
          }}
          selectedOptions={tracked}
          onOptionSelect={(_, data) => {
            if (data.value === NO_MATCH) return;
            const match = [...found, ...suggested].find((m) => m.entry === data.value);
            if (match) remember([match]);
            setTracked(data.selectedOptions);
            setQuery('');
            // The list closes on a pick (it would cover what follows); a click opens it again.
            setOpen(false);
          }}
        >
          <TagPickerControl>
            <TagPickerGroup aria-label="Tracked entries" className={styles.group}>
              {tracked.map((entry) => (
                <Tag
                  key={entry}
                  value={entry}
                  shape="rounded"
                  title={entry}
                  dismissIcon={{ 'aria-label': 'remove' }}
                  media={
                    props.kinds[entry] === 'group' ? (
                      <Avatar icon={<PeopleTeamRegular />} shape="square" aria-hidden />
                    ) : (
                      <Avatar name={labels[entry]?.name ?? entry} color="colorful" aria-hidden />
                    )
                  }
                >
                  {entryText(entry, props.kinds[entry], labels[entry])}
                </Tag>
              ))}
            </TagPickerGroup>
            <TagPickerInput
              aria-label="Find a person or group"
              value={query}
              onFocus={() => {
                focusedAt.current = Date.now();
                setOpen(true);
              }}
              onChange={(event) => {
                setQuery(event.target.value);
                setOpen(true);
              }}
            />
          </TagPickerControl>
          <TagPickerList>
            {searching ? (
              <>
                {matches.loading && typed ? (
                  <Spinner size="tiny" label="Searching the directory…" />
                ) : undefined}
                {offerFree ? (
                  <TagPickerOption value={freeEntry} text={freeEntry} media={<AddRegular aria-hidden />}>
                    {`Add “${freeEntry}”`}
                  </TagPickerOption>
                ) : undefined}
                {found.map((match) => (
                  <MatchOption key={match.entry} match={match} />
                ))}
                {typed && !matches.loading && found.length === 0 && !offerFree ? (
                  <TagPickerOption value={NO_MATCH} text="">
                    {`No person or group matches “${typed}”`}
                  </TagPickerOption>
                ) : undefined}
              </>
            ) : (
              <>
                {suggestions.loading && !suggestions.data ? (
                  <Spinner size="tiny" label="Loading the groups…" />
                ) : undefined}
                {groupsOffered.length > 0 ? (
                  <TagPickerOptionGroup label="Groups">
                    {groupsOffered.map((match) => (
                      <MatchOption key={match.entry} match={match} />
                    ))}
                  </TagPickerOptionGroup>
                ) : undefined}
                {peopleOffered.length > 0 ? (
                  <TagPickerOptionGroup label="People">
                    {peopleOffered.map((match) => (
                      <MatchOption key={match.entry} match={match} />
                    ))}
                  </TagPickerOptionGroup>
                ) : undefined}
                {suggestions.data && suggested.length === 0 ? (
                  <TagPickerOption value={NO_MATCH} text="">
                    Type part of a name or an address to find more
                  </TagPickerOption>
                ) : undefined}
                {suggestions.problem ? (
                  <Caption1 className={styles.note}>{suggestions.problem.message}</Caption1>
                ) : undefined}
              </>
            )}
          </TagPickerList>
        </TagPicker>
      </Field>
      <Caption1 className={styles.summary} aria-live="polite" data-testid="tracked-summary">
        {trackedSummary(tracked, props.kinds, labels)}
      </Caption1>
    </>
  );
}
