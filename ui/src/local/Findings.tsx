import type { PreflightFinding } from "./ipc";

/** Pre-flight findings shown under a field: blocking in red, warnings in amber. */
export function Findings({ findings, testId }: { findings: PreflightFinding[]; testId: string }) {
  return (
    <>
      {findings.map((f) => (
        <span
          key={f.message}
          className={f.severity === "blocking" ? "field__error" : "field__warning"}
          role={f.severity === "blocking" ? "alert" : undefined}
          data-testid={testId}
          data-severity={f.severity}
          data-check={f.check}
        >
          {f.message}
        </span>
      ))}
    </>
  );
}
