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
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, PeopleTeamRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { api } from '../../api/operations';
import { useResource } from '../../api/use-resource';
import { useDebounced } from '../../ui/use-debounced';
import { MAX_TRACKED_USERS, MIN_TRACKED_USERS, isTrackableEntry, messageFor } from '../wizard-model';
import type { StepProps } from './step-props';

/** The value of the list's "nothing found" line, which selects nothing. */
const NO_MATCH = '\u0000no-match';

const useStyles = makeStyles({
  summary: { color: tokens.colorNeutralForeground2 },
  group: { flexWrap: 'wrap' },
});

/** Tracked addresses and groups, with type-ahead against the directory. */
export function TrackedStep(props: StepProps) {
  const styles = useStyles();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const typed = useDebounced(query.trim(), 250);
  const tracked = props.draft.tracked ?? [];
  const matches = useResource(`directory:${typed}`, (signal) => api.directory(typed, signal), {
    enabled: typed.length > 0,
  });
  const found = (matches.data?.matches ?? []).filter((m) => !tracked.includes(m.entry));
  const freeEntry = query.trim();
  const offerFree =
    isTrackableEntry(freeEntry) &&
    !tracked.some((t) => t.toLowerCase() === freeEntry.toLowerCase()) &&
    !found.some((m) => m.entry.toLowerCase() === freeEntry.toLowerCase());

  const setTracked = (entries: string[]) => props.update((d) => ({ ...d, tracked: entries }));
  const groups = tracked.filter((e) => props.kinds[e] === 'group').length;
  const people = tracked.length - groups;

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
        hint="Type a name or an address, then pick from the directory. A full address can be added as typed."
      >
        <TagPicker
          open={open && query.trim() !== ''}
          onOpenChange={(_, data) => setOpen(data.open)}
          selectedOptions={tracked}
          onOptionSelect={(_, data) => {
            if (data.value === NO_MATCH) return;
            const match = found.find((m) => m.entry === data.value);
            if (match) props.rememberKinds({ [match.entry]: match.kind });
            setTracked(data.selectedOptions);
            setQuery('');
          }}
        >
          <TagPickerControl>
            <TagPickerGroup aria-label="Tracked entries" className={styles.group}>
              {tracked.map((entry) => (
                <Tag
                  key={entry}
                  value={entry}
                  shape="rounded"
                  dismissIcon={{ 'aria-label': 'remove' }}
                  media={
                    props.kinds[entry] === 'group' ? (
                      <Avatar icon={<PeopleTeamRegular />} shape="square" aria-hidden />
                    ) : (
                      <Avatar name={entry} color="colorful" aria-hidden />
                    )
                  }
                >
                  {entry}
                </Tag>
              ))}
            </TagPickerGroup>
            <TagPickerInput
              aria-label="Find a person or group"
              value={query}
              onChange={(event) => {
                setQuery(event.target.value);
                setOpen(true);
              }}
            />
          </TagPickerControl>
          <TagPickerList>
            {matches.loading && typed ? <Spinner size="tiny" label="Searching the directory…" /> : undefined}
            {offerFree ? (
              <TagPickerOption value={freeEntry} text={freeEntry} media={<AddRegular aria-hidden />}>
                {`Add “${freeEntry}”`}
              </TagPickerOption>
            ) : undefined}
            {found.map((match) => (
              <TagPickerOption
                key={match.entry}
                value={match.entry}
                text={match.displayName ?? match.entry}
                secondaryContent={
                  match.kind === 'group' ? `Group · ${match.address ?? match.id}` : (match.address ?? '')
                }
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
            ))}
            {typed && !matches.loading && found.length === 0 && !offerFree ? (
              <TagPickerOption value={NO_MATCH} text="">
                No person or group starts with that
              </TagPickerOption>
            ) : undefined}
          </TagPickerList>
        </TagPicker>
      </Field>
      <Caption1 className={styles.summary} aria-live="polite" data-testid="tracked-summary">
        {tracked.length === 0
          ? 'Nothing listed yet.'
          : `${tracked.length} listed: ${people} ${people === 1 ? 'person' : 'people'}, ${groups} ${groups === 1 ? 'group' : 'groups'}.`}
      </Caption1>
    </>
  );
}
