import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { ConfigError, NAMESPACE } from "./errors";

/**
 * Stack configuration as `pulumi up` hands it to the program: every value a string
 * (objects and lists JSON-encoded), plus the names of the keys that are secrets.
 */
export interface RawConfig {
    values: Record<string, string>;
    secretKeys: string[];
}

/** The `tracardi:` keys without their namespace, objects and numbers decoded. */
export function tracardiValues(config: RawConfig): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(config.values)) {
        const [namespace, key] = fullKey.split(":", 2);
        if (namespace !== NAMESPACE || key === undefined) {
            continue;
        }
        values[key] = decode(text);
    }
    return values;
}

function decode(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** The configuration of the running program: what `pulumi up` passes, or setAllConfig under mocks. */
export function runtimeConfig(): RawConfig {
    const values = pulumi.runtime.allConfig();
    // isConfigSecret is exported but marked internal; it is the only way to tell a key set with
    // --secret from a plain one, which is how plain-text passwords are refused.
    const isSecret = (pulumi.runtime as unknown as { isConfigSecret: (key: string) => boolean }).isConfigSecret;
    return { values, secretKeys: Object.keys(values).filter((k) => isSecret(k)) };
}

/** Marks the offline stand-in of a `secure:` value; never a real secret. */
export const OFFLINE_SECRET_PREFIX = "offline-placeholder-for-";

/**
 * Reads a `Pulumi.<stack>.yaml` the way the Pulumi CLI would pass it to the program. Encrypted
 * (`secure:`) values cannot be decrypted without the CLI: they become placeholders, still secret.
 */
export function readStackFile(file: string): RawConfig {
    let document: unknown;
    try {
        document = parseYaml(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new ConfigError([{ key: "(file)", reason: `cannot be read as YAML: ${(err as Error).message}`, given: file }],
            path.basename(file));
    }
    const config = (document as { config?: Record<string, unknown> } | null)?.config ?? {};
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(config)) {
        const secure = typeof value === "object" && value !== null && "secure" in value;
        if (secure) {
            secretKeys.push(key);
            values[key] = `${OFFLINE_SECRET_PREFIX}${key}`;
        } else {
            values[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { values, secretKeys };
}
