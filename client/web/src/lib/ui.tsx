import { useId, type KeyboardEvent, type ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { errorText } from './errors';

/** ILLEGAL_DRUGS → "Illegal drugs". */
export function label(value: string | null | undefined): string {
  if (!value) return '';
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

// LocalDate and DateTimeISO arrive as strings; codegen types custom scalars as unknown.
const asString = (value: unknown) => (typeof value === 'string' && value ? value : null);

/** A LocalDate ('YYYY-MM-DD') or DateTimeISO for people. */
export function formatDate(value: unknown): string {
  const s = asString(value);
  return s ? dateFormat.format(new Date(s.length === 10 ? `${s}T00:00:00` : s)) : '';
}

export function formatDateTime(value: unknown): string {
  const s = asString(value);
  return s ? dateTimeFormat.format(new Date(s)) : '';
}

/** What the server lists in a sanitised record's `withheld`: a field you are not shown, and why. */
export interface WithheldShape {
  field: string;
  reason: string;
}

/** Why `field` is withheld from you, or null when it is not (police, or a field partners see). */
export function withheldReason(withheld: readonly WithheldShape[] | null | undefined, field: string): string | null {
  return withheld?.find((w) => w.field === field)?.reason ?? null;
}

/** The notice shown in place of a withheld value, so it never looks like "not recorded". */
export function Withheld({ reason }: { reason: string }) {
  return <span className="empty withheld">Withheld: {reason}</span>;
}

/** For text-only places (select options, labels): the value, or "Withheld: reason". */
export function textOrWithheld(value: string | null | undefined, withheld: readonly WithheldShape[] | null | undefined, field: string): string {
  const reason = withheldReason(withheld, field);
  return reason ? `Withheld: ${reason}` : (value ?? '');
}

/**
 * The one way a possibly-empty field is shown, so an empty value is never a blank cell. A field
 * withheld from you (pass its reason, see withheldReason) shows "Withheld: reason" instead.
 */
export function Value({ children, empty = 'not recorded', withheld }: { children: ReactNode; empty?: string; withheld?: string | null }) {
  if (withheld) return <Withheld reason={withheld} />;
  const isEmpty = children === null || children === undefined || children === '' || (Array.isArray(children) && !children.length);
  return isEmpty ? <span className="empty">{empty}</span> : <>{children}</>;
}

export function Badge({ tone = 'plain', children }: { tone?: 'plain' | 'warn' | 'bad' | 'good'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

const priorityTone = { HIGH: 'bad', MEDIUM: 'warn', LOW: 'plain', STANDARD: 'plain' } as const;

export function PriorityBadge({ priority, withheld }: { priority: keyof typeof priorityTone | null | undefined; withheld?: string | null }) {
  if (withheld) return <Withheld reason={withheld} />;
  return priority ? <Badge tone={priorityTone[priority]}>{label(priority)}</Badge> : <span className="empty">not assessed</span>;
}

/** Loading and error states of a query, then the content. */
export function Loaded<T>({ data, fetching, error, children }: { data: T | undefined | null; fetching: boolean; error?: CombinedError; children: (data: T) => ReactNode }) {
  if (error && !data) return <p role="alert" className="error">{errorText(error)}</p>;
  if (!data) return <p aria-busy={fetching}>Loading…</p>;
  return <>{children(data)}</>;
}

/** A labelled form control with its hint and the server's messages beside it. */
export function Field({ label: text, hint, errors = [], children }: { label: string; hint?: ReactNode; errors?: string[]; children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode }) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', errors.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={errors.length ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{text}</label>
      {hint && <div id={`${id}-hint`} className="hint">{hint}</div>}
      {errors.length > 0 && (
        <div id={`${id}-error`} className="field-error" role="alert">
          {errors.join(' ')}
        </div>
      )}
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': errors.length ? true : undefined })}
    </div>
  );
}

/** Messages for the whole form (conflicts, permissions, fields no control shows). */
export function FormAlert({ messages }: { messages: string[] }) {
  if (!messages.length) return null;
  return (
    <div role="alert" className="error">
      {messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
    </div>
  );
}

export interface PageInfoShape {
  hasNextPage: boolean;
  endCursor?: string | null;
}

/** Forward paging through a connection; the caller keeps the cursor trail so Back works. */
export function Pager({ pageInfo, total, shown, trail, onMove }: { pageInfo: PageInfoShape; total: number; shown: number; trail: (string | null)[]; onMove: (trail: (string | null)[]) => void }) {
  return (
    <nav className="pager" aria-label="Pages">
      <span>
        {shown} of {total}
      </span>
      <button type="button" disabled={trail.length <= 1} onClick={() => onMove(trail.slice(0, -1))}>
        Previous
      </button>
      <button type="button" disabled={!pageInfo.hasNextPage} onClick={() => onMove([...trail, pageInfo.endCursor ?? null])}>
        Next
      </button>
    </nav>
  );
}

/**
 * A required choice among a screen's words for an enum's values; nothing is chosen until the user
 * picks. Its options are '' and the words' keys, so the value it reports is one of those.
 */
export function WordChoice<K extends string>({ label: text, words, value, onChange, errors }: { label: string; words: Record<K, string>; value: K | ''; onChange: (value: K | '') => void; errors?: string[] }) {
  return (
    <Field label={text} errors={errors}>
      {(p) => (
        <select {...p} aria-required value={value} onChange={(e) => onChange(e.target.value as K | '')}>
          <option value="">Choose</option>
          {Object.entries<string>(words).map(([key, word]) => (
            <option key={key} value={key}>
              {word}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function enumOptions(values: readonly string[]) {
  return values.map((v) => (
    <option key={v} value={v}>
      {label(v)}
    </option>
  ));
}

/**
 * Tabs as the WAI-ARIA tabs pattern has them: one tab stop (the selected tab); Left/Right move
 * to and open the previous/next tab, Home/End the first/last; the panel is labelled by its tab.
 */
export function Tabs<K extends string>({ label: name, tabs, selected, onSelect, children }: { label: string; tabs: readonly (readonly [K, string])[]; selected: K; onSelect: (key: K) => void; children: ReactNode }) {
  const baseId = useId();
  const idOf = (key: K, part: 'tab' | 'panel') => `${baseId}-${part}-${key}`;
  const move = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = tabs.length - 1;
    const to = { ArrowLeft: index === 0 ? last : index - 1, ArrowRight: index === last ? 0 : index + 1, Home: 0, End: last }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    onSelect(tabs[to][0]);
    document.getElementById(idOf(tabs[to][0], 'tab'))?.focus();
  };
  return (
    <>
      <div role="tablist" aria-label={name} className="tabs">
        {tabs.map(([key, text], index) => (
          <button
            key={key}
            id={idOf(key, 'tab')}
            type="button"
            role="tab"
            aria-selected={selected === key}
            aria-controls={idOf(key, 'panel')}
            tabIndex={selected === key ? 0 : -1}
            onClick={() => onSelect(key)}
            onKeyDown={(event) => move(event, index)}
          >
            {text}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={idOf(selected, 'panel')} aria-labelledby={idOf(selected, 'tab')} tabIndex={0}>
        {children}
      </div>
    </>
  );
}
