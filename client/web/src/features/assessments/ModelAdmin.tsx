import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useClient, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { Confidence, PreviewAssessmentModelQuery, PriorityBand } from '../../gql/graphql';
import { formErrors, messagesFor, noErrors, unclaimedMessages, type FormErrors } from '../../lib/errors';
import { Field, FormAlert, formatDateTime, label, Loaded } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { confidenceLabels, groups } from './model';
import { bands, changesBetween, confidences, definitionOf, draftOf, upliftWords, withScaleMax, type Draft, type FullDefinition } from './modelDraft';

const ModelInForceDocument = graphql(`
  query AssessmentModelAdmin {
    assessmentModel {
      version
      definition
      note
      createdAt
      createdBy {
        id
        displayName
      }
    }
  }
`);

const PreviewAssessmentModelDocument = graphql(`
  query PreviewAssessmentModel($input: PublishAssessmentModelInput!) {
    previewAssessmentModel(input: $input) {
      current {
        version
      }
      nextVersion
      approvedAssessments
      assessmentsChangingBand
      assessmentMoves {
        from
        to
        count
      }
      assessedThreats
      threatsChangingPriority
      threatMoves {
        from
        to
        count
      }
      threatChanges {
        from
        to
        threat {
          id
          name
          protectiveMarking
        }
      }
    }
  }
`);

const PublishAssessmentModelDocument = graphql(`
  mutation PublishAssessmentModel($input: PublishAssessmentModelInput!) {
    publishAssessmentModel(input: $input) {
      version
    }
  }
`);

type Preview = PreviewAssessmentModelQuery['previewAssessmentModel'];

/** Claimed by a control on the form (anything else is listed at the top, so no message is lost). */
const CLAIMED = ['definition.name', 'definition.scale', 'definition.harm', 'definition.likelihood', 'definition.organisationalPosition', 'definition.confidenceFactor', 'definition.priorityBands', 'definition.threatPriority', 'definition.reviewPeriodDays', 'note'];

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const band = (b: PriorityBand | null | undefined) => (b ? label(b) : 'no priority');

/**
 * The MoRiLE scoring model (`/admin/assessment-model`): the version in force, and for
 * administrators the next version drafted from it, previewed (what differs, and which current
 * assessments and threats would fall in another band) and published after confirming.
 */
export function ModelAdmin() {
  const viewer = useViewer();
  if (!viewer.roles.includes('ADMIN')) {
    return (
      <>
        <h1>Assessment model</h1>
        <p>Only administrators can publish a new version of the assessment model.</p>
      </>
    );
  }
  return <ModelEditor />;
}

function ModelEditor() {
  const [{ data, fetching, error }, reload] = useQuery({ query: ModelInForceDocument, requestPolicy: 'network-only' });
  const model = data?.assessmentModel;
  const [published, setPublished] = useState<string | null>(null);
  return (
    <>
      <h1>Assessment model</h1>
      <p>
        The model every MoRiLE assessment is scored with: the scale, how much each factor counts, how confidence moderates the risk score, and where each
        priority band starts.
      </p>
      <p role="status" className="hint">
        {published}
      </p>
      <Loaded data={model} fetching={fetching} error={error}>
        {(m) => (
          <ModelForm
            key={m.version}
            version={m.version}
            definition={m.definition as FullDefinition}
            publishedAt={m.createdAt}
            publishedBy={m.createdBy?.displayName ?? null}
            note={m.note ?? null}
            onPublished={(version) => {
              setPublished(`Version ${version} is now in force: new assessments are scored with it.`);
              reload({ requestPolicy: 'network-only' });
            }}
          />
        )}
      </Loaded>
    </>
  );
}

interface FormProps {
  version: number;
  definition: FullDefinition;
  publishedAt: unknown;
  publishedBy: string | null;
  note: string | null;
  onPublished: (version: number) => void;
}

