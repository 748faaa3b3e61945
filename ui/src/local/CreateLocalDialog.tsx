// The Create dialog: a form whose defaults create a working cluster as they
// are, then the live list of steps with Cancel (the backend rolls back), and
// the outcome with what to do next.
import type { RefObject } from "react";
import { useEffect, useReducer, useRef, useState } from "react";

import { Dialog, DialogError, Spinner } from "../components/Dialog";
import { errorTitle, toIpcError } from "../ipc";
import { AdvancedFields } from "./AdvancedFields";
import { Findings } from "./Findings";
import { findingsAt } from "./advanced";
import type { CreatedLocalCluster, NodeImages } from "./ipc";
import { cancelLocalCreate, createLocalCluster, localNodeImages } from "./ipc";
import { PullDetails } from "./PullDetails";
import type { CreateForm, FormErrors, Progress, ProgressAction } from "./state";
import { CUSTOM_VERSION, defaultForm, failureHint, formToRequest, imageLabel, isBusy, NAME_RULE, progressReducer, startProgress } from "./state";
import type { PreflightView } from "./usePreflight";
import { usePreflight } from "./usePreflight";

type Props = {
  /** Names of the local clusters that exist. */
  existing: string[];
  hasCurrentContext: boolean;
  onClose: () => void;
  /** The cluster is Ready and its context merged. */
  onCreated: (created: CreatedLocalCluster) => void;
  onOpen: (context: string) => void;
};

function reducer(state: Progress | null, action: ProgressAction | { type: "begin"; progress: Progress } | { type: "edit" }): Progress | null {
  if (action.type === "begin") return action.progress;
  if (action.type === "edit") return null;
  return state === null ? null : progressReducer(state, action);
}

