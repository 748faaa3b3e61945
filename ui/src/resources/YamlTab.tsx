import { useState } from "react";

import type { ObjectRef } from "../bindings/ObjectRef";
import type { LineMark } from "../components/yaml/locate";
import { marksForError } from "../components/yaml/locate";
import { YamlEditor } from "../components/yaml/YamlEditor";
import { useAsyncAction } from "../hooks/useAsyncAction";
import type { IpcError } from "../ipc";
import { errorTitle } from "../ipc";
import { applyYaml, objectYaml } from "../ipc/resources";
import { invalidateObject, useLoaded } from "../query/useLoaded";

type Conflict = { yours: string; theirs: string; serverVersion: string };

type Props = {
  context: string;
  reference: ObjectRef;
  refKey: string;
  /** Changes when the user asks to edit (the `e` key): the editor opens once the YAML is loaded. */
  editRequest?: number | null;
};

/** The object as YAML (managedFields folded away), with an edit-and-apply mode. */
export function YamlTab({ context, reference, refKey, editRequest = null }: Props) {
  const yaml = useLoaded(["object", context, refKey, "yaml"], () => objectYaml(context, reference));
  const [draft, setDraft] = useState<string | null>(null);
  const applying = useAsyncAction(applyYaml);
  const { busy, error, setError } = applying;
  const [marks, setMarks] = useState<LineMark[]>([]);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [applied, setApplied] = useState<string | null>(null);
  const [editSeen, setEditSeen] = useState<number | null>(null);
  if (editRequest !== null && editRequest !== editSeen && yaml.status === "ok") {
    setEditSeen(editRequest);
    if (draft === null) setDraft(yaml.value.yaml);
  }

  if (yaml.status === "loading") return <p className="details__note">Loading YAML…</p>;
  if (yaml.status === "error") return <ErrorBox error={yaml.error} testId="yaml-error" />;

  const apply = (text: string) => {
    setApplied(null);
    setMarks([]);
    void applying.run(context, reference, text).then((r) => {
      if (!r.ok) {
        setMarks(marksForError(r.error, text));
        return;
      }
      const outcome = r.value;
      if (outcome.outcome === "applied") {
        setDraft(null);
        setConflict(null);
        setApplied(outcome.resource_version);
        // The YAML, and the summary and events of this object, changed on the server.
        invalidateObject(context, refKey);
      } else {
        // Keep the user's text; show both so nothing is lost or silently overwritten.
        setConflict({ yours: outcome.yours, theirs: outcome.theirs, serverVersion: outcome.server_resource_version });
      }
    });
  };

  if (conflict !== null) {
    return (
      <div className="yaml-conflict" data-testid="yaml-conflict">
        <p className="details__warn">
          Someone changed this object since you opened it (now resourceVersion {conflict.serverVersion}). Nothing was
          applied. Compare the two versions and edit again.
        </p>
        <div className="yaml-conflict__panes">
          <section>
            <h4>Your edit</h4>
            <pre className="yaml" data-testid="yaml-conflict-yours">
              {conflict.yours}
            </pre>
          </section>
          <section>
            <h4>On the server now</h4>
            <pre className="yaml" data-testid="yaml-conflict-theirs">
              {conflict.theirs}
            </pre>
          </section>
        </div>
        <div className="details__buttons">
          <button
            type="button"
            className="button"
            data-testid="yaml-keep-mine"
            onClick={() => {
              setDraft(conflict.yours);
              setConflict(null);
            }}
          >
            Keep editing mine
          </button>
          <button
            type="button"
            className="button"
            data-testid="yaml-use-theirs"
            onClick={() => {
              setDraft(conflict.theirs);
              setConflict(null);
            }}
          >
            Edit the server's version
          </button>
        </div>
      </div>
    );
  }

  if (draft !== null) {
    return (
      <div className="yaml-edit">
        <YamlEditor
          testId="yaml-editor"
          label="YAML"
          value={draft}
          readOnly={busy}
          autoFocus
          onChange={setDraft}
          onSubmit={() => {
            apply(draft);
          }}
          marks={marks}
        />
        {error !== null && <ErrorBox error={error} testId="yaml-error" />}
        <div className="details__buttons">
          <button
            type="button"
            className="button"
            data-testid="yaml-cancel"
            disabled={busy}
            onClick={() => {
              setDraft(null);
              setError(null);
              setMarks([]);
            }}
          >
            Cancel
          </button>
          <button
            type="button"
            className="button button--primary"
            data-testid="yaml-apply"
            disabled={busy}
            onClick={() => {
              apply(draft);
            }}
          >
            {busy ? "Applying…" : "Apply"}
          </button>
        </div>
      </div>
    );
  }

  return (
    <div>
      <div className="details__buttons">
        {applied !== null && (
          <span className="details__ok" data-testid="yaml-applied" role="status">
            Applied (resourceVersion {applied})
          </span>
        )}
        <span className="dialog__spacer" />
        <button
          type="button"
          className="button button--small"
          data-testid="yaml-edit"
          onClick={() => {
            setDraft(yaml.value.yaml);
            setApplied(null);
          }}
        >
          Edit
        </button>
      </div>
      {yaml.value.managedFields !== null && (
        <details className="managed-fields" data-testid="managed-fields">
          <summary>metadata.managedFields (folded)</summary>
          <pre className="yaml">{yaml.value.managedFields}</pre>
        </details>
      )}
      <pre className="yaml" data-testid="details-yaml">
        {yaml.value.yaml}
      </pre>
    </div>
  );
}

export function ErrorBox({ error, testId }: { error: IpcError; testId: string }) {
  return (
    <div className="details__error" role="alert" data-testid={testId}>
      <p className="details__error-title">{errorTitle(error.kind)}</p>
      <p>{error.message}</p>
      {error.detail !== null && error.detail !== "" && <pre>{error.detail}</pre>}
    </div>
  );
}
