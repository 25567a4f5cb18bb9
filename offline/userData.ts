import * as zlib from "zlib";
import type { RecordedResource } from "./mocks";

/** User data as the server runs it: base64 of gzip (components/vmTier.ts encodeUserData), unpacked. */
export function decodeUserData(encoded: string): string {
    return zlib.gunzipSync(Buffer.from(encoded, "base64")).toString("utf8");
}

/** Each VM tier's user data in a stack, by the launch template's name. */
export function vmUserData(resources: RecordedResource[]): Record<string, string> {
    return Object.fromEntries(resources
        .filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && r.inputs.userData !== undefined)
        .map((r) => [r.name, decodeUserData(String(r.inputs.userData))]));
}