function ModelForm({ version, definition, publishedAt, publishedBy, note: currentNote, onPublished }: FormProps) {
  const client = useClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(definition));
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [preview, setPreview] = useState<{ definition: FullDefinition; changes: string[]; effect: Preview; note: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const previewHeading = useRef<HTMLHeadingElement>(null);
  const next = version + 1;

  useEffect(() => {
    if (preview) previewHeading.current?.focus();
  }, [preview]);

  const edit = (change: (d: Draft) => Draft) => {
    setDraft(change);
    setPreview(null);
    setConfirming(false);
  };
  const errorsFor = (field: string) => messagesFor(errors, `definition.${field}`);

  const showPreview = async () => {
    setBusy(true);
    const input = { definition: definitionOf(draft, definition), note: note.trim() || null };
    const result = await client.query(PreviewAssessmentModelDocument, { input }, { requestPolicy: 'network-only' }).toPromise();
    setBusy(false);
    if (result.error || !result.data) {
      setErrors(result.error ? formErrors(result.error) : { fields: {}, general: ['The preview could not be made.'] });
      setPreview(null);
      return;
    }
    setErrors(noErrors);
    const after = input.definition as FullDefinition;
    setPreview({ definition: after, changes: changesBetween(definition, after), effect: result.data.previewAssessmentModel, note: input.note ?? '' });
  };

  const publish = async () => {
    if (!preview) return;
    setBusy(true);
    // Someone else may have published since the preview: its figures would then be against another version.
    const now = await client.query(ModelInForceDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    if (now.data?.assessmentModel && now.data.assessmentModel.version !== version) {
      setErrors({ fields: {}, general: [`Someone else published version ${now.data.assessmentModel.version} since you opened this page: nothing was published. Reload the page to draft from it.`] });
      setBusy(false);
      setConfirming(false);
      return;
    }
    const result = await client.mutation(PublishAssessmentModelDocument, { input: { definition: preview.definition, note: preview.note || null } }).toPromise();
    setBusy(false);
    if (result.error || !result.data) {
      setErrors(result.error ? formErrors(result.error) : { fields: {}, general: ['Nothing was published.'] });
      setConfirming(false);
      return;
    }
    onPublished(result.data.publishAssessmentModel.version);
  };

  return (
    <>
      <section aria-labelledby="in-force">
        <h2 id="in-force">Version {version} is in force</h2>
        <p>
          Published {formatDateTime(publishedAt)}
          {publishedBy ? ` by ${publishedBy}` : ' (the model the platform started with)'}.{currentNote ? ` ${currentNote}` : ''}
        </p>
        <p>
          <strong>Existing assessments keep the version they were scored with.</strong> Publishing changes no assessment already made, nor its band. From then
          on, new assessments, and drafts saved again, are scored with the new version; a threat’s priority is worked out with the new bands the next time one
          of its assessments is approved.
        </p>
      </section>

      <form
        aria-labelledby="draft-next"
        onSubmit={(e) => {
          e.preventDefault();
          void showPreview();
        }}
      >
        <h2 id="draft-next">Draft version {next}</h2>
        <p className="hint">It starts as a copy of version {version}. Change what the board agreed, then preview: nothing is published until you confirm.</p>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, CLAIMED)]} />
        <Field label="Name of the model" errors={errorsFor('name')}>
          {(p) => <input {...p} value={draft.name} onChange={(e) => edit((d) => ({ ...d, name: e.target.value }))} />}
        </Field>

        <fieldset>
          <legend>Scale</legend>
          <Field label="Top of the scale" hint="Every factor is scored from 0 to this (1 to 10)." errors={errorsFor('scale.max')}>
            {(p) => <input {...p} type="number" min={1} max={10} step={1} value={draft.scaleMax} onChange={(e) => edit((d) => withScaleMax(d, e.target.value))} />}
          </Field>
          <ExactErrors messages={exactly(errors, 'definition.scale.labels')} what="Words for the scale" />
          {draft.labels.map((word, i) => (
            <Field key={i} label={`Word for ${i}`} errors={errorsFor(`scale.labels.${i}`)}>
              {(p) => <input {...p} value={word} onChange={(e) => edit((d) => ({ ...d, labels: d.labels.map((l, j) => (j === i ? e.target.value : l)) }))} />}
            </Field>
          ))}
        </fieldset>

        {groups.map((g) => (
          <fieldset key={g.key}>
            <legend>{g.title}: how much each factor counts</legend>
            <p className="hint">{g.intro} A factor’s share is its weight over the group’s total.</p>
            {g.factors.map(([factor, name]) => (
              <Field key={factor} label={`${name} (weight)`} errors={errorsFor(`${g.key}.${factor}`)}>
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    min={0}
                    max={100}
                    step="any"
                    value={draft.weights[g.key][factor]}
                    onChange={(e) => edit((d) => ({ ...d, weights: { ...d.weights, [g.key]: { ...d.weights[g.key], [factor]: e.target.value } } }))}
                  />
                )}
              </Field>
            ))}
          </fieldset>
        ))}

        <fieldset>
          <legend>Confidence: the risk score is multiplied by</legend>
          {confidences.map((c: Confidence) => (
            <Field key={c} label={`${confidenceLabels[c]} confidence`} hint="Between 0 and 1." errors={errorsFor(`confidenceFactor.${c}`)}>
              {(p) => (
                <input {...p} type="number" min={0} max={1} step="any" value={draft.confidence[c]} onChange={(e) => edit((d) => ({ ...d, confidence: { ...d.confidence, [c]: e.target.value } }))} />
              )}
            </Field>
          ))}
        </fieldset>

        <fieldset>
          <legend>Priority bands: the risk score (0 to 100) each starts at</legend>
          <p className="hint">Highest first, each below the one before; Standard starts at 0.</p>
          <ExactErrors messages={exactly(errors, 'definition.priorityBands')} what="Priority bands" />
          {bands.map((b, i) => (
            <Field key={b} label={`${label(b)} priority starts at`} errors={errorsFor(`priorityBands.${i}`)}>
              {(p) => <input {...p} type="number" min={0} max={100} step="any" value={draft.bands[b]} onChange={(e) => edit((d) => ({ ...d, bands: { ...d.bands, [b]: e.target.value } }))} />}
            </Field>
          ))}
        </fieldset>

        <fieldset>
          <legend>A threat’s priority from all its activities</legend>
          {(Object.keys(upliftWords) as (keyof typeof upliftWords)[]).map((k) => (
            <Field key={k} label={upliftWords[k]} errors={errorsFor(`threatPriority.${k}`)}>
              {(p) => <input {...p} type="number" min={0} max={100} step="any" value={draft.uplift[k]} onChange={(e) => edit((d) => ({ ...d, uplift: { ...d.uplift, [k]: e.target.value } }))} />}
            </Field>
          ))}
        </fieldset>

        <Field label="Review an assessment after (days)" errors={errorsFor('reviewPeriodDays')}>
          {(p) => <input {...p} type="number" min={1} max={730} step={1} value={draft.reviewPeriodDays} onChange={(e) => edit((d) => ({ ...d, reviewPeriodDays: e.target.value }))} />}
        </Field>
        <Field label="Why this version (optional)" hint="For example the board and date that agreed it." errors={messagesFor(errors, 'note')}>
          {(p) => (
            <textarea
              {...p}
              rows={2}
              value={note}
              onChange={(e) => {
                setNote(e.target.value);
                setConfirming(false);
              }}
            />
          )}
        </Field>
        <div className="buttons">
          <button type="submit" disabled={busy}>
            Preview changes
          </button>
          <button type="button" disabled={busy} onClick={() => edit(() => draftOf(definition))}>
            Start again from version {version}
          </button>
        </div>
      </form>

      {preview && (
        <section className="decision" aria-labelledby="preview-heading" data-testid="model-preview">
          <h2 id="preview-heading" tabIndex={-1} ref={previewHeading}>
            What version {next} changes
          </h2>
          {preview.changes.length ? (
            <ul>
              {preview.changes.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          ) : (
            <p>Nothing differs from version {version}.</p>
          )}
          <Effect effect={preview.effect} />
          {!confirming ? (
            <div className="buttons">
              <button type="button" disabled={busy || !preview.changes.length} onClick={() => setConfirming(true)}>
                Publish version {next}
              </button>
            </div>
          ) : (
            <div role="group" aria-labelledby="confirm-publish">
              <p id="confirm-publish">
                <strong>Publish version {next}?</strong> Every assessment scored from now on uses it; existing assessments keep their version. It cannot be
                taken back, only replaced by a later version.
              </p>
              <div className="buttons">
                <button type="button" disabled={busy} onClick={() => void publish()}>
                  Yes, publish version {next}
                </button>
                <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
                  Go back
                </button>
              </div>
            </div>
          )}
        </section>
      )}
    </>
  );
}

