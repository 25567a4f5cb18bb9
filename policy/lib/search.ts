import type { PolicyResource } from "@pulumi/policy";
import { groupTemplatesOf } from "./tiers";
import { serverScript } from "./userData";

/**
 * Elasticsearch on servers of the stack without Kubernetes: Auto Scaling groups tagged
 * tracardi:tier=search, whose user data writes each node's elasticsearch.yml.
 */

export const SEARCH_TIER = "search";

export interface SearchServers {
    group: PolicyResource;
    template?: PolicyResource;
    /** The user data's script; undefined while unknown (a preview). */
    script?: string;
}

export function searchServersOf(resources: PolicyResource[]): SearchServers[] {
    return groupTemplatesOf(resources, SEARCH_TIER).map(({ group, template }) => ({ group, template, script: template && serverScript(template.type, template.props) }));
}

/** An elasticsearch.yml setting as a script writes it (`key: value` on a line of its own), or undefined. */
export function searchSetting(script: string, key: string): string | undefined {
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`^${escaped}:[ \\t]*(.*?)[ \\t]*$`, "m").exec(script)?.[1];
}
