// The Create dialog's "Advanced" disclosure: host port mappings (rows),
// extra k3s server and agent arguments (one per line) and an image tarball
// for offline use. Closed by default; the defaults need none of it.
import { useState } from "react";

import type { ArchiveKind } from "../bindings/ArchiveKind";
import { toIpcError } from "../ipc";
import type { PreflightFinding } from "./ipc";
import { pickArchive } from "./ipc";
import { emptyPortRow } from "./advanced";
import { Findings } from "./Findings";
import type { CreateForm, FormErrors } from "./state";

type Props = {
  form: CreateForm;
  errors: FormErrors;
  setForm: (f: CreateForm) => void;
  /** Pre-flight findings about the port mappings. */
  portFindings: PreflightFinding[];
  /** Pre-flight findings about the image tarball. */
  tarballFindings: PreflightFinding[];
};

function hasAdvanced(f: CreateForm): boolean {
  return f.ports.length > 0 || f.serverArgs !== "" || f.agentArgs !== "" || f.imageTarball !== "" || f.airgapImages !== "";
}

export function AdvancedFields({ form, errors, setForm, portFindings, tarballFindings }: Props) {
  const problems = errors.ports ?? {};
  const [open, setOpen] = useState(() => hasAdvanced(form) || Object.keys(problems).length > 0);
  const shown = open || Object.keys(problems).length > 0 || errors.serverArgs !== undefined || errors.agentArgs !== undefined;
  const setRow = (i: number, patch: Partial<CreateForm["ports"][number]>) => {
    setForm({ ...form, ports: form.ports.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  };
  return (
    <div className="local-advanced">
      <button
        type="button"
        className="button button--small local-advanced__toggle"
        data-testid="local-advanced-toggle"
        aria-expanded={shown}
        aria-controls="local-advanced-body"
        onClick={() => {
          setOpen(!shown);
        }}
      >
        {shown ? "▾" : "▸"} Advanced
      </button>
      {shown && (
        <div id="local-advanced-body" className="local-advanced" data-testid="local-advanced">
          <div className="field">
            <span className="field__label">Port mappings (on 127.0.0.1, to the first server)</span>
            {form.ports.map((row, i) => (
              <div key={i} className="local-port-row" data-testid="local-port-row">
                <input
                  className="input"
                  data-testid="local-port-host"
                  inputMode="numeric"
                  placeholder="host port"
                  aria-label={`Host port, row ${(i + 1).toString()}`}
                  aria-invalid={problems[i] !== undefined}
                  value={row.host}
                  onChange={(e) => {
                    setRow(i, { host: e.target.value });
                  }}
                />
                <span aria-hidden="true">→</span>
                <input
                  className="input"
                  data-testid="local-port-container"
                  inputMode="numeric"
                  placeholder="same"
                  aria-label={`Container port, row ${(i + 1).toString()}`}
                  aria-invalid={problems[i] !== undefined}
                  value={row.container}
                  onChange={(e) => {
                    setRow(i, { container: e.target.value });
                  }}
                />
                <select
                  className="input"
                  data-testid="local-port-protocol"
                  aria-label={`Protocol, row ${(i + 1).toString()}`}
                  value={row.protocol}
                  onChange={(e) => {
                    setRow(i, { protocol: e.target.value === "udp" ? "udp" : "tcp" });
                  }}
                >
                  <option value="tcp">TCP</option>
                  <option value="udp">UDP</option>
                </select>
                <button
                  type="button"
                  className="button button--small"
                  data-testid="local-port-remove"
                  aria-label={`Remove row ${(i + 1).toString()}`}
                  onClick={() => {
                    setForm({ ...form, ports: form.ports.filter((_, j) => j !== i) });
                  }}
                >
                  Remove
                </button>
                {problems[i] !== undefined && (
                  <span className="field__error" role="alert" data-testid="local-port-error">
                    {problems[i]}
                  </span>
                )}
              </div>
            ))}
            <button
              type="button"
              className="button button--small local-advanced__toggle"
              data-testid="local-port-add"
              onClick={() => {
                setForm({ ...form, ports: [...form.ports, emptyPortRow()] });
              }}
            >
              Add port mapping
            </button>
            <Findings findings={portFindings} testId="local-port-finding" />
          </div>
          <ArgsField
            label="Extra k3s server arguments"
            testId="local-server-args"
            value={form.serverArgs}
            error={errors.serverArgs}
            onChange={(v) => {
              setForm({ ...form, serverArgs: v });
            }}
          />
          <ArgsField
            label="Extra k3s agent arguments"
            testId="local-agent-args"
            value={form.agentArgs}
            error={errors.agentArgs}
            onChange={(v) => {
              setForm({ ...form, agentArgs: v });
            }}
          />
          <ArchiveField
            kind="nodeImage"
            label="Node image tarball (offline)"
            testId="local-image-tarball"
            placeholder="/path/to/rancher-k3s-image.tar"
            hint="A `docker save` archive holding the node image, loaded first (as `docker load`)."
            value={form.imageTarball}
            onChange={(v) => {
              setForm({ ...form, imageTarball: v });
            }}
            findings={{ list: tarballFindings, testId: "local-tarball-finding" }}
          />
          <ArchiveField
            kind="airgapImages"
            label="Airgap images archive (offline)"
            testId="local-airgap-images"
            placeholder="/path/to/k3s-airgap-images-amd64.tar.zst"
            hint="k3s's own images (pause, CoreDNS, Traefik…) as released with it; copied into every node before it starts, so no registry is needed."
            value={form.airgapImages}
            onChange={(v) => {
              setForm({ ...form, airgapImages: v });
            }}
          />
        </div>
      )}
    </div>
  );
}

type ArgsProps = { label: string; testId: string; value: string; error: string | undefined; onChange: (v: string) => void };

function ArgsField({ label, testId, value, error, onChange }: ArgsProps) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      <textarea
        className="input"
        data-testid={testId}
        rows={2}
        spellCheck={false}
        placeholder="--disable=traefik"
        aria-invalid={error !== undefined}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      />
      <span className="field__hint">One argument per line.</span>
      {error !== undefined && (
        <span className="field__error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </span>
      )}
    </label>
  );
}