/** Messages for a group of fields as a whole (not for one of them). */
const exactly = (errors: FormErrors, field: string) => [...new Set(errors.fields[field] ?? [])];

function ExactErrors({ messages, what }: { messages: string[]; what: string }) {
  if (!messages.length) return null;
  return (
    <p className="field-error" role="alert">
      {what}: {messages.join('; ')}
    </p>
  );
}

/** The effect on what the administrator can read: bands that would move, in words. */
function Effect({ effect }: { effect: Preview }) {
  const moves = (list: Preview['assessmentMoves']) => list.map((m) => `${m.count} from ${band(m.from)} to ${band(m.to)}`).join('; ');
  return (
    <>
      <h3>Its effect on the assessments and threats you can see</h3>
      {effect.approvedAssessments === 0 ? (
        <p>You can see no approved assessments, so their effect cannot be shown to you (the role policy may not let administrators read threats).</p>
      ) : (
        <p>
          Of the {plural(effect.approvedAssessments, 'approved assessment', 'approved assessments')} in use that you can see,{' '}
          {effect.assessmentsChangingBand === 0
            ? 'none would fall in a different priority band if scored again with this version.'
            : `${effect.assessmentsChangingBand} would fall in a different priority band if scored again with this version: ${moves(effect.assessmentMoves)}.`}{' '}
          They keep their band until they are.
        </p>
      )}
      {effect.assessedThreats > 0 && (
        <>
          <p>
            Of the {plural(effect.assessedThreats, 'assessed threat', 'assessed threats')} you can see,{' '}
            {effect.threatsChangingPriority === 0
              ? 'none would have a different priority under this version.'
              : `${effect.threatsChangingPriority} would have a different priority once worked out again: ${moves(effect.threatMoves)}.`}
          </p>
          {effect.threatChanges.length > 0 && (
            <ul data-testid="threat-changes">
              {effect.threatChanges.map((c) =>
                c.threat ? (
                  <li key={c.threat.id}>
                    <Link to={`/threats/${encodeURIComponent(c.threat.id)}`}>{c.threat.name}</Link> ({label(c.threat.protectiveMarking)}): {band(c.from)} → {band(c.to)}
                  </li>
                ) : null,
              )}
            </ul>
          )}
        </>
      )}
    </>
  );
}
