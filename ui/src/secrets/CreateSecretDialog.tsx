import { useRef, useState } from "react";

import type { NewSecretInput } from "../bindings/NewSecretInput";
import type { ValueInput } from "../bindings/ValueInput";
import { Dialog, DialogError } from "../components/Dialog";
import { DialogFooter } from "../components/DialogFooter";
import { useAsyncAction } from "../hooks/useAsyncAction";
import { errorTitle } from "../ipc";
import { createSecret } from "../ipc/secrets";
import { ValueField } from "./EditSecretDialog";
import { fileValue } from "./files";
import { duplicateKey, secretKeyProblem, secretNameProblem } from "./validate";

type Props = {
  context: string;
  namespace: string;
  onCreated: (name: string) => void;
  onClose: () => void;
};

type Kind = "opaque" | "tls" | "dockerRegistry";
type Entry = { id: number; key: string; value: ValueInput };
export type CreateForm = {
  name: string;
  kind: Kind;
  entries: Entry[];
  cert: ValueInput | null;
  key: ValueInput | null;
  server: string;
  username: string;
  password: string;
  email: string;
};

/** The request for a filled-in form, or the first thing to fix. */
export function requestOf(form: CreateForm): { secret: NewSecretInput } | { problem: string } {
  const nameProblem = secretNameProblem(form.name.trim());
  if (nameProblem !== null) return { problem: nameProblem };
  switch (form.kind) {
    case "opaque": {
      const keys = form.entries.map((e) => e.key.trim());
      for (const k of keys) {
        const p = secretKeyProblem(k);
        if (p !== null) return { problem: `"${k}": ${p}` };
      }
      const dup = duplicateKey(keys);
      if (dup !== null) return { problem: `The key "${dup}" is given twice.` };
      return { secret: { type: "opaque", entries: form.entries.map((e, i) => ({ key: keys[i] ?? e.key, value: e.value })) } };
    }
    case "tls":
      if (form.cert === null || form.key === null) return { problem: "Choose the certificate and the private key (PEM files)." };
      return { secret: { type: "tls", cert: form.cert, key: form.key } };
    case "dockerRegistry":
      if (form.server.trim() === "" || form.username.trim() === "") return { problem: "A registry secret needs a server and a username." };
      return {
        secret: {
          type: "dockerRegistry",
          server: form.server.trim(),
          username: form.username.trim(),
          password: form.password,
          email: form.email.trim() === "" ? null : form.email.trim(),
        },
      };
  }
}

