import { at, Plain, record, records, text } from "./props";
import { K8S } from "./types";

export const COMPONENT_LABEL = "app.kubernetes.io/component";
/** Node label that reserves a managed node group for one tier. */
export const TIER_LABEL = "tracardi.io/tier";

export function componentOf(props: Plain): string | undefined {
    return text(record(at(props, "metadata.labels"))[COMPONENT_LABEL]);
}

/** The pod template's spec of a workload, wherever its kind keeps it. */
export function podSpecOf(type: string, props: Plain): Plain {
    const path = type === K8S.cronJob ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec";
    return record(at(props, path));
}

export function podLabelsOf(type: string, props: Plain): Plain {
    const path = type === K8S.cronJob ? "spec.jobTemplate.spec.template.metadata.labels" : "spec.template.metadata.labels";
    return record(at(props, path));
}

export function containersOf(podSpec: Plain): Plain[] {
    return [...records(podSpec.initContainers), ...records(podSpec.containers)];
}

/** Whether a container runs the Tracardi API (image tracardi/tracardi-api). */
export function isApiContainer(container: Plain): boolean {
    return /tracardi-api/.test(text(container.image) ?? "");
}

/** How a container sets one variable: a plain value, a reference (Secret, ConfigMap, field), or not at all. */
export type EnvSetting = { kind: "absent" } | { kind: "value"; value: string } | { kind: "secret" } | { kind: "other-reference" };

export function envOf(container: Plain, name: string): EnvSetting {
    const entry = records(container.env).filter((e) => e.name === name).pop();
    if (!entry) {
        return { kind: "absent" };
    }
    if (entry.valueFrom !== undefined) {
        return record(entry.valueFrom).secretKeyRef !== undefined ? { kind: "secret" } : { kind: "other-reference" };
    }
    return { kind: "value", value: String(entry.value ?? "") };
}

/** Whether a container takes whole Secrets as environment (`envFrom`), which the pack cannot read. */
export function hasSecretEnvFrom(container: Plain): boolean {
    return records(container.envFrom).some((e) => e.secretRef !== undefined);
}

/** Tracardi reads yes/no/on/off/true/false (0.9+); older releases also took 1. */
export function isOn(value: string): boolean {
    return ["yes", "on", "true", "1"].includes(value.trim().toLowerCase());
}

/** Whether `selector.matchLabels` selects pods carrying `labels` (matchExpressions count as not selecting). */
export function selects(selector: unknown, labels: Plain): boolean {
    const sel = record(selector);
    const match = record(sel.matchLabels);
    return Object.keys(match).length > 0 && sel.matchExpressions === undefined &&
        Object.entries(match).every(([k, v]) => labels[k] === v);
}
