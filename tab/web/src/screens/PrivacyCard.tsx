import {
  Body1,
  Card,
  CardHeader,
  Combobox,
  Field,
  Option,
  Subtitle2,
  Switch,
  Tag,
  TagGroup,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { api } from '../api/operations';
import type { Enrichment, PrivacySettings } from '../api/types';
import { useResource } from '../api/use-resource';
import { ProblemBar } from '../ui/ProblemBar';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalM },
  lists: {
    display: 'grid',
    gap: tokens.spacingHorizontalL,
    gridTemplateColumns: 'repeat(auto-fit, minmax(240px, 1fr))',
    alignItems: 'start',
  },
  muted: { color: tokens.colorNeutralForeground2 },
  mailboxes: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  picker: { minWidth: 0, maxWidth: '420px' },
  tags: { flexWrap: 'wrap', rowGap: tokens.spacingVerticalXS },
});

/** The Privacy section's input: the lists as the admin types them, one entry per line. */
export interface PrivacyForm {
  countPrivateMeetings: boolean;
  excludedAddresses: string;
  excludedDomains: string;
  excludedMailboxes: string[];
}

export function privacyFormOf(privacy: PrivacySettings): PrivacyForm {
  return {
    countPrivateMeetings: privacy.countPrivateMeetings,
    excludedAddresses: privacy.excludedAddresses.join('\n'),
    excludedDomains: privacy.excludedDomains.join('\n'),
    excludedMailboxes: [...privacy.excludedMailboxes],
  };
}

/** Entries separated by lines, commas or semicolons; the server checks each one and names the bad ones. */
const entriesOf = (text: string): string[] =>
  text
    .split(/[\n,;]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);

export function privacyOf(form: PrivacyForm): PrivacySettings {
  return {
    countPrivateMeetings: form.countPrivateMeetings,
    excludedAddresses: entriesOf(form.excludedAddresses),
    excludedDomains: entriesOf(form.excludedDomains),
    excludedMailboxes: form.excludedMailboxes,
  };
}

export function PrivacyCard(props: {
  enrichment: Enrichment;
  form: PrivacyForm;
  onChange: (form: PrivacyForm) => void;
  /** The server's message for a field (`privacy.excludedDomains`), if any. */
  at: (field: string) => string | undefined;
}) {
  const styles = useStyles();
  const { form, onChange, at } = props;
  const enrichmentId = props.enrichment.enrichmentId;
  const people = useResource(`tracked-users:${enrichmentId}`, (signal) =>
    api.trackedUsers(enrichmentId, signal),
  );
  const [query, setQuery] = useState('');
  const set = <K extends keyof PrivacyForm>(key: K, value: PrivacyForm[K]) =>
    onChange({ ...form, [key]: value });
  const nameOf = (address: string) =>
    people.data?.users.find((u) => u.address === address)?.displayName ?? address;
  const matching = (people.data?.users ?? []).filter((u) =>
    `${u.displayName ?? ''} ${u.address}`.toLowerCase().includes(query.trim().toLowerCase()),
  );

  return (
    <Card className={styles.card} aria-labelledby="privacy-heading">
      <CardHeader
        header={
          <Subtitle2 as="h2" id="privacy-heading">
            Privacy
          </Subtitle2>
        }
      />
      <Body1 className={styles.muted}>
        What never counts and whose mailboxes are never read. Automated senders (noreply@, notifications@,
        postmaster@ and the like) never count as customers. Changes apply from the next run and are kept in
        the history below.
      </Body1>
      <Field validationMessage={at('privacy.countPrivateMeetings')}>
        <Switch
          checked={form.countPrivateMeetings}
          onChange={(_, d) => set('countPrivateMeetings', d.checked)}
          label="Count private and confidential meetings"
        />
      </Field>
      <div className={styles.lists}>
        <Field
          label="Excluded addresses"
          hint="One per line. These people never count as a customer's contacts."
          validationMessage={at('privacy.excludedAddresses')}
        >
          <Textarea
            resize="vertical"
            rows={3}
            placeholder="assistant@contoso.com"
            value={form.excludedAddresses}
            onChange={(_, d) => set('excludedAddresses', d.value)}
          />
        </Field>
        <Field
          label="Excluded domains"
          hint="One per line. A domain excludes its subdomains too (contoso.com covers eu.contoso.com)."
          validationMessage={at('privacy.excludedDomains')}
        >
          <Textarea
            resize="vertical"
            rows={3}
            placeholder="partner-agency.com"
            value={form.excludedDomains}
            onChange={(_, d) => set('excludedDomains', d.value)}
          />
        </Field>
      </div>
      <div className={styles.mailboxes}>
        <Field
          label="Excluded mailboxes"
          hint="Tracked people whose mail and calendar are never read, and who count as no tracked user."
          validationMessage={at('privacy.excludedMailboxes')}
        >
          <Combobox
            className={styles.picker}
            multiselect
            freeform
            placeholder={
              people.loading && !people.data ? 'Loading the tracked people…' : 'Pick tracked people'
            }
            value={query}
            selectedOptions={form.excludedMailboxes}
            onChange={(event) => setQuery(event.target.value)}
            onOptionSelect={(_, d) => {
              set('excludedMailboxes', d.selectedOptions);
              setQuery('');
            }}
          >
            {matching.map((u) => (
              <Option key={u.address} value={u.address} text={u.displayName ?? u.address}>
                {u.displayName ? `${u.displayName} (${u.address})` : u.address}
              </Option>
            ))}
          </Combobox>
        </Field>
        <ProblemBar problem={people.problem} title="The tracked people could not be listed" />
        {form.excludedMailboxes.length > 0 && (
          <TagGroup
            className={styles.tags}
            aria-label="Excluded mailboxes"
            onDismiss={(_, d) =>
              set(
                'excludedMailboxes',
                form.excludedMailboxes.filter((a) => a !== d.value),
              )
            }
          >
            {form.excludedMailboxes.map((address) => (
              <Tag
                key={address}
                value={address}
                dismissible
                dismissIcon={{ 'aria-label': `Read ${address} again` }}
              >
                {nameOf(address)}
              </Tag>
            ))}
          </TagGroup>
        )}
      </div>
    </Card>
  );
}