export function CreateLocalDialog({ existing, hasCurrentContext, onClose, onCreated, onOpen }: Props) {
  const [form, setForm] = useState<CreateForm>(() => defaultForm(existing, hasCurrentContext));
  const [errors, setErrors] = useState<FormErrors>({});
  const [progress, dispatch] = useReducer(reducer, null);
  const nameInput = useRef<HTMLInputElement>(null);
  const busy = isBusy(progress);
  const [images, setImages] = useState<NodeImages | null>(null);
  const preflight = usePreflight(form, existing, progress === null);

  useEffect(() => {
    let live = true;
    // Without the list the default image is used; the field just stays hidden.
    localNodeImages().then(
      (list) => {
        if (live) setImages(list);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  const submit = () => {
    const checked = formToRequest(form, existing);
    if ("errors" in checked) {
      setErrors(checked.errors);
      if (checked.errors.name !== undefined) nameInput.current?.focus();
      return;
    }
    setErrors({});
    const { request } = checked;
    dispatch({ type: "begin", progress: startProgress(request) });
    createLocalCluster(request, (step) => {
      dispatch({ type: "step", step });
    }).then(
      (created) => {
        dispatch({ type: "succeeded", created });
        onCreated(created);
      },
      (err: unknown) => {
        dispatch({ type: "failed", error: toIpcError(err) });
      },
    );
  };

  const cancel = () => {
    if (progress === null) return;
    dispatch({ type: "cancel" });
    // A false answer means the create already ended; its outcome arrives anyway.
    cancelLocalCreate(progress.request.name).catch(() => undefined);
  };

  const footer = (
    <>
      {progress?.phase === "cancelling" && (
        <span className="dialog__progress" role="status">
          <Spinner />
          Cancelling…
        </span>
      )}
      {progress?.phase === "rollingBack" && (
        <span className="dialog__progress" role="status">
          <Spinner />
          Removing what was created…
        </span>
      )}
      <span className="dialog__spacer" />
      {progress === null && (
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button--primary" data-testid="local-create-submit" onClick={submit}>
            Create
          </button>
        </>
      )}
      {busy && (
        <button
          type="button"
          className="button"
          data-testid="local-create-cancel"
          onClick={cancel}
          disabled={progress?.phase !== "creating"}
        >
          Cancel
        </button>
      )}
      {(progress?.phase === "failed" || progress?.phase === "cancelled") && (
        <>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button
            type="button"
            className="button button--primary"
            data-testid="local-create-edit"
            onClick={() => {
              dispatch({ type: "edit" });
            }}
          >
            Change and retry
          </button>
        </>
      )}
      {progress?.phase === "done" && progress.created !== null && (
        <>
          <button type="button" className="button" data-testid="local-create-close" onClick={onClose}>
            Close
          </button>
          <button
            type="button"
            className="button button--primary"
            data-testid="local-create-open"
            onClick={() => {
              if (progress.created !== null) onOpen(progress.created.context);
            }}
          >
            Open {progress.created.context}
          </button>
        </>
      )}
    </>
  );

  return (
    <Dialog
      title={progress === null ? "Create local cluster" : `Creating ${progress.request.name}`}
      testId="local-create-dialog"
      size="wide"
      onClose={onClose}
      closable={!busy}
      initialFocus={nameInput}
      footer={footer}
      data={{ "data-phase": progress?.phase ?? "form" }}
    >
      {progress === null ? (
        <FormFields
          form={form}
          errors={errors}
          setForm={setForm}
          nameInput={nameInput}
          onSubmit={submit}
          images={images}
          preflight={preflight}
        />
      ) : (
        <ProgressView progress={progress} />
      )}
    </Dialog>
  );
}

type FieldsProps = {
  form: CreateForm;
  errors: FormErrors;
  setForm: (f: CreateForm) => void;
  nameInput: RefObject<HTMLInputElement | null>;
  onSubmit: () => void;
  images: NodeImages | null;
  preflight: PreflightView;
};

function FormFields({ form, errors, setForm, nameInput, onSubmit, images, preflight }: FieldsProps) {
  const general = findingsAt(preflight.findings, "general");
  return (
    <form
      className="local-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <p className="dialog__text dialog__muted">
        k3s server and agent containers in your container engine. The defaults work as they are.
      </p>
      {(general.length > 0 || preflight.problem !== null) && (
        <div className="field" data-testid="local-preflight">
          <Findings findings={general} testId="local-preflight-finding" />
          {preflight.problem !== null && (
            <span className="field__error" role="alert" data-testid="local-preflight-problem">
              {preflight.problem}
            </span>
          )}
        </div>
      )}
      <label className="field">
        <span className="field__label">Name</span>
        <input
          ref={nameInput}
          className="input"
          data-testid="local-name"
          value={form.name}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={errors.name !== undefined}
          aria-describedby="local-name-rule"
          onChange={(e) => {
            setForm({ ...form, name: e.target.value });
          }}
        />
        <span id="local-name-rule" className="field__hint">
          {NAME_RULE} The context is named capstan-{form.name === "" ? "<name>" : form.name}.
        </span>
        {errors.name !== undefined && (
          <span className="field__error" role="alert" data-testid="local-name-error">
            {errors.name}
          </span>
        )}
        <Findings findings={findingsAt(preflight.findings, "name")} testId="local-name-finding" />
      </label>
      <div className="dialog__row">
        <label className="field">
          <span className="field__label">Servers</span>
          <select
            className="input"
            data-testid="local-servers"
            value={form.servers}
            onChange={(e) => {
              setForm({ ...form, servers: e.target.value === "3" ? 3 : 1 });
            }}
          >
            <option value={1}>1</option>
            <option value={3}>3 (high availability)</option>
          </select>
        </label>
        <label className="field">
          <span className="field__label">Agents</span>
          <select
            className="input"
            data-testid="local-agents"
            value={form.agents}
            onChange={(e) => {
              setForm({ ...form, agents: Number(e.target.value) });
            }}
          >
            {Array.from({ length: 10 }, (_, i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">API port</span>
          <input
            className="input"
            data-testid="local-api-port"
            inputMode="numeric"
            placeholder="free port"
            value={form.apiPort}
            aria-invalid={errors.apiPort !== undefined}
            onChange={(e) => {
              setForm({ ...form, apiPort: e.target.value });
            }}
          />
          {errors.apiPort !== undefined && (
            <span className="field__error" role="alert">
              {errors.apiPort}
            </span>
          )}
          <Findings findings={findingsAt(preflight.findings, "apiPort")} testId="local-api-port-finding" />
        </label>
      </div>
      {errors.agents !== undefined && (
        <span className="field__error" role="alert">
          {errors.agents}
        </span>
      )}
      {images !== null && images.images.length > 0 && (
        <label className="field">
          <span className="field__label">k3s version</span>
          <select
            className="input"
            data-testid="local-image"
            value={form.image === "" ? images.default : form.image}
            onChange={(e) => {
              setForm({ ...form, image: e.target.value === images.default ? "" : e.target.value });
            }}
          >
            {images.images.map((i) => (
              <option key={i.image} value={i.image}>
                {imageLabel(i, images.default)}
              </option>
            ))}
            <option value={CUSTOM_VERSION}>Another k3s tag…</option>
          </select>
        </label>
      )}
      {form.image === CUSTOM_VERSION && (
        <label className="field">
          <span className="field__label">k3s tag</span>
          <input
            className="input"
            data-testid="local-k3s-version"
            placeholder="v1.33.5+k3s1"
            spellCheck={false}
            aria-invalid={errors.k3sVersion !== undefined}
            value={form.k3sVersion}
            onChange={(e) => {
              setForm({ ...form, k3sVersion: e.target.value });
            }}
          />
          <span className="field__hint">Any rancher/k3s tag; it is pulled when the cluster is created.</span>
          {errors.k3sVersion !== undefined && (
            <span className="field__error" role="alert">
              {errors.k3sVersion}
            </span>
          )}
        </label>
      )}
      <div className="dialog__row">
        <label className="field">
          <span className="field__label">Image registry</span>
          <select
            className="input"
            data-testid="local-registry"
            value={form.registry}
            onChange={(e) => {
              const v = e.target.value;
              setForm({ ...form, registry: v === "own" || v === "shared" ? v : "none" });
            }}
          >
            <option value="none">None</option>
            <option value="own">Its own (removed with the cluster)</option>
            <option value="shared">Shared by clusters</option>
          </select>
        </label>
        {form.registry !== "none" && (
          <label className="field">
            <span className="field__label">Registry port</span>
            <input
              className="input"
              data-testid="local-registry-port"
              inputMode="numeric"
              placeholder="free port"
              aria-invalid={errors.registryPort !== undefined}
              value={form.registryPort}
              onChange={(e) => {
                setForm({ ...form, registryPort: e.target.value });
              }}
            />
            {errors.registryPort !== undefined && (
              <span className="field__error" role="alert">
                {errors.registryPort}
              </span>
            )}
          </label>
        )}
      </div>
      {form.registry !== "none" && (
        <span className="field__hint">Push with docker push localhost:PORT/app:1; pods use the same image name.</span>
      )}
      <label className="field">
        <span className="field__label">Host folders</span>
        <textarea
          className="input"
          data-testid="local-volumes"
          rows={2}
          spellCheck={false}
          placeholder="/home/me/data:/data@agent:*"
          aria-invalid={errors.volumes !== undefined}
          value={form.volumes}
          onChange={(e) => {
            setForm({ ...form, volumes: e.target.value });
          }}
        />
        <span className="field__hint">HOST:NODE[:ro][@nodes] per line; nodes: all, server:*, agent:*, server:0. The host path must exist.</span>
        {errors.volumes !== undefined && (
          <span className="field__error" role="alert" data-testid="local-volumes-error">
            {errors.volumes}
          </span>
        )}
      </label>
      <AdvancedFields
        form={form}
        errors={errors}
        setForm={setForm}
        portFindings={findingsAt(preflight.findings, "ports")}
        tarballFindings={findingsAt(preflight.findings, "imageTarball")}
      />
      <label className="field field--check">
        <input
          type="checkbox"
          data-testid="local-make-current"
          checked={form.makeCurrent}
          onChange={(e) => {
            setForm({ ...form, makeCurrent: e.target.checked });
          }}
        />
        <span>Make it kubectl&apos;s current context</span>
      </label>
      {/* Enter in a field submits. */}
      <button type="submit" hidden />
    </form>
  );
}

const MARK: Record<string, string> = { pending: "○", running: "…", done: "✓", failed: "✕" };

function ProgressView({ progress }: { progress: Progress }) {
  return (
    <div data-testid="local-progress">
      {progress.warnings.length > 0 && (
        <div className="field" data-testid="local-progress-warnings">
          {progress.warnings.map((w) => (
            <span key={w} className="field__warning" data-testid="local-progress-warning">
              {w}
            </span>
          ))}
        </div>
      )}
      <ol className="local-steps" aria-live="polite">
        {progress.rows.map((row) => (
          <li key={row.id} className={`local-step local-step--${row.state}`} data-testid="local-step" data-step={row.id} data-state={row.state}>
            <span className="local-step__mark" aria-hidden="true">
              {row.state === "running" ? <Spinner /> : MARK[row.state]}
            </span>
            <span>{row.label}</span>
            {row.id === "image" && row.state === "running" && progress.pull !== null && <PullDetails pull={progress.pull} />}
          </li>
        ))}
      </ol>
      {progress.phase === "done" && progress.created !== null && (
        <p className="dialog__text" role="status" data-testid="local-create-done">
          Ready in {(progress.created.elapsedMs / 1000).toFixed(1)} s. Context {progress.created.context} was added to{" "}
          {progress.created.kubeconfig}
          {progress.request.makeCurrent ? " and made current" : ""}.
        </p>
      )}
      {progress.phase === "cancelled" && (
        <p className="dialog__text" role="status" data-testid="local-create-cancelled">
          Cancelled. Everything that had been created was removed.
        </p>
      )}
      {progress.phase === "failed" && progress.error !== null && (
        <>
          <DialogError
            testId="local-create-error"
            title={errorTitle(progress.error.kind)}
            message={progress.error.message}
            detail={progress.error.detail}
          />
          <p className="dialog__text dialog__muted">{failureHint(progress.error)}</p>
        </>
      )}
    </div>
  );
}
