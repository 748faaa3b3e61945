import type { Expiry } from "../bindings/Expiry";
import type { ObjectRef } from "../bindings/ObjectRef";
import type { SecretDetails } from "../bindings/SecretDetails";

type Props = { secret: SecretDetails; onOpen: (reference: ObjectRef) => void };

const EXPIRY_TEXT: Record<Expiry, string> = {
  valid: "valid",
  notYetValid: "not valid yet",
  expiresSoon: "expires within 30 days",
  expired: "expired",
};

/** A date from Unix seconds, as an unambiguous UTC date and time. */
export function formatUnix(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/** What a typed secret holds, decoded without showing a value. */
export function SecretTypeView({ secret, onOpen }: Props) {
  const { tls, docker, helm, serviceAccount } = secret;
  return (
    <>
      {tls !== null && (
        <section data-testid="secret-tls">
          <h4 className="summary__title">Certificate</h4>
          <dl className="summary__facts">
            <dt>Subject</dt>
            <dd className="mono">{tls.subject}</dd>
            <dt>Issuer</dt>
            <dd className="mono">{tls.issuer}</dd>
            <dt>SANs</dt>
            <dd className="mono">{tls.sans.length === 0 ? "—" : tls.sans.join(", ")}</dd>
            <dt>Not before</dt>
            <dd>{formatUnix(tls.notBefore)}</dd>
            <dt>Not after</dt>
            <dd>{formatUnix(tls.notAfter)}</dd>
            <dt>State</dt>
            <dd data-testid="secret-tls-expiry" data-expiry={tls.expiry} className={tls.expiry === "valid" ? "text--ok" : "text--warn"}>
              {EXPIRY_TEXT[tls.expiry]}
            </dd>
          </dl>
        </section>
      )}
      {docker !== null && (
        <section data-testid="secret-docker">
          <h4 className="summary__title">Registries</h4>
          <table className="mini-table">
            <thead>
              <tr>
                <th>Server</th>
                <th>User</th>
                <th>Email</th>
              </tr>
            </thead>
            <tbody>
              {docker.registries.map((r) => (
                <tr key={r.server} data-testid="secret-registry">
                  <td className="mono">{r.server}</td>
                  <td>{r.username ?? "—"}</td>
                  <td>{r.email ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <pre className="yaml" data-testid="secret-docker-json">
            {docker.maskedJson}
          </pre>
        </section>
      )}
      {serviceAccount !== null && (
        <dl className="summary__facts" data-testid="secret-service-account">
          <dt>Service account</dt>
          <dd>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                onOpen({
                  group: "",
                  version: "v1",
                  kind: "ServiceAccount",
                  plural: "serviceaccounts",
                  namespace: secret.namespace,
                  name: serviceAccount,
                });
              }}
            >
              {serviceAccount}
            </button>
          </dd>
        </dl>
      )}
      {helm !== null && (
        <section data-testid="secret-helm">
          <h4 className="summary__title">Helm release</h4>
          <dl className="summary__facts">
            <dt>Release</dt>
            <dd>{helm.name}</dd>
            <dt>Chart</dt>
            <dd>
              {helm.chart} {helm.chartVersion}
            </dd>
            {helm.appVersion !== null && (
              <>
                <dt>App version</dt>
                <dd>{helm.appVersion}</dd>
              </>
            )}
            <dt>Status</dt>
            <dd>{helm.status}</dd>
            <dt>Revision</dt>
            <dd>{String(helm.revision)}</dd>
          </dl>
        </section>
      )}
    </>
  );
}