/** Create an Opaque, TLS or docker-registry secret in `namespace`. */
export function CreateSecretDialog({ context, namespace, onCreated, onClose }: Props) {
  const nextId = useRef(1);
  const [form, setForm] = useState<CreateForm>({
    name: "",
    kind: "opaque",
    entries: [{ id: 0, key: "", value: { kind: "text", text: "" } }],
    cert: null,
    key: null,
    server: "",
    username: "",
    password: "",
    email: "",
  });
  const [problem, setProblem] = useState<string | null>(null);
  const creating = useAsyncAction(createSecret);
  const { busy, error } = creating;
  const set = (patch: Partial<CreateForm>) => {
    setForm((f) => ({ ...f, ...patch }));
  };
  const nameProblem = form.name === "" ? null : secretNameProblem(form.name.trim());

  const submit = () => {
    const r = requestOf(form);
    if ("problem" in r) {
      setProblem(r.problem);
      return;
    }
    setProblem(null);
    const name = form.name.trim();
    void creating.run(context, namespace, name, r.secret).then((r) => {
      if (r.ok) onCreated(name);
    });
  };

  return (
    <Dialog
      title={`New secret in ${namespace}`}
      testId="secret-create-dialog"
      size="wide"
      onClose={onClose}
      closable={!busy}
      footer={
        <DialogFooter
          busy={busy}
          busyText="Creating…"
          onCancel={onClose}
          okLabel="Create"
          onOk={submit}
          okTestId="secret-create-ok"
        />
      }
    >
      <div className="dialog__form">
        <label className="field">
          <span className="field__label">Name</span>
          <input
            className="input mono"
            data-testid="secret-create-name"
            aria-invalid={nameProblem !== null}
            value={form.name}
            autoComplete="off"
            onChange={(e) => {
              set({ name: e.target.value });
            }}
          />
          {nameProblem !== null && <span className="field__problem">{nameProblem}</span>}
        </label>
        <div className="radio-group" role="radiogroup" aria-label="Type">
          {(
            [
              ["opaque", "Opaque (key/value)"],
              ["tls", "TLS"],
              ["dockerRegistry", "Docker registry"],
            ] as const
          ).map(([kind, label]) => (
            <label key={kind}>
              <input
                type="radio"
                name="secret-kind"
                data-testid={`secret-create-kind-${kind}`}
                checked={form.kind === kind}
                onChange={() => {
                  set({ kind });
                }}
              />{" "}
              {label}
            </label>
          ))}
        </div>

        {form.kind === "opaque" && (
          <>
            {form.entries.map((entry) => (
              <div key={entry.id} className="field secret-edit__row" data-testid="secret-create-entry">
                <input
                  className="input input--compact mono"
                  placeholder="key"
                  aria-label="Key"
                  data-testid="secret-create-key"
                  value={entry.key}
                  onChange={(e) => {
                    set({ entries: form.entries.map((x) => (x.id === entry.id ? { ...x, key: e.target.value } : x)) });
                  }}
                />
                <ValueField
                  value={entry.value}
                  label={`Value of ${entry.key === "" ? "the key" : entry.key}`}
                  onChange={(value) => {
                    set({ entries: form.entries.map((x) => (x.id === entry.id ? { ...x, value } : x)) });
                  }}
                  onUndo={() => {
                    set({ entries: form.entries.filter((x) => x.id !== entry.id) });
                  }}
                />
              </div>
            ))}
            <button
              type="button"
              className="button button--small secret-edit__add"
              data-testid="secret-create-add"
              onClick={() => {
                const id = nextId.current++;
                set({ entries: [...form.entries, { id, key: "", value: { kind: "text", text: "" } }] });
              }}
            >
              Add key
            </button>
          </>
        )}

        {form.kind === "tls" && (
          <>
            <PemFile label="Certificate (tls.crt)" chosen={form.cert !== null} onValue={(cert) => { set({ cert }); }} />
            <PemFile label="Private key (tls.key)" chosen={form.key !== null} onValue={(key) => { set({ key }); }} />
            <p className="dialog__muted">The key must match the certificate; this is checked before anything is created.</p>
          </>
        )}

        {form.kind === "dockerRegistry" && (
          <>
            {(
              [
                ["server", "Server", "text", "registry.example.com"],
                ["username", "User", "text", ""],
                ["password", "Password", "password", ""],
                ["email", "Email (optional)", "email", ""],
              ] as const
            ).map(([field, label, type, placeholder]) => (
              <label key={field} className="field">
                <span className="field__label">{label}</span>
                <input
                  className="input"
                  type={type}
                  autoComplete="off"
                  placeholder={placeholder}
                  data-testid={`secret-create-${field}`}
                  value={form[field]}
                  onChange={(e) => {
                    set({ [field]: e.target.value });
                  }}
                />
              </label>
            ))}
          </>
        )}

        {problem !== null && (
          <p className="field__problem" role="alert" data-testid="secret-create-problem">
            {problem}
          </p>
        )}
        {error !== null && <DialogError title={errorTitle(error.kind)} message={error.message} detail={error.detail} testId="secret-create-error" />}
      </div>
    </Dialog>
  );
}

function PemFile({ label, chosen, onValue }: { label: string; chosen: boolean; onValue: (v: ValueInput) => void }) {
  return (
    <label className="field">
      <span className="field__label">
        {label} {chosen && <span className="text--ok">chosen</span>}
      </span>
      <input
        type="file"
        accept=".pem,.crt,.key,.cer"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file !== undefined) void fileValue(file).then(onValue);
        }}
      />
    </label>
  );
}