type ArchiveProps = {
  kind: ArchiveKind;
  label: string;
  testId: string;
  placeholder: string;
  hint: string;
  value: string;
  onChange: (v: string) => void;
  /** Pre-flight findings about this path, when pre-flight checks it. */
  findings?: { list: PreflightFinding[]; testId: string };
};

/** A path typed in, or chosen with the native file dialog ("Browse…"). */
function ArchiveField({ kind, label, testId, placeholder, hint, value, onChange, findings }: ArchiveProps) {
  const [pickError, setPickError] = useState<string | null>(null);
  const browse = () => {
    setPickError(null);
    pickArchive(kind).then(
      (path) => {
        // Cancelled: the field keeps what it had.
        if (path !== null) onChange(path);
      },
      (err: unknown) => {
        setPickError(toIpcError(err).message);
      },
    );
  };
  return (
    <div className="field">
      <label className="field__label" htmlFor={testId}>
        {label}
      </label>
      <div className="local-path-row">
        <input
          id={testId}
          className="input"
          data-testid={testId}
          placeholder={placeholder}
          spellCheck={false}
          value={value}
          onChange={(e) => {
            onChange(e.target.value);
          }}
        />
        <button type="button" className="button" data-testid={`${testId}-browse`} onClick={browse}>
          Browse…
        </button>
      </div>
      <span className="field__hint">{hint}</span>
      {pickError !== null && (
        <span className="field__error" role="alert" data-testid={`${testId}-pick-error`}>
          {pickError}
        </span>
      )}
      {findings !== undefined && <Findings findings={findings.list} testId={findings.testId} />}
    </div>
  );
}

